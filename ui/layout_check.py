"""Finds what a person would see as a broken layout: visible widgets that overlap a sibling,
stick out of their parent (cut off), buttons or labels smaller than their text, touch targets
under a minimum size. Used by the tests at the real screen sizes and by ``make screenshots``."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QSizeGrip,
    QSpinBox,
    QWidget,
)


def _name(w: QWidget) -> str:
    text = ""
    if isinstance(w, QAbstractButton | QLabel):
        text = w.text()[:30].replace("\n", " ")
    return f"{type(w).__name__}({w.objectName() or text!r})"


def _children(w: QWidget) -> list[QWidget]:
    return [
        c
        for c in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if c.isVisible() and not c.isWindow()
    ]


def _inside_scroller(w: QWidget) -> bool:
    """Content of a scroll area may extend past what is shown: that is what scrolling is for."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractScrollArea) and not isinstance(p, QComboBox):
            return True
        p = p.parentWidget()
    return False


def problems(window: QWidget, *, touch: int = 0, min_font_px: int = 0) -> list[str]:
    """Every layout fault of ``window`` as it is now shown (empty: none).

    ``touch``: the minimum height and width of anything pressed or typed into (tablets);
    ``min_font_px``: the smallest text allowed in a visible label, button or field."""
    found: list[str] = []

    def walk(w: QWidget) -> None:
        kids = _children(w)
        if isinstance(w, QAbstractScrollArea | QAbstractSpinBox):
            kids = []  # a viewport's content scrolls; a spin box's field is Qt's own
        inner = w.rect()
        for c in kids:
            if isinstance(c, QSizeGrip):
                continue
            g = c.geometry()
            if not inner.contains(g) and not _inside_scroller(c):
                found.append(f"{_name(c)} cut off by {_name(w)}: {_r(g)} outside {_r(inner)}")
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                if a.geometry().intersects(b.geometry()):
                    inter = a.geometry().intersected(b.geometry())
                    if inter.width() > 1 and inter.height() > 1:
                        found.append(f"{_name(a)} overlaps {_name(b)} by {_r(inter)}")
        for c in kids:
            check(c)
            walk(c)

    def check(c: QWidget) -> None:
        if _inside_scroller(c) and not isinstance(c, QAbstractButton):
            return
        size = c.size()
        if isinstance(c, QAbstractButton | QComboBox | QSpinBox | QLineEdit):
            hint = c.minimumSizeHint()
            if size.width() < hint.width() - 2 or size.height() < hint.height() - 2:
                found.append(f"{_name(c)} squeezed: {size.width()}×{size.height()} < {_s(hint)}")
            if touch and (size.height() < touch or size.width() < touch):
                found.append(f"{_name(c)} under {touch}px for a finger: {_s(size)}")
        if isinstance(c, QLabel) and c.text():
            if c.wordWrap():
                need = c.heightForWidth(c.contentsRect().width())
                if need > 0 and c.contentsRect().height() < need - 2:
                    found.append(f"{_name(c)} text cut: {c.height()} < {need} high")
            else:
                hint = c.minimumSizeHint()
                if size.width() < hint.width() - 2 or size.height() < hint.height() - 2:
                    found.append(f"{_name(c)} text cut: {_s(size)} < {_s(hint)}")
        if min_font_px and isinstance(c, QLabel | QAbstractButton | QLineEdit | QComboBox):
            px = c.fontInfo().pixelSize()
            if c.isEnabled() and px < min_font_px and _has_text(c):
                found.append(f"{_name(c)} text {px}px < {min_font_px}px")

    walk(window)
    return found


def _has_text(c: QWidget) -> bool:
    if isinstance(c, QLabel | QAbstractButton):
        return bool(c.text().strip())
    return True


def _r(r: QRect) -> str:
    return f"({r.x()},{r.y()} {r.width()}×{r.height()})"


def _s(s: object) -> str:
    return f"{s.width()}×{s.height()}"  # type: ignore[attr-defined]
