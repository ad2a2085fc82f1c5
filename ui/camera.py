"""Face check-in at a camera: the preview, the liveness prompt ("turn your head to the left"),
and frames sent to the host about four times a second (never more than one in flight).

The same panel serves the door camera at the secretary's console (1:N over the roster, with
candidates to confirm when the match is uncertain) and the delegate's own tablet (1:1)."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from meetingapp.client import HostClient
from ui.bridge import Scope, describe
from ui.strings import t

FRAME_INTERVAL_S = 0.25


def jpeg_of(image: QImage, max_side: int = 640) -> bytes:
    if max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "JPEG", 85)
    return bytes(buf.data().data())


class FaceCheckin(QWidget):
    """One check-in attempt at a time; ``checked_in`` carries the delegate's id."""

    checked_in = Signal(str)
    candidates = Signal(list)  # [(delegate_id, distance)] for the secretary to confirm

    def __init__(
        self,
        bridge: Scope,
        client: HostClient,
        session_id: str,
        delegate_id: str | None = None,
        *,
        compact: bool = False,
    ) -> None:
        """``compact``: a row (the tablet's top bar); the preview shows only while checking."""
        super().__init__()
        self.bridge, self.client, self.sid, self.expected = bridge, client, session_id, delegate_id
        self.attempt: str | None = None
        self.in_flight = False
        self.last_sent = 0.0
        self.camera: Any = None
        self.prompt = QLabel("")
        self.prompt.setObjectName("title")
        self.prompt.setWordWrap(True)
        self.start_btn = QPushButton(t("ui.check_in_by_face"))
        self.start_btn.clicked.connect(self.start)
        layout = QHBoxLayout(self) if compact else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview: Any = None
        self.devices = self._devices()
        if self.devices:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            self.preview = QVideoWidget()
            self.preview.setMinimumSize(240 if compact else 320, 180 if compact else 240)
            self.preview.setVisible(not compact)
            layout.addWidget(self.preview)
        else:  # nothing to look into: said once, and the button cannot be pressed
            self.start_btn.setEnabled(False)
            self.start_btn.setToolTip(t("ui.this_device_has_no_camera"))
            if not compact:
                self.prompt.setText(t("ui.no_camera_found"))
            self.prompt.setObjectName("")
        if compact:
            self.prompt.setStyleSheet("font-size: 17px;")
        layout.addWidget(self.prompt)
        layout.addWidget(self.start_btn)

    @staticmethod
    def _devices() -> list[Any]:
        from PySide6.QtMultimedia import QMediaDevices

        return list(QMediaDevices.videoInputs())

    def start(self) -> None:
        """A new attempt: the host picks a random head-turn challenge."""

        def started(attempt: dict[str, Any]) -> None:
            self.attempt = attempt["id"]
            self.prompt.setText(t("ui.look_at_the_camera"))
            if self.devices and self.camera is None:
                self._open_camera()
            elif not self.devices:
                self.attempt = None
                self.prompt.setText(t("ui.no_camera_found"))

        self.bridge.call(
            self.client.start_face_checkin(self.sid, self.expected), started, self._failed
        )

    def _open_camera(self) -> None:
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession

        self.preview.setVisible(True)
        self.camera = QCamera(self.devices[0])
        self.capture = QMediaCaptureSession()
        self.capture.setCamera(self.camera)
        self.capture.setVideoOutput(self.preview)
        self.preview.videoSink().videoFrameChanged.connect(self._video_frame)
        self.camera.errorOccurred.connect(lambda *_: self._failed(self.camera.errorString()))
        self.camera.start()

    def _video_frame(self, frame: Any) -> None:
        now = time.monotonic()
        if self.attempt is None or self.in_flight or now - self.last_sent < FRAME_INTERVAL_S:
            return
        image = frame.toImage()
        if image.isNull():
            return
        self.last_sent = now
        self.send(jpeg_of(image))

    def send(self, jpeg: bytes) -> None:
        """One frame (from the camera, or an image file at a console without one)."""
        if self.attempt is None:
            return
        self.in_flight = True
        self.bridge.call(
            self.client.send_frame(self.sid, self.attempt, jpeg),
            self._reply,
            self._failed,
            background=True,  # four a second: not "work in progress" for the Cancel button
        )

    def feed_frames(self, frames: list[bytes]) -> None:
        """A new attempt fed with the given frames (image files, at a console without a
        camera): stops at the first check-in or failed challenge."""

        async def run() -> dict[str, Any]:
            attempt = await self.client.start_face_checkin(self.sid, self.expected)
            reply: dict[str, Any] = {"prompt": attempt["prompt"], "checked_in": None}
            for frame in frames:
                reply = await self.client.send_frame(self.sid, attempt["id"], frame)
                if reply.get("checked_in") or reply.get("liveness") == "failed":
                    break
            return reply

        self.prompt.setText(t("ui.recognising"))
        self.bridge.call(run(), self._reply, self._failed)

    def _reply(self, reply: dict[str, Any]) -> None:
        self.in_flight = False
        if reply.get("checked_in"):
            self.attempt = None
            self.prompt.setText(t("ui.checked_in"))
            self.stop_camera()
            self.checked_in.emit(reply["checked_in"])
            return
        if reply.get("liveness") == "failed":
            self.attempt = None
            self.prompt.setText(t("ui.not_passed_try_again"))
            self.stop_camera()
            return
        prompt = reply.get("prompt") or ""
        if reply.get("verdict") == "no_face":
            prompt = t("ui.no_face_in_view")
        self.prompt.setText(prompt)
        if reply.get("candidates"):
            self.candidates.emit([(c["delegate_id"], c["distance"]) for c in reply["candidates"]])

    def _failed(self, exc: BaseException | str) -> None:
        self.in_flight = False
        # the camera's own error text is not shown raw
        self.prompt.setText(
            t("ui.camera_error_use_the_pin") if isinstance(exc, str) else describe(exc)
        )

    def stop_camera(self) -> None:
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
