"""Speeches through the real host: audio streamed in chunks from a tablet, transcribed by the
bundled Whisper model on real Vietnamese speech, edited by the clerk, and resumed after a
restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from asr.normalize import normalize
from asr.recording import RATE, decode_to_pcm, write_wav
from meetingapp.client import HostError
from meetingapp.session import SessionMachine
from meetingapp.store import FileStore, open_db
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet

CLIP = "VIVOSSPK01_R002.flac"
REFERENCE = "chỉ bằng cách luôn nỗ lực thì cuối cùng bạn mới được đền đáp"


def overlap(text: str) -> float:
    """The share of the reference's words that ``text`` has."""
    ref = set(REFERENCE.split())
    return len(ref & set(normalize(text).split())) / len(ref)


def precision(text: str) -> float:
    """The share of ``text``'s words that the reference has: a partial caption covers only the
    audio heard so far, but what it says must be what was said."""
    words = normalize(text).split()
    return sum(w in set(REFERENCE.split()) for w in words) / max(len(words), 1)


@pytest.mark.slow
def test_a_speech_is_streamed_transcribed_and_edited(host: HostProcess, shared_data: Path) -> None:
    pcm = decode_to_pcm(shared_data / "speech" / "dev" / CLIP)

    async def scenario() -> None:
        mt = await api_meeting(host, tablets=2)
        sid, console = mt.session, mt.console
        (d0, speaker), (d1, other) = list(mt.tablets.items())
        live = console.live(sid).start()
        progress: list[float] = []
        live.listeners.append(
            lambda m: progress.append(m["percent"]) if m.get("type") == "transcription" else None
        )
        await live.wait_for(lambda s: s.world is not None)
        request = await speaker.request_floor(sid)
        speech = await console.grant_floor(sid, request)
        with pytest.raises(HostError) as info:
            await other.send_audio_chunk(sid, speech, 0, pcm[:3200])
        assert info.value.code == "auth.not_yours"
        step = RATE * 2
        for index, start in enumerate(range(0, len(pcm), step)):
            await speaker.send_audio_chunk(sid, speech, index, pcm[start : start + step])
        await speaker.send_audio_chunk(sid, speech, 0, pcm[:step])  # a retry: replaced, not added
        await console.end_speech(sid, speech)
        await live.wait_for(
            lambda s: bool(s.world.sessions[sid].speeches[speech].segments), timeout=240
        )
        sp = live.world.sessions[sid].speeches[speech]
        assert overlap(sp.transcript) >= 0.5, sp.transcript
        assert abs(sp.audio_seconds - len(pcm) / 2 / RATE) < 0.01
        assert "int8" in sp.asr and "beam_size" in sp.asr
        assert progress and progress[-1] == 100.0
        original = sp.segments[0].text
        clerk = await pair_tablet(host, console, None, role="clerk", name="thư ký tổng hợp")
        await clerk.edit_segment(sid, speech, 0, REFERENCE)
        with pytest.raises(HostError):
            await speaker.edit_segment(sid, speech, 0, "sửa trái phép")
        await live.wait_for(lambda s: s.world.sessions[sid].speeches[speech].edited)
        seg = live.world.sessions[sid].speeches[speech].segments[0]
        assert (seg.text, seg.edited) == (original, REFERENCE)  # the original is kept
        assert await console.transcribe(sid, speech) == {"queued": False}  # edits are kept
        wav = await clerk.http.get(f"/api/audio/{sp.audio_ref}", headers=clerk._headers())
        assert wav.status_code == 200 and wav.content[:4] == b"RIFF"
        with pytest.raises(HostError) as info:
            await console.import_audio(sid, speech, b"not audio at all")
        assert info.value.code == "audio.unreadable"
        await live.stop()
        await clerk.close()
        await mt.close()

    asyncio.run(scenario())


