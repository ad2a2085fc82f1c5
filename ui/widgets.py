"""Widgets shared by the role windows: the styles (console and touch-sized tablet), a PDF page
view drawn with pypdfium2 off the window's thread, confirmations for irreversible acts, and the
window base with the link's state, errors and its own Cancel."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QNativeGestureEvent, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.bridge import RECONNECTING, Bridge, Feed, Scope, describe
from ui.strings import t

STYLE = """
* { font-size: 15px; }
QPushButton { min-height: 40px; padding: 2px 12px; border-radius: 6px;
              background: #e3ebf6; border: 1px solid #8aa4c8; color: #10243e; }
QPushButton:pressed, QPushButton:checked { background: #c5d6ee; }
QPushButton:disabled { background: #e4e4e4; color: #9a9a9a; border: 1px dashed #b8b8b8; }
QPushButton#vote_yes { background: #1b7f3b; color: white; font-size: 20px; }
QPushButton#vote_no { background: #b3261e; color: white; font-size: 20px; }
QPushButton#vote_abstain { background: #5f6368; color: white; font-size: 20px; }
QPushButton#vote_yes:disabled, QPushButton#vote_no:disabled, QPushButton#vote_abstain:disabled {
    background: #e4e4e4; color: #9a9a9a; border: 1px dashed #b8b8b8; }
QPushButton#danger { background: #fbe3e1; border: 1px solid #b3261e; color: #7a1711; }
QPushButton#danger:disabled { background: #e4e4e4; color: #9a9a9a; border: 1px dashed #b8b8b8; }
QLabel#title { font-size: 20px; font-weight: bold; }
QLabel#big { font-size: 36px; font-weight: bold; }
QLabel#receipt[state="sent"] { font-size: 18px; color: #1b7f3b; font-weight: bold; }
QLabel#receipt[state="pending"] { font-size: 18px; color: #8a5a00; font-weight: bold; }
QLabel#receipt[state="failed"] { font-size: 18px; color: #b3261e; font-weight: bold; }
QLabel#error { color: #b3261e; }
QLabel#warning { color: #8a5a00; font-weight: bold; }
QLabel#link[state="online"] { color: #1b7f3b; font-weight: bold; }
QLabel#link[state="reconnecting"] { color: #8a5a00; font-weight: bold; }
QLabel#link[state="lost"] { color: white; background: #b3261e; font-weight: bold;
                            padding: 2px 6px; }
QLabel#timer[state="warn"] { color: #8a5a00; }
QLabel#timer[state="over"] { color: #b3261e; }
QListWidget, QTableWidget { font-size: 15px; }
QLabel#caption { font-size: 15px; font-style: italic; color: #10243e; background: #eef3fa; }
"""

# the delegate's tablet: a 10-inch screen held by someone who may not read small print
TABLET_STYLE = (
    STYLE
    + """
* { font-size: 17px; }
QPushButton { min-height: 52px; font-size: 18px; }
QLineEdit { min-height: 48px; font-size: 20px; }
QListWidget { font-size: 17px; }
QLabel#title { font-size: 22px; }
QLabel#caption { font-size: 17px; }
"""
)


class WrapLabel(QLabel):
    """A label whose text wraps and which asks its layout for the height the wrapped text
    needs (Qt's layouts under a main window do not ask labels for height-for-width)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def _fit(self) -> None:
        need = self.heightForWidth(max(1, self.contentsRect().width()))
        margins = self.contentsMargins()
        need += margins.top() + margins.bottom()
        if need > 0 and self.minimumHeight() != need:
            self.setMinimumHeight(need)

    def setText(self, text: str) -> None:  # noqa: N802 — Qt's name
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        self._fit()


class CaptionLine(QLabel):
    """The live caption of the speech being made (the host's unlogged ``caption`` messages):
    the latest partial text, replaced by the final transcript (``final: true``), which stays
    ``keep_final_ms`` and then goes; cleared as soon as another speech starts. It shows at most
    ``lines`` lines, the end of a longer text after "…"; hidden while there is nothing to show."""

    def __init__(self, feed: Feed, *, lines: int = 2, keep_final_ms: int = 20_000) -> None:
        super().__init__("")
        self.setWordWrap(True)
        self.setObjectName("caption")
        self.setAccessibleName(t("ui.live_caption"))
        self.sid = feed.session_id
        self.lines = lines
        self.speech_id: str | None = None  # the speech whose caption is shown
        self.full = ""  # its whole text (the label may show only its end)
        self.final = False
        self._current: str | None = None  # the session's speech now being made
        self._width = 0
        self._expire = QTimer(self, singleShot=True, interval=keep_final_ms)
        self._expire.timeout.connect(self.clear_caption)
        self.setVisible(False)
        feed.changed.connect(self.on_world)
        feed.message.connect(self.on_message)

    def on_world(self, world: Any) -> None:
        rec = world.sessions.get(self.sid)
        self._current = rec.current_speech if rec is not None else None
        if self._current is not None and self.speech_id not in (None, self._current):
            self.clear_caption()  # a new speech: the last speaker's words go

    def on_message(self, msg: dict[str, Any]) -> None:
        if msg.get("type") != "caption":
            return
        speech = msg.get("speech_id")
        if self._current is not None and speech != self._current:
            return  # a late text of an earlier speech while someone else speaks
        text = " ".join(str(msg.get("text") or "").split())
        final = bool(msg.get("final"))
        if not text:
            if final:  # nothing was said: no caption
                self.clear_caption()
            return  # a silent moment: the last words stay
        self.speech_id, self.full, self.final = speech, text, final
        if final:
            self._expire.start()
        else:
            self._expire.stop()
        self.setVisible(True)
        self.refit()

    def clear_caption(self) -> None:
        self._expire.stop()
        self.speech_id, self.full, self.final = None, "", False
        super().setText("")
        self.setVisible(False)

    def refit(self) -> None:
        """Show the end of the text that fits in ``lines`` lines at the label's width."""
        self.ensurePolished()
        self._width = self.contentsRect().width()
        self.setText(self._tail(self.full))
        # room for ``lines`` lines whatever the width (the text never needs more): a height
        # that does not follow the width cannot set the layout swinging
        frame = self.height() - self.contentsRect().height()
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * self.lines + frame + 4)

    def _tail(self, text: str) -> str:
        self.ensurePolished()
        width = self.contentsRect().width()
        if not text or width <= 1:
            return text
        metrics = self.fontMetrics()
        limit = metrics.lineSpacing() * self.lines + 2

        def fits(candidate: str) -> bool:
            box = metrics.boundingRect(
                QRect(0, 0, width, 1 << 20), Qt.TextFlag.TextWordWrap, candidate
            )
            return box.height() <= limit

        if fits(text):
            return text
        words = text.split(" ")
        lo, hi = 1, len(words) - 1  # the fewest words dropped from the front that fit
        while lo < hi:
            mid = (lo + hi) // 2
            if fits("… " + " ".join(words[mid:])):
                hi = mid
            else:
                lo = mid + 1
        return "… " + " ".join(words[lo:])

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        if self.full and self.contentsRect().width() != self._width:
            self.refit()


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: a long text scrolls instead of growing the
    window past the screen."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMinimumHeight(40)
    return area


def restyle(widget: QWidget, **props: Any) -> None:
    """Set dynamic properties that the style sheet matches on, and redraw."""
    for key, value in props.items():
        widget.setProperty(key, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def confirm(parent: QWidget, title: str, text: str, yes: str) -> bool:
    """An irreversible act: say what will happen, in the user's language; No is the default."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(t("ui.go_back"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.exec()
    return box.clickedButton() is go


def ask_roster_file(parent: QWidget) -> Path | None:
    """The roster file the user picks (CSV or XLSX), or None."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(
        parent, t("ui.roster_file"), "", "CSV/XLSX (*.csv *.xlsx)"
    )
    return Path(path) if path else None


def render_page(pdf: Path, index: int, width: int) -> QImage:
    """One page as an image ``width`` pixels wide, signature appearances drawn."""
    from meetingapp.pdfpages import render_page as draw

    pil = draw(pdf, index, width)
    data = pil.tobytes()
    img = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
    return img.copy()  # own the pixels: ``data`` goes away


def render_thumbnails(pdf: Path, width: int) -> list[QImage]:
    return [render_page(pdf, i, width) for i in range(page_count(pdf))]


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


ZOOMS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)


class PdfView(QWidget):
    """Pages of one PDF drawn to fit the width, zoomed by buttons, a pinch (a touch screen's or
    touchpad's native zoom gesture, or Qt's pinch gesture) or Ctrl+wheel — all through
    ``set_zoom_factor``, within the buttons' range — with page thumbnails and (for tablets) a
    one-tap toggle to follow the presenter's page."""

    page_changed = Signal(int)  # 1-based

    def __init__(self, bridge: Scope, *, follow_option: bool = False, thumbnails: bool = True):
        super().__init__()
        self.bridge = bridge
        self.pdf: Path | None = None
        self._shown: tuple[Path, int, int] | None = None
        self.pages = 0
        self.page = 1
        self.zoom = 1.0  # of the fitted width
        self.image = QLabel(t("ui.no_document"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.prev = QPushButton("◀")
        self.next = QPushButton("▶")
        self.zoom_out = QPushButton("−")
        self.zoom_in = QPushButton("+")
        self.fit = QPushButton("↔")
        for b, tip in (
            (self.prev, t("ui.previous_page")),
            (self.next, t("ui.next_page")),
            (self.zoom_out, t("ui.zoom_out")),
            (self.zoom_in, t("ui.zoom_in")),
            (self.fit, t("ui.fit_the_width")),
        ):
            b.setToolTip(tip)
            b.setMinimumWidth(52)
        self.where = QLabel("")
        self.follow = QPushButton(t("ui.follow_the_presenter"))
        self.follow.setCheckable(True)
        self.follow.setChecked(True)
        self.follow.setVisible(follow_option)
        self.prev.clicked.connect(lambda: self.show_page(self.page - 1, by_user=True))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1, by_user=True))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(+1))
        self.zoom_out.clicked.connect(lambda: self.set_zoom(-1))
        self.fit.clicked.connect(lambda: self.set_zoom(0))
        self.follow.toggled.connect(self._follow_text)
        bar = QHBoxLayout()
        for w in (self.prev, self.where, self.next, self.zoom_out, self.fit, self.zoom_in):
            bar.addWidget(w)
        bar.addStretch()
        bar.addWidget(self.follow)
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbs.setFlow(QListWidget.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(90, 127))
        self.thumbs.setFixedWidth(124)
        self.thumbs.setMovement(QListWidget.Movement.Static)
        self.thumbs.setVisible(thumbnails)
        self.thumbs.setStyleSheet(
            "QListWidget::item:selected { background: transparent; color: #1b5fa8;"
            " border: 3px solid #1b5fa8; font-weight: bold; }"
        )
        self.thumbs.itemClicked.connect(
            lambda it: self.show_page(self.thumbs.row(it) + 1, by_user=True)
        )
        pages = QHBoxLayout()
        pages.addWidget(self.thumbs)
        pages.addWidget(self.scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(pages, 1)
        self._refit = QTimer(self, singleShot=True, interval=150)
        self._refit.timeout.connect(lambda: self._draw(force=True))
        self._rezoom = QTimer(self, singleShot=True, interval=60)  # one render per pinch burst
        self._rezoom.timeout.connect(lambda: self._draw(force=True))
        viewport = self.scroll.viewport()
        viewport.grabGesture(Qt.GestureType.PinchGesture)
        for target in (viewport, self.image):
            target.installEventFilter(self)
        self._follow_text(True)
        self._update_bar()

    def _follow_text(self, on: bool) -> None:
        self.follow.setText(("✔ " if on else "") + t("ui.follow_the_presenter"))

    def open(self, pdf: Path, page: int = 1) -> None:
        self.pdf, self.pages = pdf, page_count(pdf)
        self._shown = None
        self.thumbs.clear()
        if not self.thumbs.isHidden():
            self._load_thumbnails(pdf)
        self.show_page(page)

    def _load_thumbnails(self, pdf: Path) -> None:
        def shown(images: list[QImage]) -> None:
            if self.pdf != pdf:
                return
            self.thumbs.clear()
            for n, img in enumerate(images, start=1):
                icon = QIcon(QPixmap.fromImage(img))
                icon.addPixmap(QPixmap.fromImage(img), QIcon.Mode.Selected)  # not tinted blue
                self.thumbs.addItem(QListWidgetItem(icon, str(n)))
            self._mark_thumb()

        self.bridge.call(asyncio.to_thread(render_thumbnails, pdf, 90), shown, background=True)

    def _mark_thumb(self) -> None:
        if 0 < self.page <= self.thumbs.count():
            self.thumbs.setCurrentRow(self.page - 1)

    def set_zoom(self, step: int) -> None:
        """+1 / -1 a step, 0 back to fitting the width."""
        if step == 0:
            self.set_zoom_factor(1.0)
            return
        if step > 0:
            bigger = [z for z in ZOOMS if z > self.zoom + 1e-6]
            self.set_zoom_factor(bigger[0] if bigger else ZOOMS[-1])
        else:
            smaller = [z for z in ZOOMS if z < self.zoom - 1e-6]
            self.set_zoom_factor(smaller[-1] if smaller else ZOOMS[0])

    def set_zoom_factor(self, zoom: float, *, settle: bool = False) -> None:
        """The one zoom setter (buttons, pinch, Ctrl+wheel): times the fitted width, kept within
        ZOOMS' range. ``settle``: a gesture in progress, draw once it pauses."""
        zoom = max(ZOOMS[0], min(ZOOMS[-1], zoom))
        if abs(zoom - 1.0) < 0.02:
            zoom = 1.0  # a pinch back to about the width fits it exactly
        if zoom == self.zoom:
            return
        self.zoom = zoom
        self._update_bar()
        if settle:
            self._rezoom.start()
        else:
            self._draw(force=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        kind = event.type()
        if kind == QEvent.Type.NativeGesture and isinstance(event, QNativeGestureEvent):
            if event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self.set_zoom_factor(self.zoom * (1.0 + event.value()), settle=True)
                event.accept()
                return True
        elif kind == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if pinch is not None:
                if pinch.changeFlags() & pinch.ChangeFlag.ScaleFactorChanged:
                    self.set_zoom_factor(self.zoom * pinch.scaleFactor(), settle=True)
                event.accept()
                return True
        elif (
            kind == QEvent.Type.Wheel
            and isinstance(event, QWheelEvent)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            notches = event.angleDelta().y() / 120
            if notches:
                self.set_zoom_factor(self.zoom * 1.15**notches, settle=True)
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def target_width(self) -> int:
        """Pixels across for the page: the view's width (less its scroll bar) times the zoom."""
        # the viewport less a vertical scroll bar (a fitted page is taller than the view)
        bar = self.scroll.verticalScrollBar()
        room = self.scroll.width() - 2 * self.scroll.frameWidth() - bar.sizeHint().width() - 2
        return max(200, int(room * self.zoom))

    def show_page(self, page: int, *, by_user: bool = False) -> None:
        if self.pdf is None or not 1 <= page <= self.pages:
            return
        if by_user:
            self.follow.setChecked(False)  # browsing freely until asked to follow again
        self.page = page
        self._update_bar()
        self._mark_thumb()
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if self.pdf is None:
            return
        pdf, page, width = self.pdf, self.page, self.target_width()
        if not force and (pdf, page, width) == self._shown:
            return  # already on screen (events that do not move the presenter)
        self._shown = (pdf, page, width)

        def shown(img: QImage) -> None:
            if self.pdf == pdf and self.page == page:
                self.image.setPixmap(QPixmap.fromImage(img))
                self.page_changed.emit(page)

        self.bridge.call(
            asyncio.to_thread(render_page, pdf, page - 1, width), shown, background=True
        )

    def reload(self) -> None:
        """The file changed on disk (a signature added): draw it again, thumbnails too."""
        if self.pdf is not None:
            self.open(self.pdf, self.page)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        super().resizeEvent(event)
        if self.pdf is not None:
            self._refit.start()  # redraw to the new width once the resizing settles

    def presenter_moved(self, page: int) -> None:
        if self.follow.isChecked():
            self.show_page(page)

    def _update_bar(self) -> None:
        self.where.setText(f"{t('ui.page')} {self.page}/{self.pages}" if self.pages else "")
        self.prev.setEnabled(self.page > 1)
        self.next.setEnabled(self.page < self.pages)
        self.zoom_in.setEnabled(self.pdf is not None and self.zoom < ZOOMS[-1])
        self.zoom_out.setEnabled(self.pdf is not None and self.zoom > ZOOMS[0])
        self.fit.setEnabled(self.pdf is not None and self.zoom != 1.0)


def link_label(state: str) -> str:
    """ONLINE / RECONNECTING / LOST in words."""
    return t(f"ui.link.{state}")


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
        self.status = QLabel("")  # one line: the full text of a long one is in its tooltip
        self.status.setObjectName("error")
        self.activity = QLabel("")
        self.spinner = QProgressBar()  # long work: a moving bar beside its Cancel button
        self.spinner.setRange(0, 0)
        self.spinner.setMaximumWidth(120)
        self.spinner.setMaximumHeight(16)
        self.spinner.setVisible(False)
        self.cancel = QPushButton(t("ui.cancel"))
        self.cancel.setVisible(False)
        self.cancel.setStyleSheet("QPushButton { min-height: 26px; padding: 0 12px; }")
        self.cancel.clicked.connect(self._cancel)
        self.statusBar().addWidget(self.link)
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.activity)
        self.statusBar().addPermanentWidget(self.spinner)
        self.statusBar().addPermanentWidget(self.cancel)
        self.bridge.busy_changed.connect(self._busy)
        self._near: QLabel | None = None

    def watch_link(self, feed: Feed) -> None:
        feed.connection.connect(self.link_changed)

    def link_changed(self, state: str) -> None:
        self.link.setText(link_label(state))
        restyle(self.link, state=state)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        feed = getattr(self, "feed", None)
        if feed is not None:
            feed.stop()  # the window's event stream ends with it
        self.bridge.close()
        super().closeEvent(event)

    def _busy(self, count: int) -> None:
        self.activity.setText(t("ui.working") if count else "")
        self.spinner.setVisible(bool(count))
        self.cancel.setVisible(bool(count))

    def _cancel(self) -> None:
        """Stop waiting for what this window has in progress (a command the host already took
        stays done; the event stream shows what it did). Other windows are not touched."""
        self.bridge.cancel()
        self.ok(t("ui.cancelled"))

    def fail(self, exc: BaseException | str, near: QLabel | None = None) -> None:
        text = exc if isinstance(exc, str) else describe(exc)
        self.status.setText(text)
        self.status.setToolTip(text)
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
