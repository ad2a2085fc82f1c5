"""A speaker change marked at the console inside a speech (the chair interjects, then the floor
goes back to the speaker), through the real host: the host times the marks, the transcript's
segments after a mark are the chair's, and the minutes and transcripts say so. Also: the hall
microphone at the console records a speech, and never together with the speaker's tablet."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from docx import Document

from exports.docx_minutes import render_docx
from exports.records import speech_srt, speech_vtt, transcript_txt
from meetingapp.client import HostError
from meetingapp.server.minutes import build_minutes
from meetingapp.session import SessionMachine
from meetingapp.store import open_db
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting


def test_the_chairs_interjection_is_attributed_to_the_chair(tmp_path: Path) -> None:
    proc = HostProcess(tmp_path / "host").start()

    async def scenario() -> tuple[str, str, str, str, float, float]:
        mt = await api_meeting(proc, tablets=2)
        sid, console = mt.session, mt.console
        chair, speaker = mt.delegates[0], mt.delegates[1]
        request = await mt.tablets[speaker].request_floor(sid)
        speech = await console.grant_floor(sid, request)
        granted = time.monotonic()
        with pytest.raises(HostError) as info:  # a delegate's tablet cannot mark
            await mt.tablets[speaker].mark_speaker(sid, speech, chair)
        assert info.value.status == 403
        with pytest.raises(HostError) as info:  # only the speaker or a chair of the session
            await console.mark_speaker(sid, speech, mt.delegates[5])
        assert (info.value.status, info.value.code) == (422, "invalid_value")
        await asyncio.sleep(max(0.0, 2.3 - (time.monotonic() - granted)))
        interjected = (await console.mark_speaker(sid, speech, chair))["offset_s"]
        await asyncio.sleep(2.3)
        back = (await console.mark_speaker(sid, speech, speaker))["offset_s"]
        assert 2 <= interjected <= 4 and interjected + 2 <= back <= interjected + 4
        state = await console.state(sid)
        marks = state["session"]["speeches"][speech]["marks"]
        assert marks == [
            {"offset_s": interjected, "delegate_id": chair},
            {"offset_s": back, "delegate_id": speaker},
        ]
        await console.end_speech(sid, speech)
        with pytest.raises(HostError) as info:  # the speech is over: no mark any more
            await console.mark_speaker(sid, speech, chair)
        assert info.value.status == 409
        with pytest.raises(HostError) as info:
            await console.mark_speaker(sid, "sp-none", chair)
        assert info.value.status == 404
        await mt.close()
        return sid, speech, chair, speaker, interjected, back

    try:
        sid, speech, chair, speaker, interjected, back = asyncio.run(scenario())
    finally:
        proc.stop()
    # the recording's transcript (the speech model itself is tested in test_host_speech.py)
    machine = SessionMachine(open_db(proc.data_dir / "meetingapp.db", create=False))
    segments = [
        {"start": 0.2, "end": interjected - 0.4, "text": "tôi đề nghị tăng chi cho trường học"},
        {"start": interjected + 0.1, "end": back - 0.3, "text": "đề nghị đại biểu nói ngắn gọn"},
        {"start": back + 0.2, "end": back + 3.0, "text": "xin cảm ơn chủ tọa tôi xin kết thúc"},
    ]
    machine.transcript_ready(sid, speech, segments=segments, asr="test")
    sp = machine.world.sessions[sid].speeches[speech]
    assert [sp.speaker_of(s) for s in sp.segments] == [speaker, chair, speaker]
    assert [s.speaker for s in sp.segments] == ["", chair, ""]
    names = machine.world.delegates
    chair_name, speaker_name = names[chair].full_name, names[speaker].full_name

    model = build_minutes(machine.world, sid)
    (entry,) = model.speeches
    assert entry.speaker.name == speaker_name
    assert [(p.speaker.name, p.chair) for p in entry.parts] == [
        (speaker_name, False),
        (chair_name, True),
        (speaker_name, False),
    ]
    assert entry.parts[1].text == "đề nghị đại biểu nói ngắn gọn"

    txt = transcript_txt(model)
    assert f"Chủ tọa {chair_name}: đề nghị đại biểu nói ngắn gọn" in txt
    assert f"Đại biểu {speaker_name} (Tổ 1): xin cảm ơn chủ tọa" in txt
    srt = speech_srt(entry).strip().split("\n\n")
    assert srt[1].endswith(f"{chair_name}: đề nghị đại biểu nói ngắn gọn")
    assert srt[2].endswith(f"{speaker_name} (Tổ 1): xin cảm ơn chủ tọa tôi xin kết thúc")
    assert f"<v {chair_name}>đề nghị đại biểu nói ngắn gọn" in speech_vtt(entry)

    paragraphs = [p.text for p in Document(str(render_docx(model, tmp_path / "m.docx"))).paragraphs]
    iv = next(i for i, p in enumerate(paragraphs) if p.startswith("IV. "))
    v = next(i for i, p in enumerate(paragraphs) if p.startswith("V. "))
    section_iv = paragraphs[iv + 1 : v]
    assert section_iv == [
        f"Đại biểu {speaker_name} (Tổ 1): tôi đề nghị tăng chi cho trường học",
        f"Chủ tọa {chair_name}: đề nghị đại biểu nói ngắn gọn",
        f"Đại biểu {speaker_name} (Tổ 1): xin cảm ơn chủ tọa tôi xin kết thúc",
    ]
    assert f"Chủ tọa {chair_name}: đề nghị đại biểu nói ngắn gọn" in paragraphs  # the annex
    machine.db.close()


def test_the_hall_microphone_records_a_speech_but_never_beside_the_tablet(
    host: HostProcess,
) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=2)
        sid, console = mt.session, mt.console
        speaker = mt.delegates[1]
        request = await mt.tablets[speaker].request_floor(sid)
        speech = await console.grant_floor(sid, request)
        second = b"\x01\x02" * 16000
        assert await console.send_audio_chunk(sid, speech, 0, second) == {
            "index": 0,
            "bytes": 32000,
        }
        with pytest.raises(HostError) as info:  # the console records it: the tablet may not
            await mt.tablets[speaker].send_audio_chunk(sid, speech, 1, second)
        assert (info.value.status, info.value.code) == (409, "recording.other_device")
        assert (await console.send_audio_chunk(sid, speech, 1, second))["index"] == 1
        await mt.close()

    asyncio.run(scenario())
