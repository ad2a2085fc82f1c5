"""Steps 2–4 of the demo meeting, as they happen in the hall: tablets paired and the roll
call (one delegate by face, the others by PIN, one by hand), a document followed page by page,
and speeches streamed as audio and transcribed. ``demo.Demo`` runs them in order."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from meetingapp import demo_script as script
from meetingapp.client import HostClient, LiveSession
from meetingapp.domain import AttendanceMethod
from meetingapp.i18n import tr
from meetingapp.localhost import LocalHost
from meetingapp.rules import QUORUM, quorum_met

Say = Callable[[str], None]


class HallSteps:
    """The hall's part of ``Demo`` (which sets these attributes up)."""

    host: LocalHost
    out: Path
    lang: str
    say: Say
    console: HostClient
    clerk: HostClient
    display: HostClient
    body: str
    sid: str
    ids: list[str]
    documents: list[tuple[str, str, int]]
    tablets: dict[int, HostClient]
    lives: dict[int, LiveSession]

    def rec(self, live: LiveSession) -> Any:  # the session's record in that client's world
        assert live.world is not None
        return live.world.sessions[self.sid]

    def on_page(self, live: LiveSession, page: int) -> bool:
        presenter = self.rec(live).presenter
        return presenter is not None and presenter.page == page

    def step_say(self, vi: str, en: str) -> None:
        self.say("  • " + (vi if self.lang == "vi" else en))

    def heading(self, n: int, vi: str, en: str) -> None:
        self.say(f"\n[{n}/6] " + (vi if self.lang == "vi" else en))

    # --- 2 ---------------------------------------------------------------------------------

    async def pair(self, role: str, delegate_id: str | None, name: str) -> HostClient:
        code = (await self.console.pairing_code(role, delegate_id))["code"]
        client = HostClient(self.console.url, self.host.ssl(), lang=self.lang)
        await client.pair(code, name)
        return client

    async def roll_call(self) -> dict[str, Any]:
        c, sid = self.console, self.sid
        present = [i for i in range(len(script.NAMES)) if i not in script.ABSENT]
        for i in present:
            self.tablets[i] = await self.pair("delegate", self.ids[i], f"Ghế {i + 1}")
        self.clerk = await self.pair("clerk", None, "Văn phòng HĐND")
        self.display = await self.pair("display", None, "Màn hình hội trường")
        self.tablets[-1], self.tablets[-2] = self.clerk, self.display
        self.lives[-1] = c.live(sid).start()
        self.lives[-2] = self.display.live(sid).start()
        for i in present:
            self.lives[i] = self.tablets[i].live(sid).start()
        for live in self.lives.values():
            await live.wait_for(lambda s: True, timeout=30)
        self.step_say(
            f"Đã ghép {len(present)} máy tính bảng, máy thư ký tổng hợp và màn hình hội trường; "
            f"{len(self.lives)} kết nối sự kiện trực tiếp",
            f"Paired {len(present)} delegate tablets, the clerk and the hall display; "
            f"{len(self.lives)} live event streams",
        )
        await c.start_roll_call(sid)

        face_id = self.ids[script.FACE]
        photo = script.asset("astronaut.jpg").read_bytes()
        await c.record_consent(face_id, given=True, text_version="demo-2026")
        enrolled = await c.enrol_face(face_id, enrolment_photos(photo))
        self.step_say(
            f"{script.NAMES[script.FACE][0]} đồng ý và đăng ký {enrolled['templates']} ảnh khuôn "
            "mặt (ảnh mẫu: astronaut, phạm vi công cộng)",
            f"{script.NAMES[script.FACE][0]} consented and enrolled {enrolled['templates']} face "
            "photos (demo image: astronaut, public domain)",
        )
        outcome = await self.face_check_in()
        self.step_say(
            f"Điểm danh bằng khuôn mặt (camera cửa vào, thử thách quay đầu): bản demo chỉ có một "
            f"ảnh tĩnh của {script.NAMES[script.FACE][0]}; ảnh được nghiêng, xoay từng khung hình "
            f"vẫn bị kiểm tra người thật từ chối ({outcome}) — đại biểu điểm danh bằng mã PIN",
            f"Face check-in (door camera, head-turn challenge): the demo has only a still photo of "
            f"{script.NAMES[script.FACE][0]}; moved frame to frame it is still refused by the "
            f"liveness check ({outcome}) — the delegate checks in with the PIN",
        )
        pin_count = 0
        for i in present:
            if i == script.MANUAL:
                continue
            await self.tablets[i].check_in(sid, method=AttendanceMethod.PIN, pin=script.pin_of(i))
            pin_count += 1
        self.step_say(
            f"{pin_count} đại biểu điểm danh bằng mã PIN trên máy tính bảng",
            f"{pin_count} delegates checked in with their PIN on their tablets",
        )
        await c.check_in(
            sid,
            self.ids[script.MANUAL],
            method=AttendanceMethod.MANUAL,
            reason=script.MANUAL_REASON,
        )
        self.step_say(
            f"Thư ký điểm danh thủ công {script.NAMES[script.MANUAL][0]}: {script.MANUAL_REASON}",
            f"Manual check-in of {script.NAMES[script.MANUAL][0]} by the secretary: "
            f"{script.MANUAL_REASON}",
        )
        await c.close_roll_call(sid)
        console = self.lives[-1]
        await console.wait_for(lambda s: not self.rec(s).roll_call_open)
        world = console.world
        assert world is not None
        count = world.headcount(sid)
        met = quorum_met(world.rules[self.body][QUORUM], count)
        absent = ", ".join(script.NAMES[i][0] for i in script.ABSENT)
        self.step_say(
            f"Có mặt {count.present}/{count.elected} đại biểu, vắng: {absent} — "
            + tr("quorum.met" if met else "quorum.not_met", "vi"),
            f"Present {count.present}/{count.elected}, absent: {absent} — "
            + tr("quorum.met" if met else "quorum.not_met", "en"),
        )
        return {"present": count.present, "total": count.elected, "quorum_met": met}

    async def face_check_in(self) -> str:
        """The door camera sees the delegate look at it, then turn as the prompt asks.

        The demo has one still photo; camera frames of a "head turn" made from it by a
        horizontal shear move the nose tip between the eyes as a real turn does, but they are
        the same flat picture through a plane-to-plane mapping, which the liveness check
        refuses (docs/security.md). Returns the liveness outcome."""
        c, sid = self.console, self.sid
        frontal, left, right = camera_frames(script.asset("astronaut.jpg").read_bytes())
        attempt = await c.start_face_checkin(sid)
        prompt = attempt["prompt"]
        for _ in range(3):
            reply = await c.send_frame(sid, attempt["id"], frontal)
            prompt = reply["prompt"]
        for _ in range(6):
            turn = left if ("trái" in prompt or "left" in prompt) else right
            reply = await c.send_frame(sid, attempt["id"], turn)
            prompt = reply["prompt"]
            if reply["checked_in"] or reply["liveness"] != "pending":
                break
            await c.send_frame(sid, attempt["id"], frontal)  # back to the front, as people do
        if reply["checked_in"]:
            raise RuntimeError(f"a still photo passed the liveness check: {reply}")
        return str(reply["liveness"])

    # --- 3 ---------------------------------------------------------------------------------

    async def follow_document(self) -> None:
        doc_id, sha, pages = self.documents[0]
        reader = next(i for i in self.tablets if i >= 0)
        cached = await self.tablets[reader].download_document(sha, self.out / "host" / "cache")
        for page in range(1, pages + 1):
            await self.console.move_presenter(self.sid, doc_id, page)
            for live in self.lives.values():
                await live.wait_for(partial(self.on_page, page=page))
            self.step_say(
                f"Người trình bày chuyển sang trang {page}/{pages}: {len(self.lives)} thiết bị "
                "đã theo",
                f"Presenter turned to page {page}/{pages}: {len(self.lives)} devices followed",
            )
        self.step_say(
            f"Máy tính bảng đã tải tài liệu vào bộ nhớ đệm ({cached.stat().st_size} byte)",
            f"The tablet cached the document ({cached.stat().st_size} bytes)",
        )

    # --- 4 ---------------------------------------------------------------------------------

    async def speech(self, speaker: int, text: str) -> dict[str, Any]:
        from asr.recording import RATE, decode_to_pcm

        sid, tablet, console = self.sid, self.tablets[speaker], self.lives[-1]
        name = script.NAMES[speaker][0]
        request = await tablet.request_floor(sid)
        speech_id = await self.console.grant_floor(sid, request, time_limit_s=300)
        number = 1 + [s[2] for s in script.SPEECHES].index(text)
        pcm = await asyncio.to_thread(decode_to_pcm, script.asset(f"speech-{number}.flac"))
        chunk = RATE * 2  # one second of 16-bit samples
        for index, start in enumerate(range(0, len(pcm), chunk)):
            await tablet.send_audio_chunk(sid, speech_id, index, pcm[start : start + chunk])
        await self.console.end_speech(sid, speech_id)
        seconds = len(pcm) / 2 / RATE
        self.step_say(
            f"{name} đăng ký, được mời phát biểu, {seconds:.1f} giây âm thanh đã gửi theo "
            f"{index + 1} đoạn",
            f"{name} asked for the floor, was granted it, {seconds:.1f} s of audio sent in "
            f"{index + 1} chunks",
        )
        shown: list[float] = []

        def progress(msg: dict[str, Any]) -> None:
            if msg.get("type") == "transcription" and msg.get("speech_id") == speech_id:
                percent = float(msg["percent"])
                if not shown or percent >= shown[-1] + 25 or (percent == 100 > shown[-1]):
                    shown.append(percent)
                    self.say(f"      {tr('asr.progress', self.lang)} {percent:.0f}%")

        console.listeners.append(progress)
        try:
            await console.wait_for(
                lambda s: bool(self.rec(s).speeches[speech_id].segments),
                timeout=600,
            )
        finally:
            console.listeners.remove(progress)
        assert console.world is not None
        sp = console.world.sessions[sid].speeches[speech_id]
        from asr.metrics import corpus_error
        from asr.normalize import normalize

        error = corpus_error([(normalize(text), normalize(sp.transcript))], unit="char")
        self.step_say(
            f"Văn bản: «{sp.transcript}» (CER so với kịch bản {error:.2f})",
            f"Transcript: «{sp.transcript}» (CER against the script {error:.2f})",
        )
        return {
            "speech_id": speech_id,
            "speaker": name,
            "seconds": round(seconds, 2),
            "transcript": sp.transcript,
            "cer": round(error, 3),
        }


