"""Recording a speech at the speaker's tablet: the microphone is read as it captures, each second
is written to disk (fsync'd, so a crash loses at most the last second) and sent to the host at
once; the host joins the chunks when the speech ends and transcribes them."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from asr.recording import ChunkRecorder
from meetingapp.client import HostClient
from ui.bridge import Scope
from ui.strings import t

# what the speaker and the console are told about the recording
WAITING = "waiting"  # started; no sound from the microphone yet
LIVE = "live"  # sound arrives and reaches the host
NO_MIC = "no_mic"  # no microphone, or it cannot record
SILENT_MIC = "silent_mic"  # the microphone delivers nothing (dead, muted, unplugged)
NOT_SENT = "not_sent"  # sound is recorded here but does not reach the host
STALL_S = 2.5  # no audio for this long: the microphone is said to be dead


class SpeechRecorder(QObject):
    """``recording`` says whether the recorder runs (the speech is ours); ``health`` says the
    truth about it: "recording" is shown only while audio arrives AND reaches the host."""

    level = Signal(float)  # dBFS, for the meter
    recording = Signal(bool)
    health = Signal(str)  # WAITING, LIVE, NO_MIC, SILENT_MIC, NOT_SENT
    failed = Signal(str)

    def __init__(self, bridge: Scope, client: HostClient, session_id: str, folder: Path) -> None:
        super().__init__()
        self.bridge, self.client, self.sid, self.folder = bridge, client, session_id, folder
        self.speech: str | None = None
        self.capture: object | None = None
        self.chunks: ChunkRecorder | None = None
        self.unsent: list[Path] = []
        self.sent_chunks = 0
        self.state = ""
        self._last_audio = 0.0
        self._started = 0.0
        self._watch = QTimer(self, interval=500)
        self._watch.timeout.connect(self._check)

    def _set(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.health.emit(state)

    def _check(self) -> None:
        """Twice a second: is sound still arriving, is it still reaching the host?"""
        if self.capture is None or self.state == NO_MIC:
            return
        now = time.monotonic()
        if now - max(self._last_audio, self._started) > STALL_S:
            self._set(SILENT_MIC)
        elif self.unsent:
            self._set(NOT_SENT)
        elif self._last_audio and self.sent_chunks:
            self._set(LIVE)

    def start(self, speech_id: str) -> None:
        if self.speech == speech_id:
            return
        self.stop()
        from ui.audio_capture import AudioCapture

        self.speech = speech_id
        self.chunks = ChunkRecorder(self.folder / speech_id)
        capture = AudioCapture(self._pcm, parent=self)
        capture.level.connect(self.level)
        capture.failed.connect(self._no_mic)
        self.capture = capture
        self.sent_chunks = 0
        self._last_audio = 0.0
        self._started = time.monotonic()
        self.state = ""
        self._set(WAITING)
        capture.start()
        self.recording.emit(True)
        self._watch.start()

    def _no_mic(self, why: str) -> None:
        self._set(NO_MIC)
        self.failed.emit(
            t("ui.cannot_record")
            + {
                "no microphone": t("ui.no_microphone"),
            }.get(why, t("ui.the_microphone_cannot_record"))
        )

    def _pcm(self, data: bytes) -> None:
        if data.strip(b"\x00"):  # digital silence is what a dead or muted input delivers
            self._last_audio = time.monotonic()
        if self.chunks is not None:
            for path in self.chunks.write(data):
                self._upload(path)

    def _upload(self, path: Path) -> None:
        speech = self.speech
        if speech is None:
            return
        index = int(path.stem.split("-")[-1])

        def kept(_: object) -> None:
            self.sent_chunks += 1
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
        self._watch.stop()
        self._set("")
        self.recording.emit(False)


SOUND_DB = -80.0  # a chunk louder than this carries sound (digital silence is -120 dBFS)
REMOTE_STALL_S = 6.0  # no audio, or no sound, for this long: the console is told


class RemoteMic:
    """What the console knows of a speech recorded elsewhere (the speaker's tablet), from the
    host's per-chunk ``audio`` messages: sound arrives (LIVE), chunks arrive but carry no sound
    (SILENT_MIC: a dead or muted microphone), or nothing arrives (NOT_SENT). Seen while the speech
    runs, so the hall microphone can take over at once. ``now`` is injectable for tests."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self.now = now
        self.speech: str | None = None
        self._since = 0.0  # when this speech was first seen here
        self._chunk_at = 0.0  # when the last chunk was heard of (0: none yet)
        self._sound_at = 0.0  # when the last chunk with sound was heard of

    def follow(self, speech_id: str | None) -> None:
        if speech_id != self.speech:
            self.speech = speech_id
            self._since, self._chunk_at, self._sound_at = self.now(), 0.0, 0.0

    def heard(self, message: dict[str, object]) -> None:
        if message.get("type") != "audio" or message.get("speech_id") != self.speech:
            return
        self._chunk_at = self.now()
        level = message.get("level_db")
        if isinstance(level, int | float) and level > SOUND_DB:
            self._sound_at = self._chunk_at

    def state(self) -> str:
        if self.speech is None:
            return ""
        now = self.now()
        if now - max(self._chunk_at, self._since) > REMOTE_STALL_S:
            return NOT_SENT
        if self._chunk_at and now - max(self._sound_at, self._since) > REMOTE_STALL_S:
            return SILENT_MIC
        return LIVE if self._sound_at else WAITING
