"""Widgets shared by the role windows: touch-sized style, a PDF page view drawn with pypdfium2
(off the window's thread), a status line for errors."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.bridge import LOST, ONLINE, RECONNECTING, Bridge, Feed, Scope, describe
from ui.strings import L

STYLE = """
* { font-size: 15px; }
QPushButton { min-height: 44px; padding: 4px 14px; border-radius: 6px;
              background: #e3ebf6; border: 1px solid #8aa4c8; }
QPushButton:pressed { background: #c5d6ee; }
QPushButton#vote_yes { background: #1b7f3b; color: white; font-size: 20px; }
QPushButton#vote_no { background: #b3261e; color: white; font-size: 20px; }
QPushButton#vote_abstain { background: #5f6368; color: white; font-size: 20px; }
QPushButton:disabled { background: #d0d0d0; color: #777; }
QLabel#title { font-size: 22px; font-weight: bold; }
QLabel#big { font-size: 40px; font-weight: bold; }
QLabel#receipt { font-size: 18px; color: #1b7f3b; font-weight: bold; }
QLabel#error { color: #b3261e; }
QListWidget, QTableWidget { font-size: 15px; }
"""


def render_page(pdf: Path, index: int, width: int) -> QImage:
    """One page as an image ``width`` pixels wide (pypdfium2 also draws signature stamps)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[index]
        scale = width / page.get_width()
        pil = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
    finally:
        doc.close()
    data = pil.tobytes()
    img = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
    return img.copy()  # own the pixels: ``data`` goes away


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


class PdfView(QWidget):
    """Pages of one PDF, with previous/next and (for tablets) following the presenter."""

    page_changed = Signal(int)  # 1-based

    def __init__(self, bridge: Scope, *, follow_option: bool = False, width: int = 620) -> None:
        super().__init__()
        self.bridge = bridge
        self.width_px = width
        self.pdf: Path | None = None
        self._shown: tuple[Path, int] | None = None
        self.pages = 0
        self.page = 1
        self.image = QLabel(L("Chưa có tài liệu", "No document"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.prev = QPushButton("◀")
        self.next = QPushButton("▶")
        self.where = QLabel("")
        self.follow = QCheckBox(L("Theo người trình bày", "Follow the presenter"))
        self.follow.setChecked(True)
        self.follow.setVisible(follow_option)
        self.prev.clicked.connect(lambda: self.show_page(self.page - 1, by_user=True))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1, by_user=True))
        bar = QHBoxLayout()
        for w in (self.prev, self.where, self.next, self.follow):
            bar.addWidget(w)
        bar.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll)
        self._update_bar()

    def open(self, pdf: Path, page: int = 1) -> None:
        self.pdf, self.pages = pdf, page_count(pdf)
        self._shown = None
        self.show_page(page)

    def show_page(self, page: int, *, by_user: bool = False) -> None:
        if self.pdf is None or not 1 <= page <= self.pages:
            return
        if by_user:
            self.follow.setChecked(False)  # browsing freely until asked to follow again
        if (self.pdf, page) == self._shown:
            return  # already on screen (events that do not move the presenter)
        self._shown = (self.pdf, page)
        self.page = page
        self._update_bar()
        pdf, width = self.pdf, self.width_px

        def shown(img: QImage) -> None:
            if self.pdf == pdf and self.page == page:
                self.image.setPixmap(QPixmap.fromImage(img))
                self.page_changed.emit(page)

        self.bridge.call(
            asyncio.to_thread(render_page, pdf, page - 1, width), shown, background=True
        )

    def presenter_moved(self, page: int) -> None:
        if self.follow.isChecked():
            self.show_page(page)

    def _update_bar(self) -> None:
        self.where.setText(f"{L('Trang', 'Page')} {self.page}/{self.pages}" if self.pages else "")
        self.prev.setEnabled(self.page > 1)
        self.next.setEnabled(self.page < self.pages)


LINK_TEXT = {
    ONLINE: ("● Đã kết nối", "● Online"),
    RECONNECTING: ("● Đang kết nối lại…", "● Reconnecting…"),
    LOST: ("● Mất kết nối máy chủ", "● Host lost"),
}


def link_label(state: str) -> str:
    vi, en = LINK_TEXT[state]
    return L(vi, en)


class RoleWindow(QMainWindow):
    """A window talking to the host: the link's state always on view, errors next to the
    action (and on the status bar), its own work in progress with a Cancel that stops only this
    window's commands."""

    def __init__(self, bridge: Bridge, title: str) -> None:
        super().__init__()
        self.shared = bridge
        self.bridge = bridge.scope()  # this window's calls
        self.setWindowTitle(title)
        self.link = QLabel(link_label(RECONNECTING))
        self.link.setObjectName("link")
        self.link.setProperty("state", RECONNECTING)
        self.status = QLabel("")
        self.status.setObjectName("error")
        self.status.setWordWrap(True)
        self.activity = QLabel("")
        self.cancel = QPushButton(L("Hủy", "Cancel"))
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self._cancel)
        self.statusBar().addWidget(self.link)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.activity)
        self.statusBar().addPermanentWidget(self.cancel)
        self.bridge.busy_changed.connect(self._busy)
        self._near: QLabel | None = None

    def watch_link(self, feed: Feed) -> None:
        feed.connection.connect(self.link_changed)

    def link_changed(self, state: str) -> None:
        self.link.setText(link_label(state))
        self.link.setProperty("state", state)
        self.link.style().unpolish(self.link)
        self.link.style().polish(self.link)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        feed = getattr(self, "feed", None)
        if feed is not None:
            feed.stop()  # the window's event stream ends with it
        self.bridge.close()
        super().closeEvent(event)

    def _busy(self, count: int) -> None:
        self.activity.setText(L("Đang xử lý…", "Working…") if count else "")
        self.cancel.setVisible(bool(count))

    def _cancel(self) -> None:
        """Stop waiting for what this window has in progress (a command the host already took
        stays done; the event stream shows what it did). Other windows are not touched."""
        self.bridge.cancel()
        self.ok(L("Đã hủy", "Cancelled"))

    def fail(self, exc: BaseException | str, near: QLabel | None = None) -> None:
        text = exc if isinstance(exc, str) else describe(exc)
        self.status.setText(text)
        if near is not None:
            near.setText(text)
            self._near = near

    def ok(self, text: str = "") -> None:
        self.status.setText(text)
        if self._near is not None:
            self._near.setText("")
            self._near = None

    def act(self, coro: Any, done: Any = None, *, near: QLabel | None = None) -> None:
        """Run a host command; on failure say why (beside the action when ``near`` is given),
        keep everything else as it was."""
        self.ok()
        self.bridge.call(coro, done, lambda exc: self.fail(exc, near))
