"""Microphone capture with QtMultimedia for the recording station (a console or the speaker's
tablet): 16 kHz mono 16-bit PCM read on ``readyRead`` (polling loses audio) and handed to a
sink as it arrives — in the app, a ``ChunkRecorder`` and the upload of each chunk."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QIODevice, QObject, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices

from asr.recording import level_dbfs

RATE = 16_000


def capture_format() -> QAudioFormat:
    fmt = QAudioFormat()
    fmt.setSampleRate(RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


class AudioCapture(QObject):
    """Reads the chosen (default) input device and calls ``sink`` with each block of PCM."""

    level = Signal(float)  # dBFS of the latest block, for the meter
    failed = Signal(str)

    def __init__(
        self,
        sink: Callable[[bytes], object],
        device: QAudioDevice | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.sink = sink
        self.device = device or QMediaDevices.defaultAudioInput()
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self.bytes_read = 0

    def start(self) -> None:
        if self.device.isNull():
            self.failed.emit("no microphone")
            return
        fmt = capture_format()
        if not self.device.isFormatSupported(fmt):
            self.failed.emit("the microphone cannot record 16 kHz mono")
            return
        self._source = QAudioSource(self.device, fmt, self)
        self._source.setBufferSize(RATE * 2 // 5)  # 0.2 s
        self._io = self._source.start()
        self._io.readyRead.connect(self._read)

    def _read(self) -> None:
        if self._io is None:
            return
        data = bytes(self._io.readAll().data())
        if data:
            self.bytes_read += len(data)
            self.sink(data)
            self.level.emit(level_dbfs(data))

    def stop(self) -> None:
        if self._source is not None:
            self._read()
            self._source.stop()
            self._source = None
            self._io = None
