"""Crash-safe recording: 16 kHz mono PCM written in chunks of at most one second, each chunk
its own file, fsynced, so a crash of the recording machine or the host loses at most the
second being filled. Chunks are joined into one WAV per speech; any audio file PyAV can decode
can be imported into the same form."""

from __future__ import annotations

import math
import wave
from array import array
from pathlib import Path

from meetingapp.atomic import atomic_write
from meetingapp.errors import MeetingAppError

RATE = 16_000
SAMPLE_BYTES = 2


class AudioError(MeetingAppError):
    key = "audio.unreadable"


def write_chunk(folder: Path, index: int, pcm: bytes) -> Path:
    """Store chunk ``index`` durably (temp file, fsync, rename, fsync of the folder)."""
    path = folder / f"chunk-{index:06d}.pcm"
    atomic_write(path, pcm)
    return path


def level_dbfs(pcm: bytes) -> float:
    """RMS level of 16-bit samples in dBFS (the meter beside the recording indicator)."""
    samples = array("h", pcm[: len(pcm) // 2 * 2])
    if not samples:
        return -120.0
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return round(20 * math.log10(rms / 32768), 1) if rms > 0 else -120.0


class ChunkRecorder:
    """Accumulates captured PCM and writes a chunk every ``chunk_s`` seconds."""

    def __init__(self, folder: Path, *, chunk_s: float = 1.0) -> None:
        if not 0 < chunk_s <= 1.0:
            raise ValueError("chunk_s must be in (0, 1]")
        self.folder = folder
        self.chunk_bytes = int(RATE * chunk_s) * SAMPLE_BYTES
        self._buffer = bytearray()
        self.index = len(list(folder.glob("chunk-*.pcm"))) if folder.exists() else 0
        self.level = -120.0

    def write(self, pcm: bytes) -> list[Path]:
        self.level = level_dbfs(pcm)
        self._buffer += pcm
        written = []
        while len(self._buffer) >= self.chunk_bytes:
            written.append(
                write_chunk(self.folder, self.index, bytes(self._buffer[: self.chunk_bytes]))
            )
            del self._buffer[: self.chunk_bytes]
            self.index += 1
        return written

    def close(self) -> None:
        if self._buffer:
            write_chunk(self.folder, self.index, bytes(self._buffer))
            self.index += 1
            self._buffer.clear()


def recovered_pcm(folder: Path) -> bytes:
    """Every complete chunk, in order (a half-written ``.tmp`` is ignored)."""
    return b"".join(p.read_bytes() for p in sorted(folder.glob("chunk-*.pcm")))


def write_wav(pcm: bytes, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(SAMPLE_BYTES)
        w.setframerate(RATE)
        w.writeframes(pcm)
    return path


def decode_to_pcm(path: Path) -> bytes:
    """Any file PyAV decodes (FLAC, MP3, M4A, OGG, WAV, video…) → 16 kHz mono PCM16."""
    import av

    try:
        out = bytearray()
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AudioError("audio.no_stream", name=path.name)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            for frame in container.decode(audio=0):
                for res in resampler.resample(frame):
                    out += res.to_ndarray().tobytes()
            for res in resampler.resample(None):
                out += res.to_ndarray().tobytes()
    except AudioError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise AudioError("audio.unreadable", name=path.name, detail=str(exc)) from exc
    if not out:
        raise AudioError("audio.unreadable", name=path.name, detail="no samples")
    return bytes(out)
