"""SRT and WebVTT exports carry each transcript segment with its real times (seconds into the
speech's recording), the clerk's corrections applied."""

from __future__ import annotations

import re
from pathlib import Path

from exports.model import Cue, Person, SpeechEntry
from exports.records import speech_srt, speech_vtt
from meetingapp.server.minutes import export_session
from tests.minutes_helpers import closed_meeting

SEGMENTS = [
    {"start": 0.78, "end": 3.94, "text": "Kính thưa chủ tọa kỳ họp"},
    {
        "start": 4.5,
        "end": 12.125,
        "text": "tôi xin trình bày tờ trình về ngân sách",
        "review": [["trình", 6.1, 6.4, 0.31]],
    },
    {"start": 3725.2, "end": 3731.0, "text": "xin cảm ơn"},
]
SRT_TIME = re.compile(r"(\d\d):(\d\d):(\d\d)[,.](\d\d\d) --> (\d\d):(\d\d):(\d\d)[,.](\d\d\d)")


def cue_times(text: str) -> list[tuple[float, float]]:
    out = []
    for m in SRT_TIME.finditer(text):
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, m.groups())
        out.append((h1 * 3600 + m1 * 60 + s1 + ms1 / 1000, h2 * 3600 + m2 * 60 + s2 + ms2 / 1000))
    return out


def test_cue_times_match_the_segments_of_a_real_session(tmp_path: Path) -> None:
    mt, ids = closed_meeting(tmp_path)
    mt.machine.transcript_ready(mt.session, ids["speech"], segments=SEGMENTS, asr="test")
    mt.machine.edit_transcript(mt.session, ids["speech"], 1, "tôi xin trình bày Tờ trình số 5")
    seg = mt.machine.world.sessions[mt.session].speeches[ids["speech"]].segments[1]
    assert [(w.text, w.start, w.probability) for w in seg.review] == [("trình", 6.1, 0.31)]
    export_session(mt.machine, mt.session, tmp_path / "exp")
    srt = (tmp_path / "exp" / "phat-bieu-001.srt").read_text(encoding="utf-8")
    vtt = (tmp_path / "exp" / "phat-bieu-001.vtt").read_text(encoding="utf-8")
    expected = [(s["start"], s["end"]) for s in SEGMENTS]
    assert cue_times(srt) == expected
    assert cue_times(vtt) == expected
    assert vtt.startswith("WEBVTT\n\n00:00:00.780 --> 00:00:03.940\n")
    assert "01:02:05,200 --> 01:02:11,000" in srt
    blocks = srt.strip().split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == ["1", "2", "3"]
    assert blocks[1].endswith("tôi xin trình bày Tờ trình số 5")  # the correction, not the ASR
    assert "ngân sách" not in srt


def test_a_speech_without_segments_is_one_cue_over_its_duration() -> None:
    sp = SpeechEntry(
        Person("Nguyễn Văn A", ""),
        "Mục 1",
        "2026-11-30T09:00:00+07:00",
        "2026-11-30T09:01:30+07:00",
        "văn bản gõ tay",
    )
    assert cue_times(speech_srt(sp)) == [(0.0, 90.0)]
    with_cues = SpeechEntry(*list(vars(sp).values())[:6], cues=(Cue(1.5, 2.25, "một"),))
    assert cue_times(speech_vtt(with_cues)) == [(1.5, 2.25)]
