"""Crash-safe recording and audio import, with real processes and real audio files."""

from __future__ import annotations

import math
import signal
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from asr.recording import (
    RATE,
    AudioError,
    ChunkRecorder,
    decode_to_pcm,
    level_dbfs,
    recovered_pcm,
    write_wav,
)


def sine(seconds: float, amplitude: float = 0.7) -> bytes:
    n = int(RATE * seconds)
    return struct.pack(
        f"<{n}h",
        *(int(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(n)),
    )


def test_chunks_of_at_most_a_second_and_the_level(tmp_path: Path) -> None:
    rec = ChunkRecorder(tmp_path / "sp1")
    written = rec.write(sine(2.5))
    assert len(written) == 2 and all(p.stat().st_size == RATE * 2 for p in written)
    assert -6.5 < rec.level < -5.7  # a sine at 0.7 of full scale: 20·log10(0.7/√2) ≈ −6.1 dBFS
    rec.close()
    assert len(recovered_pcm(tmp_path / "sp1")) == int(RATE * 2.5) * 2
    assert level_dbfs(b"\x00\x00" * 100) == -120.0
    with pytest.raises(ValueError):
        ChunkRecorder(tmp_path / "x", chunk_s=2)


def test_a_killed_recorder_loses_at_most_the_last_second(tmp_path: Path, shared_data: Path) -> None:
    clip = shared_data / "speech" / "dev" / "VIVOSSPK01_R002.flac"
    pcm = decode_to_pcm(clip)
    source = tmp_path / "source.pcm"
    source.write_bytes(pcm * 2)
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from asr.recording import ChunkRecorder
        rec = ChunkRecorder(Path({str(tmp_path / "speech")!r}))
        data = Path({str(source)!r}).read_bytes()
        block = 1600 * 2  # 0.1 s, as a capture callback delivers it
        for i in range(0, len(data), block):
            rec.write(data[i:i + block])
            print(i + block, flush=True)
            time.sleep(0.1)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    fed = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        fed = int(line)
        if fed >= int(RATE * 2.55) * 2:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    got = recovered_pcm(tmp_path / "speech")
    assert fed - len(got) <= RATE * 2  # at most one second (of 16-bit samples) lost
    assert got == (pcm * 2)[: len(got)]  # and what survived is exactly what was captured
    wav = write_wav(got, tmp_path / "speech.wav")
    assert len(decode_to_pcm(wav)) == len(got)


def test_import_any_audio_and_refuse_what_is_not(tmp_path: Path, shared_data: Path) -> None:
    clip = shared_data / "speech" / "dev" / "VIVOSSPK01_R001.flac"
    pcm = decode_to_pcm(clip)
    assert 2.9 < len(pcm) / 2 / RATE < 3.1  # 3.000 s in the manifest
    fake = tmp_path / "speech.mp3"
    fake.write_text("this is not audio")
    with pytest.raises(AudioError) as info:
        decode_to_pcm(fake)
    assert "Không đọc được tệp âm thanh speech.mp3" in info.value.message("vi")
    broken = tmp_path / "cut.flac"
    broken.write_bytes(clip.read_bytes()[:200])
    with pytest.raises(AudioError):
        decode_to_pcm(broken)
