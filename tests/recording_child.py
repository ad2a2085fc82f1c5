"""A window that records a speech, run as a child process (offscreen) that hears a PulseAudio
virtual microphone: the speaker's tablet (test_tablet_recording.py) or the secretary's console
with the hall microphone (test_console_speech.py). One harness for both: the child pairs with
the real host, prints "REC True"/"REC False" as its recorder starts and stops, and at the end
"unsent N checked B"; the parent grants the floor, plays a sound into the microphone and ends
the speech."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any

from tests.hostproc import HostProcess

CHILD = Template("""
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from meetingapp.client import HostClient, context_for_ca
from ui.bridge import Bridge
from $module import $window

host_json, code, sid, who, cache = sys.argv[1:6]
app = QApplication([])
bridge = Bridge()
info = json.loads(Path(host_json).read_text())

async def pair():
    ssl = context_for_ca(Path(info["ca_cert"]).read_bytes(), info["ca_fingerprint"])
    client = HostClient(info["url"], ssl)
    await client.pair(code, "$device")
    return client

window = $window(bridge, bridge.run(pair()), sid, who, Path(cache))
window.show()
seen = []
window.recorder.recording.connect(lambda on: (seen.append(on), print("REC", on, flush=True)))
window.recorder.failed.connect(lambda why: print("FAILED", why, flush=True))
hall_mic = getattr(window, "hall_mic", None)

def check():
    if hall_mic is not None and not seen and hall_mic.isEnabled():
        hall_mic.click()  # the secretary switches the hall microphone on
    if seen[-2:] == [True, False] and bridge.busy == 0:
        app.quit()

timer = QTimer(interval=200)
timer.timeout.connect(check)
timer.start()
QTimer.singleShot(120_000, lambda: app.exit(3))
code = app.exec()
checked = hall_mic.isChecked() if hall_mic is not None else False
print("unsent", len(window.recorder.unsent), "checked", checked, flush=True)
bridge.stop()
sys.stdout.flush()
os._exit(code)
""")

TABLET = {"module": "ui.delegate", "window": "DelegateTablet", "device": "ghế 5"}
CONSOLE = {"module": "ui.secretary", "window": "SecretaryConsole", "device": "máy thư ký"}


def record_in_child(
    host: HostProcess,
    mic: dict[str, str],
    window: dict[str, str],
    *,
    code: str,
    sid: str,
    who: str,
    speaker: str,
    sound: Path,
    cache: Path,
    done: Callable[[dict[str, Any]], bool],
    polls: int,
) -> tuple[dict[str, Any], str]:
    """Run ``window`` (TABLET or CONSOLE; ``who``: its delegate or body) in a child process;
    give ``speaker`` the floor, play ``sound`` into the virtual microphone, end the speech and
    wait until ``done(speech)`` (at most ``polls`` half-seconds). Returns the speech as the
    host has it (with its ``id``) and the child's output, once it exited with status 0."""
    env = {**mic, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.getcwd()}
    args = [str(host.data_dir / "host.json"), code, sid, who, str(cache)]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.substitute(window), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    async def scenario() -> dict[str, Any]:
        console = host.client(console=True)
        try:
            await asyncio.sleep(4)  # the window pairs and takes its snapshot
            request = await console.request_floor(sid, speaker)
            speech = await console.grant_floor(sid, request, 300)
            assert child.stdout is not None
            line = await asyncio.to_thread(child.stdout.readline)
            while line and not line.startswith("REC"):
                line = await asyncio.to_thread(child.stdout.readline)
            assert line.strip() == "REC True", line
            await asyncio.sleep(2.0)  # the capture stream starts ~1.8 s after it is asked for
            play = ["paplay", "--device=meet", str(sound)]
            await asyncio.to_thread(subprocess.run, play, env=mic, check=True)
            await asyncio.sleep(1.0)
            await console.end_speech(sid, speech)
            for _ in range(polls):
                sp = (await console.state(sid))["session"]["speeches"][speech]
                if done(sp):
                    return {**sp, "id": speech}
                await asyncio.sleep(0.5)
            raise TimeoutError("the host did not get what was recorded")
        finally:
            await console.close()

    try:
        sp = asyncio.run(scenario())
        out, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, out
    return sp, out