# --- demo material -----------------------------------------------------------------------


def _jpeg(img: Any) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def enrolment_photos(photo: bytes) -> list[bytes]:
    """Three enrolment photos from the one demo photo: as is, darker, larger."""
    from PIL import Image, ImageEnhance

    img = Image.open(io.BytesIO(photo)).convert("RGB")
    w, h = img.size
    return [
        _jpeg(img),
        _jpeg(ImageEnhance.Brightness(img).enhance(0.85)),
        _jpeg(img.resize((w * 5 // 4, h * 5 // 4))),
    ]


def camera_frames(photo: bytes) -> tuple[bytes, bytes, bytes]:
    """Frontal, turned-left and turned-right camera frames (640×480 class)."""
    from PIL import Image

    img = Image.open(io.BytesIO(photo)).convert("RGB").resize((512, 480))
    w, h = img.size

    def shear(k: float) -> bytes:
        affine = (1, k, -k * h / 2, 0, 1, 0)
        return _jpeg(
            img.transform((w, h), Image.Transform.AFFINE, affine, Image.Resampling.BICUBIC)
        )

    # a shear to the right moves the nose tip toward the image's left, like a turn to the left
    # (this photo's face is not symmetric in the frame: the two amounts give about equal turns)
    return _jpeg(img), shear(0.25), shear(-0.3)
