"""The secretary's console during a speech, against the real host: the hall-microphone toggle
and the speaker-change buttons are usable only while a speech runs; the chair's interjection
and the return to the speaker are marked on the host and shown at the console. (The recorder
itself, on a real PulseAudio microphone, is tested at the tablet: test_tablet_recording.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from ui.bridge import Bridge
from ui.secretary import SecretaryConsole
from ui.strings import set_language


@pytest.fixture
def bridge(qapp) -> Iterator[Bridge]:  # type: ignore[no-untyped-def]
    set_language("vi")
    b = Bridge()
    yield b
    b.stop()


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
