"""The record package proves itself: a real session with a recorded speech, minutes finalised
as PDF/A through real LibreOffice, signed by pyHanko (secretary, chair, seal), stored as the
host stores them, exported, and checked offline by ``meetingapp verify-package``. One changed
byte in any member is found and the member named."""

from __future__ import annotations

import hashlib
import io
import json
import math
import shutil
import struct
import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import pytest

from exports.certs import make_demo_certs
from exports.signing import load_pkcs12, sign_minutes
from meetingapp.package import verify_package
from meetingapp.server.minutes import export_session, finalise_minutes
from meetingapp.store.files import FileStore
from tests.minutes_helpers import closed_meeting

pytestmark = pytest.mark.slow


def tone_wav(seconds: float = 0.5, rate: int = 16000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        w.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(n)
            )
        )
    return buf.getvalue()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(record package ZIP, CA certificate) of a signed, sealed session with one recording."""
    tmp = tmp_path_factory.mktemp("record")
    mt, ids = closed_meeting(tmp)
    m, sid = mt.machine, mt.session
    files = FileStore(tmp / "files")
    digest, _ = files.put(tone_wav(), kind="audio", suffix=".wav")
    m.speech_audio(sid, ids["speech"], sha256=digest, seconds=0.5)
    final = finalise_minutes(m, sid, tmp / "out", seal=True)
    files.put(final.docx.read_bytes(), kind="minutes", suffix=".docx")
    certs = make_demo_certs(tmp / "certs")
    signed = tmp / "signed.pdf"
    source = final.pdf
    for role in ("secretary", "chair", "seal"):
        sign_minutes(source, role, load_pkcs12(certs.p12[role], "demo"), out=signed)
        source = signed
    stored, _ = files.put(signed.read_bytes(), kind="minutes", suffix=".signed.pdf")
    m.minutes_signed(
        sid,
        sha256=stored,
        fields=["ThuKy", "ChuToa", "DauCoQuan"],
        signers=["Lê Hoàng Dũng", "Nguyễn Văn An", "Hội đồng nhân dân xã Tân Phú"],
    )
    zip_path = export_session(m, sid, tmp / "export", files=files)
    return zip_path, certs.ca


def members(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rewrite(src: Path, dst: Path, contents: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(name, data)
    return dst


def flip(data: bytes, at: int | None = None) -> bytes:
    changed = bytearray(data)
    changed[len(data) // 2 if at is None else at] ^= 0x01
    return bytes(changed)


def refresh_manifest(contents: dict[str, bytes]) -> None:
    """What a forger would do: recompute the manifest's hashes after changing a member."""
    manifest = json.loads(contents["manifest.json"])
    for name in manifest["files"]:
        manifest["files"][name] = hashlib.sha256(contents[name]).hexdigest()
    contents["manifest.json"] = json.dumps(manifest).encode()


