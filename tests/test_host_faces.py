"""Face check-in through the real host: consent, enrolment, roll call with the liveness
challenge, withdrawal — with real face_recognition on real photos."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from meetingapp.client import HostError
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet


def jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def frame(path: Path, *, mirror: bool = False) -> bytes:
    img = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    img.thumbnail((640, 480))
    return jpeg(ImageOps.mirror(img) if mirror else img)


async def refused(status: int, code: str, coro) -> HostError:  # type: ignore[no-untyped-def]
    with pytest.raises(HostError) as info:
        await coro
    assert (info.value.status, info.value.code) == (status, code), str(info.value)
    return info.value


@pytest.mark.slow
def test_face_roll_call_through_the_host(host: HostProcess, shared_data: Path) -> None:
    faces = shared_data / "faces" / "dev" / "identities"
    jack = [(faces / "jack" / n).read_bytes() for n in ("img16.jpg", "img17.jpg", "img61.jpg")]
    angelina = [
        (faces / "angelina" / n).read_bytes() for n in ("img1.jpg", "img2.jpg", "img10.jpg")
    ]

    async def scenario() -> None:
        mt = await api_meeting(host, seats=12, present=2, tablets=1)
        console, sid = mt.console, mt.session
        d_jack, d_angelina = mt.delegates[5], mt.delegates[6]
        err = await refused(409, "illegal_transition", console.enrol_face(d_jack, jack))
        assert "chưa đồng ý" in err.detail  # no consent, no enrolment
        await console.record_consent(d_jack, given=True, text_version="2026-01")
        bad = jack[:2] + [(shared_data / "faces/dev/multi_face/couple.jpg").read_bytes()]
        err = await refused(400, "face.enrol_refused", console.enrol_face(d_jack, bad))
        assert "Ảnh 3: Ảnh có 2 khuôn mặt" in err.detail
        assert (await console.enrol_face(d_jack, jack))["templates"] == 3
        await console.record_consent(d_angelina, given=True, text_version="2026-01")
        await console.enrol_face(d_angelina, angelina)

        # a photo held still in front of the camera never checks anybody in
        still = await console.start_face_checkin(sid)
        for _ in range(8):
            reply = await console.send_frame(sid, still["id"], frame(faces / "jack/img62.jpg"))
            assert reply["checked_in"] is None
        assert reply["candidates"][0]["delegate_id"] == d_jack
        assert reply["liveness"] == "pending"

        # the real person: look at the camera, then turn as asked
        attempt = await console.start_face_checkin(sid)
        prompt = attempt["prompt"]
        frames = [frame(faces / "jack/img62.jpg")] * 3
        turned = {
            "trái": frame(faces / "jack/img59.jpg"),  # head turned to the image's left
            "phải": frame(faces / "jack/img59.jpg", mirror=True),
        }
        checked = None
        for data in frames:
            reply = await console.send_frame(sid, attempt["id"], data)
            prompt = reply["prompt"]
        for _ in range(4):
            side = "trái" if "trái" in prompt else "phải"
            reply = await console.send_frame(sid, attempt["id"], turned[side])
            prompt, checked = reply["prompt"], reply["checked_in"]
            if checked:
                break
        assert checked == d_jack and reply["liveness"] == "passed"
        state = await console.state(sid)
        att = state["session"]["attendance"][d_jack]
        assert att["method"] == "face" and 0 < att["confidence"] < 0.5
        thumb = await console.http.get(
            f"/api/sessions/{sid}/face-checkins/{attempt['id']}/thumbnail",
            headers=console._headers(),
        )
        assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"

        # a seat tablet checks in only its own delegate (1:1) and sees no candidates
        tablet = await pair_tablet(host, console, d_angelina, name="ghế 7")
        own = await tablet.start_face_checkin(sid)
        reply = await tablet.send_frame(sid, own["id"], frame(faces / "jack/img62.jpg"))
        assert "candidates" not in reply and reply["verdict"] == "reject"  # jack ≠ angelina
        reply = await tablet.send_frame(sid, own["id"], frame(faces / "angelina/img4.jpg"))
        assert reply["verdict"] == "accept"
        await tablet.close()

        # withdrawal deletes the templates; PIN remains
        await console.withdraw_face(d_jack)
        db = sqlite3.connect(host.data_dir / "meetingapp.db")
        left = {r[0] for r in db.execute("SELECT delegate_id FROM face_templates")}
        assert left == {d_angelina}
        kinds = [
            r[0]
            for r in db.execute("SELECT kind FROM events WHERE kind LIKE 'face_%' ORDER BY seq")
        ]
        assert kinds[:2] == ["face_consent", "face_enrolled"] and "face_deleted" in kinds
        assert "face_match" in kinds
        payloads = " ".join(r[0] for r in db.execute("SELECT payload FROM events"))
        assert "encoding" not in payloads and "sealed" not in payloads
        await console.close_session(sid)
        await asyncio.sleep(0.2)
        gone = await console.http.get(
            f"/api/sessions/{sid}/face-checkins/{attempt['id']}/thumbnail",
            headers=console._headers(),
        )
        assert gone.status_code == 404  # thumbnails are kept only while the session runs
        await mt.close()

    asyncio.run(scenario())


def test_face_checkin_without_templates_is_refused(host: HostProcess) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=0)
        await refused(409, "face.not_enrolled", mt.console.start_face_checkin(mt.session))
        display = await pair_tablet(host, mt.console, None, role="display")
        await refused(403, "auth.forbidden", display.start_face_checkin(mt.session))
        await refused(
            422,
            "invalid_value",
            mt.console.post(
                f"/api/delegates/{mt.delegates[0]}/face", {"photos": ["%%%not base64"]}
            ),
        )
        await display.close()
        await mt.close()

    asyncio.run(scenario())
