"""Recording a speech at the speaker's tablet: the microphone is read as it captures, each second
is written to disk (fsync'd, so a crash loses at most the last second) and sent to the host at
once; the host joins the chunks when the speech ends and transcribes them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from asr.recording import ChunkRecorder
from meetingapp.client import HostClient
from ui.bridge import Scope
from ui.strings import L


class SpeechRecorder(QObject):
    level = Signal(float)  # dBFS, for the meter
    recording = Signal(bool)
    failed = Signal(str)

    def __init__(self, bridge: Scope, client: HostClient, session_id: str, folder: Path) -> None:
        super().__init__()
        self.bridge, self.client, self.sid, self.folder = bridge, client, session_id, folder
        self.speech: str | None = None
        self.capture: object | None = None
        self.chunks: ChunkRecorder | None = None
        self.unsent: list[Path] = []

    def start(self, speech_id: str) -> None:
        if self.speech == speech_id:
            return
        self.stop()
        from ui.audio_capture import AudioCapture

        self.speech = speech_id
        self.chunks = ChunkRecorder(self.folder / speech_id)
        capture = AudioCapture(self._pcm, parent=self)
        capture.level.connect(self.level)
        capture.failed.connect(
            lambda why: self.failed.emit(L("Không ghi âm được: ", "Cannot record: ") + why)
        )
        self.capture = capture
        capture.start()
        self.recording.emit(True)

    def _pcm(self, data: bytes) -> None:
        if self.chunks is not None:
            for path in self.chunks.write(data):
                self._upload(path)

    def _upload(self, path: Path) -> None:
        speech = self.speech
        if speech is None:
            return
        index = int(path.stem.split("-")[-1])

        def kept(_: object) -> None:
            if path in self.unsent:
                self.unsent.remove(path)

        def failed(_: BaseException) -> None:  # kept on disk; sent again at the end
            if path not in self.unsent:
                self.unsent.append(path)

        self.bridge.call(
            self.client.send_audio_chunk(self.sid, speech, index, path.read_bytes()),
            kept,
            failed,
            background=True,
        )

    def stop(self) -> None:
        """The speech ended: the last partial second and anything not yet sent go now."""
        if self.capture is None or self.chunks is None:
            return
        self.capture.stop()  # type: ignore[attr-defined]
        before = self.chunks.index
        self.chunks.close()
        if self.chunks.index > before:
            self._upload(self.chunks.folder / f"chunk-{before:06d}.pcm")
        for path in list(self.unsent):
            self._upload(path)
        self.capture = None
        self.chunks = None
        self.speech = None
        self.recording.emit(False)
