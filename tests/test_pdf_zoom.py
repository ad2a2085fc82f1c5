"""The tablet's document view zooms by pinch as well as by its buttons (issue #16: "Documents
fit the width, zoom by buttons and pinch"): a touch screen's or touchpad's native zoom gesture,
Qt's pinch gesture and Ctrl+wheel all go through the one zoom setter, kept within the buttons'
range (0.5×–3× the fitted width), and the real page is drawn again at the new width."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice, QWheelEvent
from PySide6.QtWidgets import QApplication, QGestureEvent, QPinchGesture

from tests.meeting_api import make_pdf
from ui.bridge import Bridge
from ui.widgets import ZOOMS, PdfView


def pinch(view: PdfView, value: float) -> None:
    """One step of a native zoom gesture over the page (value: the change in scale)."""
    target = view.scroll.viewport()
    at = QPointF(target.width() / 2, target.height() / 2)
    event = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture,
        QPointingDevice.primaryPointingDevice(),
        2,
        at,
        at,
        QPointF(target.mapToGlobal(at.toPoint())),
        value,
        QPointF(0, 0),
    )
    QApplication.sendEvent(target, event)


def ctrl_wheel(view: PdfView, notches: int) -> None:
    target = view.scroll.viewport()
    at = QPointF(target.width() / 2, target.height() / 2)
    event = QWheelEvent(
        at,
        QPointF(target.mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)


def test_pinch_and_ctrl_wheel_zoom_the_page_within_the_buttons_range(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, tmp_path: Path
) -> None:
    pdf = tmp_path / "to-trinh.pdf"
    pdf.write_bytes(make_pdf(2))
    view = PdfView(bridge.scope(), follow_option=True, thumbnails=False)
    qtbot.addWidget(view)
    view.resize(800, 1000)
    view.show()
    view.open(pdf)
    qtbot.waitUntil(lambda: not view.image.pixmap().isNull(), timeout=15000)
    fitted = view.image.pixmap().width()
    assert view.zoom == 1.0 and not view.fit.isEnabled()

    def drawn() -> int:
        return view.image.pixmap().width()

    # a pinch outwards in steps: bigger, drawn again at the new width
    for _ in range(4):
        pinch(view, 0.1)
    assert view.zoom == pytest.approx(1.1**4, rel=1e-3)
    qtbot.waitUntil(lambda: drawn() > fitted * 1.4, timeout=15000)
    assert view.fit.isEnabled() and view.zoom_in.isEnabled()

    # pinching far past the buttons' range stops at 3×
    for _ in range(20):
        pinch(view, 0.5)
    assert view.zoom == ZOOMS[-1] == 3.0
    assert not view.zoom_in.isEnabled()
    qtbot.waitUntil(lambda: drawn() == view.target_width(), timeout=15000)
    assert drawn() > fitted * 2.9

    # the buttons carry on from a pinched zoom: one step down from 3× is 2×
    view.zoom_out.click()
    assert view.zoom == 2.0

    # Ctrl+wheel: down zooms out, far down stops at 0.5×; a plain wheel only scrolls
    ctrl_wheel(view, -1)
    assert view.zoom < 2.0
    for _ in range(30):
        ctrl_wheel(view, -3)
    assert view.zoom == ZOOMS[0] == 0.5 and not view.zoom_out.isEnabled()
    qtbot.waitUntil(lambda: drawn() == view.target_width(), timeout=15000)
    assert drawn() < fitted * 0.6
    plain = QWheelEvent(
        QPointF(10, 10),
        QPointF(10, 10),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.scroll.viewport(), plain)
    assert view.zoom == 0.5

    # Qt's own pinch gesture (touch screens where the platform sends touch points)
    gesture = QPinchGesture()
    gesture.setChangeFlags(QPinchGesture.ChangeFlag.ScaleFactorChanged)
    gesture.setScaleFactor(2.0)
    QApplication.sendEvent(view.scroll.viewport(), QGestureEvent([gesture]))
    assert view.zoom == pytest.approx(1.0)  # 0.5 × 2, and about the width fits it exactly
    assert not view.fit.isEnabled()
    qtbot.waitUntil(lambda: abs(drawn() - fitted) <= 2, timeout=15000)

    # the fit button brings any zoom back to the width
    pinch(view, 0.3)
    view.fit.click()
    assert view.zoom == 1.0
