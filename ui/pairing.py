"""Scanning a pairing QR code with the tablet's camera (or reading it from an image file).

Camera frames are decoded by OpenCV's QRCodeDetector off the window's thread, at most one frame
in flight and about five a second; the first code read ends the scan."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from meetingapp import qr
from ui.bridge import Bridge
from ui.strings import t

SCAN_INTERVAL_S = 0.2


def array_of(image: QImage) -> Any:
    """A QImage as a grayscale array for OpenCV (a copy: the frame's memory is Qt's)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    buf = np.frombuffer(gray.constBits(), np.uint8, count=stride * height)
    return buf.reshape(height, stride)[:, :width].copy()


def read_qr_file(path: Path) -> str | None:
    return qr.decode(path)


class QrScanner(QWidget):
    """The camera's picture and what it reads; ``found`` carries the QR code's text."""

    found = Signal(str)

    def __init__(self, bridge: Bridge) -> None:
        super().__init__()
        self.bridge = bridge
        self.camera: Any = None
        self.in_flight = False
        self.last = 0.0
        self.prompt = QLabel("")
        self.prompt.setWordWrap(True)
        self.stop_btn = QPushButton(t("ui.stop_scanning"))
        self.stop_btn.clicked.connect(self.stop)
        layout = QVBoxLayout(self)
        from PySide6.QtMultimedia import QMediaDevices

        self.devices = list(QMediaDevices.videoInputs())
        self.preview: Any = None
        if self.devices:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            self.preview = QVideoWidget()
            self.preview.setMinimumSize(320, 240)
            layout.addWidget(self.preview)
        layout.addWidget(self.prompt)
        layout.addWidget(self.stop_btn)

    def start(self) -> bool:
        """Open the camera; False (and a message) when the device has none."""
        if not self.devices:
            self.prompt.setText(t("ui.no_camera_found_type_the_code_or_open_a"))
            return False
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession

        self.camera = QCamera(self.devices[0])
        self.capture = QMediaCaptureSession()
        self.capture.setCamera(self.camera)
        self.capture.setVideoOutput(self.preview)
        self.preview.videoSink().videoFrameChanged.connect(self._frame)
        self.camera.errorOccurred.connect(lambda *_: self.prompt.setText(self.camera.errorString()))
        self.camera.start()
        self.prompt.setText(t("ui.hold_the_qr_code_in_view"))
        return True

    def _frame(self, frame: Any) -> None:
        now = time.monotonic()
        if self.camera is None or self.in_flight or now - self.last < SCAN_INTERVAL_S:
            return
        image = frame.toImage()
        if image.isNull():
            return
        self.last = now
        self.scan(array_of(image))

    def scan(self, pixels: Any) -> None:
        """Decode one frame off the window's thread."""
        self.in_flight = True

        def done(text: str | None) -> None:
            self.in_flight = False
            if text and self.camera is not None:
                self.stop()
                self.found.emit(text)

        def failed(_exc: BaseException) -> None:
            self.in_flight = False

        self.bridge.call(asyncio.to_thread(qr.decode, pixels), done, failed)

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
