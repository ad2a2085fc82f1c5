"""A speech recorded at the speaker's tablet: the app (a child process, offscreen) hears a
PulseAudio virtual microphone into which the demo speech is played, streams it to the real host
second by second while the delegate holds the floor, and the host transcribes it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asr.normalize import normalize
from asr.recording import decode_to_pcm, write_wav
from meetingapp import demo_script as script
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.test_microphone import virtual_mic  # noqa: F401 — the fixture

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pulseaudio"], capture_output=True).returncode != 0,
    reason="pulseaudio is installed by scripts/setup.sh",
)

TABLET = """
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from meetingapp.client import HostClient, context_for_ca
from ui.bridge import Bridge
from ui.delegate import DelegateTablet

host_json, code, sid, did, cache = sys.argv[1:6]
app = QApplication([])
bridge = Bridge()
info = json.loads(Path(host_json).read_text())

async def pair():
    ssl = context_for_ca(Path(info["ca_cert"]).read_bytes(), info["ca_fingerprint"])
    client = HostClient(info["url"], ssl)
    await client.pair(code, "ghế 5")
    return client

window = DelegateTablet(bridge, bridge.run(pair()), sid, did, Path(cache))
window.show()
seen = []
window.recorder.recording.connect(lambda on: (seen.append(on), print("REC", on, flush=True)))
window.recorder.failed.connect(lambda why: print("FAILED", why, flush=True))

def check():
    if seen[-2:] == [True, False] and bridge.busy == 0:
        app.quit()

timer = QTimer(interval=200)
timer.timeout.connect(check)
timer.start()
QTimer.singleShot(120_000, lambda: app.exit(3))
code = app.exec()
print("unsent", len(window.recorder.unsent), flush=True)
bridge.stop()
sys.stdout.flush()
os._exit(code)
"""


@pytest.mark.slow
def test_the_tablet_records_and_streams_the_speech(
    host: HostProcess,
    tmp_path: Path,
    virtual_mic: dict[str, str],  # noqa: F811 — the fixture imported above
) -> None:
    speaker, _item, text = script.SPEECHES[0]
    wav = write_wav(decode_to_pcm(script.asset("speech-1.flac")), tmp_path / "speech.wav")

    async def prepare() -> tuple[str, str, str]:
        mt = await api_meeting(host, present=10, tablets=0)
        code = (await mt.console.pairing_code("delegate", mt.delegates[4]))["code"]
        await mt.close()
        return mt.session, mt.delegates[4], code

    sid, did, code = asyncio.run(prepare())
    env = {**virtual_mic, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.getcwd()}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            TABLET,
            str(host.data_dir / "host.json"),
            code,
            sid,
            did,
            str(tmp_path / "tablet"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    async def scenario() -> dict[str, object]:
        console = host.client(console=True)
        try:
            await asyncio.sleep(4)  # the tablet pairs and takes its snapshot
            request = await console.request_floor(sid, did)
            speech = await console.grant_floor(sid, request, 300)
            assert child.stdout is not None
            line = await asyncio.to_thread(child.stdout.readline)
            while line and not line.startswith("REC"):
                line = await asyncio.to_thread(child.stdout.readline)
            assert line.strip() == "REC True", line
            await asyncio.sleep(2.0)  # the capture stream starts ~1.8 s after it is asked for
            play = ["paplay", "--device=meet", str(wav)]
            await asyncio.to_thread(subprocess.run, play, env=virtual_mic, check=True)
            await asyncio.sleep(1.0)
            await console.end_speech(sid, speech)
            for _ in range(240):
                sp = (await console.state(sid))["session"]["speeches"][speech]
                if sp["segments"]:
                    return {**sp, "id": speech}
                await asyncio.sleep(0.5)
            raise TimeoutError("no transcript")
        finally:
            await console.close()

    try:
        sp = asyncio.run(scenario())
        speech = str(sp["id"])
        out, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, out
    assert "REC False" in out and "unsent 0" in out, out
    # everything captured while the floor was held reached the host: about the played length
    assert 9.0 < float(sp["audio_seconds"]) < 20.0, sp["audio_seconds"]
    heard = set(normalize(" ".join(s["text"] for s in sp["segments"])).split())
    words = set(normalize(text).split())
    assert len(heard & words) >= len(words) // 3, sp["segments"]
    chunks = sorted((tmp_path / "tablet" / "recordings" / speech).glob("chunk-*.pcm"))
    assert len(chunks) >= 9  # also kept on the tablet, one file a second
