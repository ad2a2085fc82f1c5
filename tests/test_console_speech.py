"""The secretary's console during a speech, against the real host: the hall-microphone toggle
and the speaker-change buttons are usable only while a speech runs; the chair's interjection
and the return to the speaker are marked on the host and shown at the console. (The recorder
itself, on a real PulseAudio microphone, is tested at the tablet: test_tablet_recording.py.)"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from meetingapp.replica import LiveSession
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.recording_child import CONSOLE, record_in_child
from tests.test_microphone import tone, virtual_mic  # noqa: F401 — the fixture
from ui.bridge import Bridge
from ui.secretary import SecretaryConsole


def test_hall_microphone_and_speaker_marks_only_during_a_speech(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, tablets=2))
    chair, speaker = mt.delegates[0], mt.delegates[1]
    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body, tmp_path / "console")
    qtbot.addWidget(console)
    qtbot.waitUntil(lambda: console.roll.rowCount() == 12, timeout=10000)
    assert console.hall_mic.text() == "Ghi âm bằng micrô hội trường"
    assert console.hall_mic.isCheckable()

    def enabled() -> tuple[bool, bool, bool]:
        return (
            console.hall_mic.isEnabled(),
            console.interject.isEnabled(),
            console.back_to_speaker.isEnabled(),
        )

    assert enabled() == (False, False, False)  # no speech yet
    request = bridge.run(mt.tablets[speaker].request_floor(mt.session))
    qtbot.waitUntil(lambda: console.queue.count() == 1, timeout=10000)
    assert enabled() == (False, False, False)  # a request waits; nobody speaks
    speech = bridge.run(mt.console.grant_floor(mt.session, request))
    qtbot.waitUntil(lambda: console.hall_mic.isEnabled(), timeout=10000)
    assert enabled() == (True, True, False)  # the floor-holder speaks: no "back" yet

    console.interject.click()
    qtbot.waitUntil(lambda: "đang ngắt lời" in console.speaking.text(), timeout=10000)
    assert "Chủ tọa Đại biểu Thứ 0 đang ngắt lời" in console.speaking.text()
    assert enabled() == (True, False, True)
    console.back_to_speaker.click()
    qtbot.waitUntil(lambda: "ngắt lời" not in console.speaking.text(), timeout=10000)
    assert enabled() == (True, True, False)
    marks = bridge.run(mt.console.state(mt.session))["session"]["speeches"][speech]["marks"]
    assert [m["delegate_id"] for m in marks] == [chair, speaker]

    bridge.run(mt.console.end_speech(mt.session, speech))
    qtbot.waitUntil(lambda: not console.hall_mic.isEnabled(), timeout=10000)
    assert enabled() == (False, False, False)
    assert console.recorder.speech is None  # nothing left recording
    console.close()
    bridge.run(mt.close())


@pytest.mark.slow
@pytest.mark.skipif(
    subprocess.run(["which", "pulseaudio"], capture_output=True).returncode != 0,
    reason="pulseaudio is installed by scripts/setup.sh",
)
def test_the_hall_microphone_records_a_speaker_without_a_tablet(
    host: HostProcess,
    tmp_path: Path,
    virtual_mic: dict[str, str],  # noqa: F811 — the fixture imported above
) -> None:
    """The console (a child process, offscreen) hears a PulseAudio virtual microphone while a
    delegate without a tablet holds the floor; the recording reaches the host."""
    sound = tone(tmp_path / "tone.wav", 4.0)

    async def prepare() -> tuple[str, str, str, str]:
        mt = await api_meeting(host, tablets=0)
        code = (await mt.console.pairing_code("secretary", None))["code"]
        await mt.close()
        return mt.session, mt.body, mt.delegates[6], code

    sid, body, did, code = asyncio.run(prepare())
    sp, out = record_in_child(
        host,
        virtual_mic,
        CONSOLE,
        code=code,
        sid=sid,
        who=body,
        speaker=did,
        sound=sound,
        cache=tmp_path / "console",
        done=lambda sp: bool(sp["audio_ref"]),
        polls=60,
    )
    assert "REC False" in out and "unsent 0 checked False" in out, out
    # everything captured while the floor was held reached the host: at least the tone
    assert 4.0 < float(sp["audio_seconds"]) < 15.0, sp["audio_seconds"]


def _pcm(seconds: float, loud: bool) -> bytes:
    """One chunk of 16 kHz PCM16: a 440 Hz tone, or the digital silence a muted input gives."""
    import math
    import struct

    n = int(16000 * seconds)
    if not loud:
        return b"\x00\x00" * n
    return struct.pack(
        f"<{n}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / 16000)) for i in range(n))
    )


def test_a_dead_microphone_on_the_speakers_tablet_is_seen_at_the_console_while_he_speaks(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path, monkeypatch
) -> None:
    """The host tells the operators each chunk's level as it arrives (an unlogged message, never
    sent to delegates); the console says at once whether sound arrives, arrives silent (a dead
    or muted microphone) or has stopped, so the hall microphone can take over mid-speech."""
    import ui.recorder

    monkeypatch.setattr(ui.recorder, "REMOTE_STALL_S", 2.0)
    mt = bridge.run(api_meeting(host, tablets=2))
    other, speaker = mt.delegates[0], mt.delegates[1]
    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body, tmp_path / "console")
    qtbot.addWidget(console)
    qtbot.waitUntil(lambda: console.roll.rowCount() == 12, timeout=10000)
    # another delegate's tablet follows the session too: it must never hear of the levels
    kinds: list[str] = []

    async def follow() -> LiveSession:
        live = mt.tablets[other].live(mt.session).start()
        live.listeners.append(lambda m: kinds.append(m["type"]))
        await live.wait_for(lambda s: s.world is not None)
        return live

    other_live = bridge.run(follow())

    request = bridge.run(mt.tablets[speaker].request_floor(mt.session))
    speech = bridge.run(mt.console.grant_floor(mt.session, request))
    qtbot.waitUntil(lambda: "Đang chờ âm thanh" in console.mic_state.text(), timeout=10000)
    name = next(d.full_name for d in console.feed.world.delegates.values() if d.id == speaker)
    assert name in console.mic_state.text()

    send = mt.tablets[speaker].send_audio_chunk
    for i in range(2):  # sound arrives
        bridge.run(send(mt.session, speech, i, _pcm(1.0, loud=True)))
    qtbot.waitUntil(lambda: "Đang nhận âm thanh" in console.mic_state.text(), timeout=10000)
    for i in range(2, 6):  # the microphone goes dead: chunks keep coming, without sound
        bridge.run(send(mt.session, speech, i, _pcm(1.0, loud=False)))
        qtbot.wait(700)
    qtbot.waitUntil(lambda: "không thu được tiếng" in console.mic_state.text(), timeout=10000)
    assert console.hall_mic.isEnabled()  # the way out is right there
    bridge.run(send(mt.session, speech, 6, _pcm(1.0, loud=True)))
    qtbot.waitUntil(lambda: "Đang nhận âm thanh" in console.mic_state.text(), timeout=10000)
    # the tablet stops sending altogether (battery, Wi-Fi): said within the stall time
    qtbot.waitUntil(lambda: "Không nhận được âm thanh" in console.mic_state.text(), timeout=10000)

    bridge.run(mt.console.end_speech(mt.session, speech))
    qtbot.waitUntil(lambda: console.mic_state.text() == "", timeout=10000)
    assert "event" in kinds and "audio" not in kinds  # the other tablet followed, never heard
    bridge.run(other_live.stop())
    console.feed.stop()
    bridge.run(mt.close())
