"""Evaluation on a folder of photos (``identities/<name>/*``, optional ``multi_face/``,
``spoof/``): enrolment quality gate, identification with the default and the calibrated
thresholds, unenrolled faces, liveness on presentation attacks, and per-frame latency."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from attendance.errors import FaceError
from attendance.faces import analyse, detect, enrolment_face
from attendance.images import load_rgb
from attendance.liveness import HeadTurnChallenge, Liveness
from attendance.matching import Gallery, Thresholds, Verdict, calibrate, decide

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def _images(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def _encode(path: Path) -> tuple[np.ndarray | None, str]:
    try:
        return enrolment_face(load_rgb(path.read_bytes())).encoding, ""
    except FaceError as exc:
        return None, exc.key


def evaluate(root: Path, *, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    people = {p.name: _images(p) for p in sorted((root / "identities").iterdir()) if p.is_dir()}
    enrol: dict[str, list[np.ndarray]] = {}
    probes: dict[str, list[np.ndarray]] = {}
    refused: dict[str, str] = {}
    for name, photos in people.items():
        progress(name)
        k = min(5, max(1, len(photos) // 2))
        for i, path in enumerate(photos):
            enc, why = _encode(path)
            if enc is None:
                refused[f"{name}/{path.name}"] = why
                continue
            (enrol if i < k else probes).setdefault(name, []).append(enc)
    calib = calibrate(enrol)
    result: dict[str, Any] = {
        "identities": len(people),
        "photos": sum(len(v) for v in people.values()),
        "enrolled_templates": sum(len(v) for v in enrol.values()),
        "probes": sum(len(v) for v in probes.values()),
        "enrolment_refused": refused,
        "calibration": {
            "accept": calib.accept,
            "expected_fmr": calib.expected_fmr,
            "impostor_pairs": calib.impostor_pairs,
            "genuine_accept_rate": calib.genuine_accept_rate,
            "lookalikes": [list(x) for x in calib.lookalikes],
        },
    }
    default = Thresholds()
    calibrated = Thresholds(accept=calib.accept, uncertain=max(calib.accept + 0.1, 0.5))
    result["default_thresholds"] = _identification(enrol, probes, default)
    result["calibrated_thresholds"] = _identification(enrol, probes, calibrated)
    result["multi_face"] = _refusals(root / "multi_face")
    result["spoof"] = _spoof(root / "spoof")
    return result


def _identification(
    enrol: dict[str, list[np.ndarray]], probes: dict[str, list[np.ndarray]], t: Thresholds
) -> dict[str, Any]:
    gallery = Gallery(enrol)
    genuine = accepted = wrong = uncertain = 0
    for name, encs in probes.items():
        for enc in encs:
            genuine += 1
            match = gallery.identify(enc)
            verdict = decide(match, t)
            if verdict is Verdict.ACCEPT and match.best is not None:
                if match.best.delegate_id == name:
                    accepted += 1
                else:
                    wrong += 1
            elif verdict is Verdict.UNCERTAIN:
                uncertain += 1
    # unenrolled: each identity's photos against a gallery without that identity
    unenrolled = unenrolled_accepted = 0
    for name in enrol:
        others = Gallery({k: v for k, v in enrol.items() if k != name})
        for enc in enrol[name] + probes.get(name, []):
            unenrolled += 1
            if decide(others.identify(enc), t) is Verdict.ACCEPT:
                unenrolled_accepted += 1
    return {
        "accept_threshold": t.accept,
        "margin": t.margin,
        "true_accept_rate": round(accepted / genuine, 3) if genuine else None,
        "genuine_probes": genuine,
        "uncertain_to_secretary": uncertain,
        "false_accepts": wrong + unenrolled_accepted,
        "wrong_person_accepted": wrong,
        "unenrolled_probes": unenrolled,
        "unenrolled_rejected_rate": (
            round(1 - unenrolled_accepted / unenrolled, 3) if unenrolled else None
        ),
    }


def _refusals(folder: Path) -> dict[str, str]:
    return {p.name: (_encode(p)[1] or "accepted") for p in _images(folder)}


def _spoof(folder: Path) -> dict[str, Any]:
    """Stills can never complete the head-turn challenge. Attacks are ``*F*``, genuine ``*T*``
    (the Silent-Face naming). Genuine stills cannot measure BPCER: that needs video."""
    attacks = passed = 0
    detail = {}
    for path in _images(folder):
        img = load_rgb(path.read_bytes())
        faces = analyse(img, detect(img), encode=False)
        challenge = HeadTurnChallenge(("left", "right"))
        for i in range(30):  # one second of the same frame
            if faces:
                challenge.feed(faces[0].yaw, i / 30)
        state = challenge.expire(60.0)
        detail[path.name] = {"face_found": bool(faces), "liveness": state.value}
        if "F" in path.stem.split("_")[-1]:
            attacks += 1
            passed += state is Liveness.PASSED
    return {
        "attacks": attacks,
        "apcer": round(passed / attacks, 3) if attacks else None,
        "bpcer": None,
        "bpcer_note": "needs video of genuine users turning their heads",
        "detail": detail,
    }


def frame_latency(root: Path, *, templates: int = 500, frames: int = 40) -> dict[str, Any]:
    """Detect + encode + match on 640×480 frames against ``templates`` enrolled templates."""
    photos = [p for d in sorted((root / "identities").iterdir()) if d.is_dir() for p in _images(d)]
    rng = np.random.default_rng(1)
    real = [e for e in (_encode(p)[0] for p in photos[:20]) if e is not None]
    fake = [real[i % len(real)] + rng.normal(0, 0.08, 128) for i in range(templates)]
    gallery = Gallery({f"d{i:04d}": [enc] for i, enc in enumerate(fake)})
    totals, matches = [], []
    for path in (photos * 3)[:frames]:
        frame = _frame_640x480(load_rgb(path.read_bytes()))
        start = time.perf_counter()
        faces = analyse(frame, detect(frame))
        t_match = time.perf_counter()
        for face in faces:
            if face.encoding is not None:
                gallery.identify(face.encoding)
        end = time.perf_counter()
        totals.append((end - start) * 1000)
        if faces:
            matches.append((end - t_match) * 1000 / len(faces))
    match_only = []
    probe = real[0]
    for _ in range(200):
        s = time.perf_counter()
        gallery.identify(probe)
        match_only.append((time.perf_counter() - s) * 1000)
    return {
        "frames": len(totals),
        "templates": len(gallery),
        "frame_ms_median": round(statistics.median(totals), 1),
        "frame_ms_p95": round(float(np.percentile(totals, 95)), 1),
        "match_ms_median": round(statistics.median(match_only), 3),
        "match_ms_p95": round(float(np.percentile(match_only, 95)), 3),
    }


def _frame_640x480(img: np.ndarray) -> np.ndarray:
    """The photo fitted into a 640×480 camera frame, aspect ratio kept."""
    pil = Image.fromarray(img)
    pil.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480))
    canvas.paste(pil, ((640 - pil.width) // 2, (480 - pil.height) // 2))
    return np.asarray(canvas)