@pytest.mark.slow
def test_transcription_resumes_after_a_restart(tmp_path: Path, shared_data: Path) -> None:
    proc = HostProcess(tmp_path / "host").start()

    async def prepare() -> tuple[str, str]:
        mt = await api_meeting(proc, tablets=1)
        request = await next(iter(mt.tablets.values())).request_floor(mt.session)
        speech = await mt.console.grant_floor(mt.session, request)
        await mt.close()
        return mt.session, speech

    sid, speech = asyncio.run(prepare())
    proc.stop()
    # as if the host died right after storing the recording, before transcribing it
    wav = write_wav(decode_to_pcm(shared_data / "speech" / "dev" / CLIP), tmp_path / "s.wav")
    digest, _ = FileStore(proc.data_dir / "files").put(
        wav.read_bytes(), kind="audio", suffix=".wav"
    )
    machine = SessionMachine(open_db(proc.data_dir / "meetingapp.db", create=False))
    machine.speech_audio(sid, speech, sha256=digest, seconds=4.9)
    machine.db.close()
    proc.start()

    async def check() -> None:
        console = proc.client(console=True)
        for _ in range(240):
            state = await console.state(sid)
            segments = state["session"]["speeches"][speech]["segments"]
            if segments:
                break
            await asyncio.sleep(0.5)
        assert overlap(" ".join(s["text"] for s in segments)) >= 0.5
        await console.close()

    try:
        asyncio.run(check())
    finally:
        proc.stop()


@pytest.mark.slow
def test_live_captions_reach_the_screens_then_the_final_text(
    host: HostProcess, shared_data: Path
) -> None:
    """Chunks streamed at the pace of speech: partial captions (not logged) reach the console
    and another tablet while the delegate speaks; the final transcript follows as a final
    caption."""
    pcm = decode_to_pcm(shared_data / "speech" / "dev" / CLIP)

    async def scenario() -> None:
        mt = await api_meeting(host, tablets=2)
        sid, console = mt.session, mt.console
        (_, speaker), (_, other) = list(mt.tablets.items())
        screens = [console.live(sid).start(), other.live(sid).start()]
        captions: list[list[dict]] = [[], []]
        for live, got in zip(screens, captions, strict=True):
            live.listeners.append(
                lambda m, got=got: got.append(m) if m["type"] == "caption" else None
            )
            await live.wait_for(lambda s: s.world is not None)
        events: list[dict] = []  # what the log sends while the delegate speaks
        screens[0].listeners.append(lambda m: events.append(m) if m["type"] == "event" else None)
        speech = await console.grant_floor(sid, await speaker.request_floor(sid))
        await screens[0].wait_for(lambda s: s.world.sessions[sid].current_speech == speech)
        events.clear()
        step = RATE * 2  # one second of 16-bit samples
        for index, start in enumerate(range(0, len(pcm), step)):
            await speaker.send_audio_chunk(sid, speech, index, pcm[start : start + step])
            await asyncio.sleep(1.0)
        # the delegate goes on speaking (the clip again) until a caption with words arrives
        chunks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
        deadline = asyncio.get_running_loop().time() + 240
        while not any(c["text"] for c in captions[1]):
            assert asyncio.get_running_loop().time() < deadline, captions
            index += 1
            await speaker.send_audio_chunk(sid, speech, index, chunks[index % len(chunks)])
            await asyncio.sleep(1.0)
        partial = [c for c in captions[1] if c["text"]][-1]
        assert partial["speech_id"] == speech and partial["final"] is False
        assert 0 < partial["upto"] <= index
        assert precision(partial["text"]) >= 0.5, partial
        # captions are not events in the log (other events, e.g. a signed checkpoint's, may come)
        said = {c["text"] for c in captions[1] if c["text"]}
        assert not [e for e in events if "caption" in e["kind"]], events
        assert not [e for e in events if said & {str(v) for v in e["payload"].values()}], events
        await console.end_speech(sid, speech)
        await screens[0].wait_for(
            lambda s: bool(s.world.sessions[sid].speeches[speech].segments), timeout=240
        )
        await screens[1].wait_for(lambda s: any(c.get("final") for c in captions[1]), timeout=30)
        final = next(c for c in captions[1] if c.get("final"))
        assert final["text"] == screens[0].world.sessions[sid].speeches[speech].transcript
        assert any(c["text"] for c in captions[0])  # the console saw them too
        for live in screens:
            await live.stop()
        await mt.close()

    asyncio.run(scenario())
