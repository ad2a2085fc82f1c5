"""Face check-in with real face_recognition on real photos (../shared/data/faces/dev)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from attendance.errors import FaceError
from attendance.faces import enrolment_face
from attendance.images import load_rgb, sniff
from attendance.liveness import HeadTurnChallenge, Liveness
from attendance.matching import (
    Candidate,
    FrameVoter,
    Gallery,
    Match,
    Thresholds,
    Verdict,
    calibrate,
    decide,
)
from attendance.vault import TemplateVault


@pytest.fixture
def faces(shared_data: Path) -> Path:
    return shared_data / "faces" / "dev"


def photo(faces: Path, rel: str) -> bytes:
    return (faces / rel).read_bytes()


def encoding(faces: Path, rel: str) -> np.ndarray:
    enc = enrolment_face(load_rgb(photo(faces, rel))).encoding
    assert enc is not None
    return enc


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(FaceError) as info:
        enrolment_face(load_rgb(data))
    return info.value.key


def test_formats_are_sniffed_by_content(faces: Path) -> None:
    webp = photo(faces, "identities/scarlett/img47.jpg")  # WebP data under a .jpg name
    assert sniff(webp) == "WEBP"
    assert load_rgb(webp).shape[2] == 3
    with pytest.raises(FaceError) as info:
        load_rgb(b"%PDF-1.7 not an image")
    assert info.value.key == "face.format"
    jpeg = photo(faces, "identities/jack/img16.jpg")
    with pytest.raises(FaceError) as info:
        load_rgb(jpeg[:300])
    assert info.value.key == "face.unreadable"


def test_quality_gate_says_why(faces: Path) -> None:
    assert refused(photo(faces, "multi_face/couple.jpg")) == "face.many"
    assert refused(photo(faces, "multi_face/selfie-many-people.jpg")) == "face.many"
    assert refused(png(Image.new("RGB", (640, 480), (128, 128, 128)))) == "face.none"
    good = Image.open(io.BytesIO(photo(faces, "identities/jack/img16.jpg"))).convert("RGB")
    tiny = good.copy()
    tiny.thumbnail((240, 240))
    canvas = Image.new("RGB", (640, 480), (200, 200, 200))
    canvas.paste(tiny, (200, 120))
    assert refused(png(canvas)) in ("face.small", "face.none")
    assert refused(png(good.filter(ImageFilter.GaussianBlur(12)))) in ("face.blurry", "face.none")
    assert refused(photo(faces, "identities/jack/img59.jpg")) == "face.not_frontal"
    err = FaceError("face.many", count=2)
    assert err.message("vi") == "Ảnh có 2 khuôn mặt; cần ảnh chỉ có một người."
    assert err.message("en") == "The photo shows 2 faces; it must show one person only."


def test_exif_orientation_is_applied(faces: Path) -> None:
    upright = Image.open(io.BytesIO(photo(faces, "identities/jack/img16.jpg"))).convert("RGB")
    sideways = upright.rotate(90, expand=True)  # as a portrait phone sensor stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    buf = io.BytesIO()
    sideways.save(buf, "JPEG", exif=exif.tobytes())
    face = enrolment_face(load_rgb(buf.getvalue()))
    assert face.encoding is not None
    dist = np.linalg.norm(face.encoding - encoding(faces, "identities/jack/img16.jpg"))
    assert dist < 0.1


def test_identification_accepts_the_right_person_and_rejects_strangers(faces: Path) -> None:
    gallery = Gallery(
        {
            "jack": [encoding(faces, f"identities/jack/{n}") for n in ("img16.jpg", "img17.jpg")],
            "angelina": [
                encoding(faces, f"identities/angelina/{n}") for n in ("img1.jpg", "img2.jpg")
            ],
            "mark": [encoding(faces, "identities/mark/img13.jpg")],
        }
    )
    t = Thresholds()
    probe = gallery.identify(encoding(faces, "identities/jack/img62.jpg"))
    assert probe.best is not None and probe.best.delegate_id == "jack"
    assert decide(probe, t) is Verdict.ACCEPT
    stranger = gallery.identify(encoding(faces, "identities/elon/img18.jpg"))
    assert decide(stranger, t) is not Verdict.ACCEPT
    assert gallery.verify(encoding(faces, "identities/jack/img62.jpg"), "jack") < t.accept
    assert gallery.verify(encoding(faces, "identities/jack/img62.jpg"), "mark") > t.accept
    only = gallery.identify(encoding(faces, "identities/jack/img62.jpg"), only={"mark"})
    assert [c.delegate_id for c in only.candidates] == ["mark"]


def test_margin_and_frame_vote() -> None:
    t = Thresholds(accept=0.45, margin=0.08, frames=5, agree=3)
    close_call = Match((Candidate("a", 0.40), Candidate("b", 0.44)))
    assert decide(close_call, t) is Verdict.UNCERTAIN  # within the margin of someone else
    clear = Match((Candidate("a", 0.35), Candidate("b", 0.60)))
    assert decide(clear, t) is Verdict.ACCEPT
    voter = FrameVoter(t)
    assert voter.add(clear) is None and voter.add(close_call) is None
    assert voter.add(clear) is None
    assert voter.add(clear) == "a"  # three of the last five frames agree


def test_templates_are_encrypted_at_rest(tmp_path: Path) -> None:
    vault = TemplateVault(tmp_path / "keys" / "face.key")
    assert stat.S_IMODE(os.stat(tmp_path / "keys" / "face.key").st_mode) == 0o600
    enc = np.random.default_rng(0).normal(size=128)
    sealed = vault.seal(enc)
    assert enc.astype("<f8").tobytes() not in sealed
    assert np.array_equal(vault.open(sealed), enc)
    other = TemplateVault(tmp_path / "other.key")
    with pytest.raises(FaceError):
        other.open(sealed)


def test_calibration_reports_lookalikes(faces: Path) -> None:
    templates = {
        name: [encoding(faces, f"identities/{name}/{f}") for f in files]
        for name, files in {
            "person_b": ["img29.jpg", "img30.jpg"],
            "person_c": ["img34.jpg", "img35.jpg"],
            "jack": ["img16.jpg", "img17.jpg"],
        }.items()
    }
    c = calibrate(templates)
    assert 0.3 <= c.accept <= 0.5 and c.expected_fmr == 0.0
    assert c.impostor_pairs == 12 and c.genuine_pairs == 3
    assert [(a, b) for a, b, _ in c.lookalikes] == [("person_b", "person_c")]


def test_liveness_challenge() -> None:
    still = HeadTurnChallenge(("left", "right"))
    for i in range(60):
        still.feed(0.02, i / 30)
    assert still.expire(60) is Liveness.FAILED
    live = HeadTurnChallenge(("left", "right"))
    for t, yaw in enumerate([0.01, 0.0, -0.05, -0.18, -0.02, 0.1, 0.2]):
        state = live.feed(yaw, t * 0.2)
    assert state is Liveness.PASSED
    wrong_way = HeadTurnChallenge(("left", "right"))
    for t, yaw in enumerate([0.0, 0.2, 0.25, 0.2]):
        wrong_way.feed(yaw, t * 0.2)
    assert wrong_way.state is Liveness.PENDING
    slow = HeadTurnChallenge(("left", "right"), timeout_s=2)
    slow.feed(0.0, 0)
    assert slow.feed(-0.2, 5) is Liveness.FAILED
    assert HeadTurnChallenge(("right", "left")).prompt("vi") == "Hãy quay đầu sang phải"


@pytest.mark.slow
def test_evaluation_on_the_development_photos(faces: Path) -> None:
    from attendance.evaluation import evaluate

    result = evaluate(faces)
    for key in ("default_thresholds", "calibrated_thresholds"):
        r = result[key]
        assert r["false_accepts"] == 0, r
        assert r["unenrolled_rejected_rate"] == 1.0
        assert r["true_accept_rate"] >= 0.9
    assert result["multi_face"]["couple.jpg"] == "face.many"
    assert result["spoof"]["apcer"] == 0.0