def test_the_package_holds_everything_and_passes(package: tuple[Path, Path]) -> None:
    zip_path, ca = package
    names = set(members(zip_path))
    assert {
        "event-log.jsonl",
        "manifest.json",
        "ban-ghi.docx",
        "ban-ghi.txt",
        "phat-bieu-001.srt",
        "phat-bieu-001.vtt",
        "bieu-quyet.csv",
        "diem-danh.csv",
        "ket-qua.xlsx",
        "am-thanh/phat-bieu-001.wav",
    } <= names
    assert any(n.startswith("BB-01-") and n.endswith(".signed.pdf") for n in names)
    assert any(n.startswith("BB-01-") and n.endswith(".docx") for n in names)
    report = verify_package(zip_path, [ca.read_bytes()])
    assert report.ok, report.message("en")
    assert report.params["signatures"] == 3
    cli = subprocess.run(
        [sys.executable, "-m", "meetingapp", "verify-package", str(zip_path), "--trust", str(ca)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert "Hồ sơ HỢP LỆ" in cli.stdout


MEMBER_TYPES = [
    "signed.pdf",
    "BB-docx",
    "event-log.jsonl",
    "am-thanh/phat-bieu-001.wav",
    "ban-ghi.docx",
    "ban-ghi.txt",
    "phat-bieu-001.srt",
    "phat-bieu-001.vtt",
    "bieu-quyet.csv",
    "diem-danh.csv",
    "ket-qua.xlsx",
]


def member_named(names: list[str], kind: str) -> str:
    if kind == "signed.pdf":
        return next(n for n in names if n.endswith(".signed.pdf"))
    if kind == "BB-docx":
        return next(n for n in names if n.startswith("BB-") and n.endswith(".docx"))
    return kind


@pytest.mark.parametrize("kind", MEMBER_TYPES)
def test_one_changed_byte_in_any_member_is_named(
    package: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    zip_path, ca = package
    contents = members(zip_path)
    name = member_named(list(contents), kind)
    contents[name] = flip(contents[name])
    report = verify_package(rewrite(zip_path, tmp_path / "p.zip", contents), [ca.read_bytes()])
    assert not report.ok
    assert (report.key, report.member) == ("package.hash", name)
    assert name in report.message("vi") and name in report.message("en")


def test_a_changed_manifest_is_caught(package: tuple[Path, Path], tmp_path: Path) -> None:
    zip_path, ca = package
    contents = members(zip_path)
    manifest = contents["manifest.json"]
    at = manifest.index(b'"ban-ghi.txt": "') + len(b'"ban-ghi.txt": "') + 5
    contents["manifest.json"] = manifest[:at] + b"0" + manifest[at + 1 :]
    if contents["manifest.json"] == manifest:
        contents["manifest.json"] = manifest[:at] + b"1" + manifest[at + 1 :]
    report = verify_package(rewrite(zip_path, tmp_path / "p.zip", contents), [ca.read_bytes()])
    assert (report.ok, report.key, report.member) == (False, "package.hash", "ban-ghi.txt")


def test_a_changed_byte_in_the_zip_itself_names_the_member(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    zip_path, ca = package
    raw = zip_path.read_bytes()
    with zipfile.ZipFile(zip_path) as zf:  # the WAV is stored: its bytes are in the file as is
        info = zf.getinfo("am-thanh/phat-bieu-001.wav")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    broken = tmp_path / "raw.zip"
    broken.write_bytes(flip(raw, start + info.compress_size // 2))
    report = verify_package(broken, [ca.read_bytes()])
    assert (report.ok, report.member) == (False, "am-thanh/phat-bieu-001.wav")


def test_missing_and_added_members(package: tuple[Path, Path], tmp_path: Path) -> None:
    zip_path, ca = package
    contents = members(zip_path)
    del contents["diem-danh.csv"]
    report = verify_package(rewrite(zip_path, tmp_path / "a.zip", contents), [ca.read_bytes()])
    assert (report.key, report.member) == ("package.missing", "diem-danh.csv")
    contents = members(zip_path)
    contents["them.txt"] = b"added later"
    report = verify_package(rewrite(zip_path, tmp_path / "b.zip", contents), [ca.read_bytes()])
    assert (report.key, report.member) == ("package.unlisted", "them.txt")


def test_a_forged_manifest_does_not_hide_changes_to_what_the_signatures_anchor(
    package: tuple[Path, Path], tmp_path: Path
) -> None:
    """With the manifest recomputed by a forger: the signatures still catch the minutes, the
    chain (anchored by the hash printed in the signed minutes) the log, the log the audio."""
    zip_path, ca = package
    trust = [ca.read_bytes()]
    original = members(zip_path)

    contents = dict(original)
    pdf_name = member_named(list(contents), "signed.pdf")
    contents[pdf_name] = flip(contents[pdf_name], 2000)  # inside the first revision's content
    refresh_manifest(contents)
    report = verify_package(rewrite(zip_path, tmp_path / "1.zip", contents), trust)
    assert (report.key, report.member) == ("package.signature", pdf_name)

    contents = dict(original)
    lines = contents["event-log.jsonl"].decode().splitlines()
    victim = next(i for i, line in enumerate(lines) if '"ballot_cast"' in line)
    lines[victim] = lines[victim].replace('\\"yes\\"', '\\"no\\"', 1)
    assert lines[victim] != contents["event-log.jsonl"].decode().splitlines()[victim]
    contents["event-log.jsonl"] = ("\n".join(lines) + "\n").encode()
    refresh_manifest(contents)
    report = verify_package(rewrite(zip_path, tmp_path / "2.zip", contents), trust)
    assert (report.key, report.member) == ("package.log", "event-log.jsonl")
    assert report.params["seq"] == victim + 1

    contents = dict(original)
    contents["am-thanh/phat-bieu-001.wav"] = flip(contents["am-thanh/phat-bieu-001.wav"])
    refresh_manifest(contents)
    report = verify_package(rewrite(zip_path, tmp_path / "3.zip", contents), trust)
    assert (report.key, report.member) == ("package.audio", "am-thanh/phat-bieu-001.wav")

    contents = dict(original)
    docx_name = member_named(list(contents), "BB-docx")
    contents[docx_name] = flip(contents[docx_name])
    refresh_manifest(contents)
    report = verify_package(rewrite(zip_path, tmp_path / "4.zip", contents), trust)
    assert (report.key, report.member) == ("package.docx", docx_name)


def test_untrusted_signer_and_cli_failure(package: tuple[Path, Path], tmp_path: Path) -> None:
    zip_path, _ = package
    other = make_demo_certs(tmp_path / "other")
    report = verify_package(zip_path, [other.ca.read_bytes()])
    assert (report.ok, report.key) == (False, "package.signature")
    broken = tmp_path / "broken.zip"
    contents = members(zip_path)
    contents["bieu-quyet.csv"] = flip(contents["bieu-quyet.csv"])
    rewrite(zip_path, broken, contents)
    cli = subprocess.run(
        [sys.executable, "-m", "meetingapp", "--lang", "en", "verify-package", str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 1
    assert "bieu-quyet.csv" in cli.stderr and "changed" in cli.stderr
    shutil.rmtree(tmp_path / "other")
