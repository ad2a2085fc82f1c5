"""Recording from a real (virtual) microphone: a private PulseAudio server with a null sink
whose monitor is remapped into a source that QtMultimedia lists as a microphone. A 440 Hz tone
is played into the sink; the capture must hear it, chunked and recoverable."""

from __future__ import annotations

import math
import os
import shutil
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from asr.recording import RATE, ChunkRecorder, level_dbfs, recovered_pcm, write_wav

pytestmark = pytest.mark.skipif(
    shutil.which("pulseaudio") is None, reason="pulseaudio is installed by scripts/setup.sh"
)


@pytest.fixture
def virtual_mic(tmp_path: Path) -> Iterator[dict[str, str]]:
    runtime = tmp_path / "pulse"
    runtime.mkdir()
    socket = runtime / "native"
    env = {
        **os.environ,
        "PULSE_RUNTIME_PATH": str(runtime),
        "PULSE_SERVER": f"unix:{socket}",
        "HOME": str(tmp_path),
    }
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
            "--load=module-null-sink sink_name=meet",
            "--load=module-remap-source master=meet.monitor source_name=vmic",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run(["pactl", "set-default-source", "vmic"], env=env, check=True)
    subprocess.run(["pactl", "set-default-sink", "meet"], env=env, check=True)
    try:
        yield env
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def tone(path: Path, seconds: float, freq: float = 440.0) -> Path:
    n = int(RATE * seconds)
    pcm = struct.pack(
        f"<{n}h", *(int(0.5 * 32767 * math.sin(2 * math.pi * freq * i / RATE)) for i in range(n))
    )
    return write_wav(pcm, path)


@pytest.mark.slow
def test_capture_from_a_pulseaudio_virtual_microphone(
    tmp_path: Path, virtual_mic: dict[str, str]
) -> None:
    script = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from asr.recording import ChunkRecorder
from ui.audio_capture import AudioCapture
app = QCoreApplication([])
rec = ChunkRecorder(Path({str(tmp_path / "speech")!r}))
cap = AudioCapture(rec.write)
cap.failed.connect(lambda why: (print("FAILED", why), app.exit(3)))
cap.start()
QTimer.singleShot(5500, lambda: (cap.stop(), rec.close(), app.quit()))
app.exec()
print("read", cap.bytes_read, cap.device.description(), flush=True)
del cap, rec
import os
os._exit(0)  # PySide 6.12 can abort while garbage-collecting at interpreter exit
"""
    wav = tone(tmp_path / "tone.wav", 8.0)
    player = subprocess.Popen(["paplay", "--device=meet", str(wav)], env=virtual_mic)
    try:
        time.sleep(0.3)
        env = {**virtual_mic, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.getcwd()}
        import sys

        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        player.terminate()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "read" in done.stdout, done.stdout
    pcm = recovered_pcm(tmp_path / "speech")
    seconds = len(pcm) / 2 / RATE
    # the first block arrives after ~1.8 s (the capture stream starting), then real time
    assert 2.8 < seconds < 5.5, seconds
    samples = np.frombuffer(pcm, dtype="<i2").astype(float)
    assert level_dbfs(pcm[RATE:]) > -20  # the tone, not silence
    spectrum = np.abs(np.fft.rfft(samples[RATE : RATE * 2]))
    peak_hz = np.argmax(spectrum) * RATE / RATE  # one second of samples: 1 Hz per bin
    assert abs(peak_hz - 440) < 5, peak_hz
    assert ChunkRecorder(tmp_path / "speech").index == len(
        list((tmp_path / "speech").glob("*.pcm"))
    )
