"""A speech recorded at the speaker's tablet: the app (a child process, offscreen) hears a
PulseAudio virtual microphone into which the demo speech is played, streams it to the real host
second by second while the delegate holds the floor, and the host transcribes it."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from asr.normalize import normalize
from asr.recording import decode_to_pcm, write_wav
from meetingapp import demo_script as script
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.recording_child import TABLET, record_in_child
from tests.test_microphone import virtual_mic  # noqa: F401 — the fixture

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pulseaudio"], capture_output=True).returncode != 0,
    reason="pulseaudio is installed by scripts/setup.sh",
)


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
    sp, out = record_in_child(
        host,
        virtual_mic,
        TABLET,
        code=code,
        sid=sid,
        who=did,
        speaker=did,
        sound=wav,
        cache=tmp_path / "tablet",
        done=lambda sp: bool(sp["segments"]),
        polls=240,
    )
    speech = str(sp["id"])
    assert "REC False" in out and "unsent 0" in out, out
    # everything captured while the floor was held reached the host: about the played length
    assert 9.0 < float(sp["audio_seconds"]) < 20.0, sp["audio_seconds"]
    heard = set(normalize(" ".join(s["text"] for s in sp["segments"])).split())
    words = set(normalize(text).split())
    assert len(heard & words) >= len(words) // 3, sp["segments"]
    chunks = sorted((tmp_path / "tablet" / "recordings" / speech).glob("chunk-*.pcm"))
    assert len(chunks) >= 9  # also kept on the tablet, one file a second
