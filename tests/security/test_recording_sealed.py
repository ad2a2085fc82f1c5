"""Attack: a delegate's tablet rewrites its recording after the speech (issue #14, finding 6).

Before: chunks were accepted after the speech ended (200) and overwrote stored ones. Now the
recording is sealed when the speech ends: only the tablet's last, new chunks land during a short
grace; a stored chunk is never replaced after the end, and once the audio is joined (its SHA-256
recorded in the ``speech_audio`` event) every chunk is refused with 409.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from meetingapp.client import HostError
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting

SECOND = b"\x01\x00" * 16_000  # 1 s of 16 kHz PCM16


@pytest.mark.slow
def test_chunks_after_the_speech_are_refused_and_the_hash_is_in_the_log(
    host: HostProcess, tmp_path: Path
) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        sid, console = mt.session, mt.console
        speaker = next(iter(mt.tablets.values()))
        live = console.live(sid).start()
        await live.wait_for(lambda s: s.world is not None)
        speech = await console.grant_floor(sid, await speaker.request_floor(sid))
        for i in range(3):
            await speaker.send_audio_chunk(sid, speech, i, SECOND)
        await speaker.send_audio_chunk(sid, speech, 1, SECOND)  # a retry while speaking: fine
        await console.end_speech(sid, speech)
        with pytest.raises(HostError) as info:  # rewriting what was said: refused at once
            await speaker.send_audio_chunk(sid, speech, 0, b"\x00\x00" * 16_000)
        assert (info.value.status, info.value.code) == (409, "recording.sealed")
        await speaker.send_audio_chunk(sid, speech, 3, SECOND[:6400])  # the last partial chunk
        await live.wait_for(
            lambda s: bool(s.world.sessions[sid].speeches[speech].audio_ref), timeout=60
        )
        sp = live.world.sessions[sid].speeches[speech]
        with pytest.raises(HostError) as info:
            await speaker.send_audio_chunk(sid, speech, 4, SECOND)
        assert (info.value.status, info.value.code) == (409, "recording.sealed")
        assert "đã kết thúc" in info.value.detail
        wav = await console.audio_file(sp.audio_ref, tmp_path / "audio")
        assert hashlib.sha256(wav.read_bytes()).hexdigest() == sp.audio_ref  # hash in the log
        assert abs(sp.audio_seconds - 3.2) < 0.01  # the stored chunks, none replaced
        await live.stop()
        await mt.close()

    asyncio.run(scenario())
