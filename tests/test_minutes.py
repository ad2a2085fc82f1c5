"""Minutes: the Decree 30 DOCX, the PDF through real LibreOffice, signatures with real pyHanko
checked against poppler's pdfsig, and the exports."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from exports.certs import make_demo_certs
from exports.docx_minutes import render_docx, summarise
from exports.signing import SigningError, load_pkcs12, sign_minutes, signature_reports
from meetingapp.errors import InvalidTransition
from meetingapp.server.minutes import (
    build_minutes,
    draft_minutes,
    export_session,
    finalise_minutes,
)
from tests.minutes_helpers import closed_meeting, nss_db, pdfsig


def pdftext(pdf: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_draft_docx_follows_the_layout(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    model = build_minutes(mt.machine.world, mt.session)
    path = render_docx(model, tmp_path / "draft.docx")
    doc = Document(str(path))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [
        round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)
    ] == [20, 20, 30, 20]
    assert sec.different_first_page_header_footer
    assert doc.styles["Normal"].font.size == Pt(14)
    xml = doc.element.xml + doc.styles.element.xml
    assert "asciiTheme" not in xml and "hAnsiTheme" not in xml
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert "HỘI ĐỒNG NHÂN DÂN\nXÃ THỬ NGHIỆM" in header[0]
    assert "Số: …/BB-HĐND" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert round(doc.tables[0].columns[0].width.mm) == 62  # twips round the EMUs
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "Đại biểu Hội đồng nhân dân có mặt: 10/12; vắng mặt: 2 (có lý do: Đại biểu Số 11 "
        "(Đi công tác); không có lý do: Đại biểu Số 12)." in text
    )
    assert "Tán thành: 8/12 đại biểu, chiếm 66,67% tổng số đại biểu." in text
    assert "Tán thành: 6/12 đại biểu, chiếm 50,00% tổng số đại biểu." in text
    assert "Kết quả: Không thông qua" in text
    assert "Số phiếu phát ra: 10; số phiếu thu vào: 10; phiếu hợp lệ: 10" in text
    for head in ("I. KHAI MẠC KỲ HỌP", "IV. THẢO LUẬN, CHẤT VẤN VÀ TRẢ LỜI CHẤT VẤN", "VI. BẾ MẠC"):
        assert head in text
    assert "Đại biểu Đại biểu Số 4 (Tổ 1):" in text
    sig = [c.text for c in doc.tables[1].rows[0].cells]
    assert sig[0].startswith("THƯ KÝ") and sig[1].startswith("CHỦ TỌA")
    assert "Nơi nhận:" in text and "- Lưu: VT, HĐND." in text
    assert "PHỤ LỤC III. KẾT QUẢ BIỂU QUYẾT CHI TIẾT" in text
    assert mt.machine.world.sessions[mt.session].head_hash in text
    assert "Tán thành (8): " in text  # named ballot lists names
    # nobody pressed "Không biểu quyết" on the named vote: the 2 who cast nothing (absent) did
    # not take part, listed apart in the annex, never counted as abstaining
    assert "Số đại biểu tham gia biểu quyết: 10/12 đại biểu, chiếm 83,33%" in text
    assert "Không biểu quyết: 0/12 đại biểu, chiếm 0,00% tổng số đại biểu." in text
    assert "Không biểu quyết: 4/12 đại biểu, chiếm 33,33% tổng số đại biểu." in text  # secret
    assert "Không tham gia biểu quyết (2): Đại biểu Số 11, Đại biểu Số 12" in text
    assert "Kỳ họp kết thúc vào hồi" in text
    assert "Bỏ phiếu kín: chỉ công bố tổng số." in text  # secret ballot: totals only


def test_a_draft_of_an_open_session_invents_no_closing(tmp_path: Path) -> None:
    from tests.helpers import make_meeting

    mt = make_meeting(tmp_path)
    model = build_minutes(mt.machine.world, mt.session)
    assert model.ended_at == ""
    doc = Document(str(render_docx(model, tmp_path / "draft.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "kết thúc vào hồi" not in text
    assert "Dự thảo lập khi kỳ họp đang diễn ra: thời gian kết thúc chưa có." in text


def test_summary_keeps_whole_sentences() -> None:
    text = "Câu thứ nhất rất dài về ngân sách. " * 30
    short = summarise(text, limit=120)
    assert short.endswith("ngân sách. …") and len(short) < 130
    assert summarise("") == "(chưa có bản ghi lời phát biểu)"


@pytest.mark.slow
def test_pdf_embeds_fonts_and_keeps_vietnamese_text(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    files = draft_minutes(mt.machine, mt.session, tmp_path / "out")
    fonts = subprocess.run(
        ["pdffonts", str(files.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)  # every font embedded
    assert all("Liberation" in line for line in fonts), fonts  # Times New Roman's metric twin
    page1 = pdftext(files.pdf, 1)
    for phrase in (
        "HỘI ĐỒNG NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Thành phần tham dự",
    ):
        assert phrase in page1
    assert not page1.strip().startswith("1")  # no page number on page 1
    everything = pdftext(files.pdf)
    assert "chiếm 66,67% tổng số đại biểu" in everything
    info = subprocess.run(["pdfinfo", str(files.pdf)], capture_output=True, text=True).stdout
    pages = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
    assert pages >= 2
    assert pdftext(files.pdf, 2).strip().startswith("2")  # page number on top of page 2


@pytest.mark.slow
def test_finalise_sign_in_order_and_verify_with_pyhanko_and_pdfsig(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    certs = make_demo_certs(tmp_path / "certs")
    final = finalise_minutes(mt.machine, mt.session, tmp_path / "out", seal=True)
    assert final.number == 1 and final.pdf.name.startswith("BB-01-")
    assert "Số: 01/BB-HĐND" in pdftext(final.pdf, 1)
    with pytest.raises(InvalidTransition):
        finalise_minutes(mt.machine, mt.session, tmp_path / "again")
    signed = final.pdf.with_name(final.pdf.stem + ".signed.pdf")
    shutil.copyfile(final.pdf, signed)
    key = {role: load_pkcs12(path, "demo") for role, path in certs.p12.items()}

    before = signed.read_bytes()
    with pytest.raises(SigningError) as err:
        sign_minutes(signed, "chair", key["chair"])
    assert err.value.key == "sign.order"
    assert "Sai thứ tự ký" in err.value.message("vi")
    with pytest.raises(SigningError) as err:
        load_pkcs12(certs.p12["secretary"], "sai-mat-khau")
    assert err.value.key == "sign.bad_password"
    assert signed.read_bytes() == before

    sign_minutes(signed, "secretary", key["secretary"])
    with pytest.raises(SigningError) as err:
        sign_minutes(signed, "seal", key["seal"])
    assert err.value.key == "sign.order"
    with pytest.raises(SigningError) as err:
        sign_minutes(signed, "secretary", key["secretary"])
    assert err.value.key == "sign.already_signed"
    sign_minutes(signed, "chair", key["chair"])
    sign_minutes(signed, "seal", key["seal"])

    reports = signature_reports(signed.read_bytes(), [certs.ca.read_bytes()])
    assert [r.field for r in reports] == ["ThuKy", "ChuToa", "DauCoQuan"]
    assert [r.signer for r in reports] == [
        "Lê Hoàng Dũng",
        "Nguyễn Văn An",
        "Hội đồng nhân dân xã Tân Phú",
    ]
    assert all(r.ok and r.trusted for r in reports)
    assert all(r.signed_at.endswith("+07:00") for r in reports)

    nss = nss_db(tmp_path / "nss", certs.ca)
    poppler = pdfsig(signed, nss)
    assert len(poppler) == 3
    for sig in poppler:
        assert sig["Signature Validation"] == "Signature is Valid."
        assert sig["Certificate Validation"] == "Certificate is Trusted."
        assert sig["Signature Type"] == "ETSI.CAdES.detached"
    assert "Lê Hoàng Dũng" in pdftext(signed)  # the stamp, drawn in a Vietnamese font

    cli = subprocess.run(
        [sys.executable, "-m", "meetingapp", "verify", str(signed), "--trust", str(certs.ca)],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0 and "Kết luận: HỢP LỆ" in cli.stdout


@pytest.mark.slow
def test_one_changed_byte_in_either_revision_is_found_by_pyhanko_and_pdfsig(
    tmp_path: Path,
) -> None:
    mt, _ = closed_meeting(tmp_path)
    certs = make_demo_certs(tmp_path / "certs")
    final = finalise_minutes(mt.machine, mt.session, tmp_path / "out")
    signed = tmp_path / "BB.signed.pdf"
    sign_minutes(final.pdf, "secretary", load_pkcs12(certs.p12["secretary"], "demo"), out=signed)
    after_secretary = len(signed.read_bytes())
    sign_minutes(signed, "chair", load_pkcs12(certs.p12["chair"], "demo"))
    data = signed.read_bytes()
    nss = nss_db(tmp_path / "nss", certs.ca)
    # a byte of the page content (covered by both signatures), and a byte of the signature
    # dictionary in the chair's own update (covered by the chair's signature only; most of
    # that update is the /Contents placeholder, which no signature covers)
    reason = data.rindex(b"/Reason")
    assert reason > after_secretary
    cases = {
        "first": (data.index(b"stream", 2000) + 20, {"ThuKy", "ChuToa"}),
        "last": (reason + 12, {"ChuToa"}),
    }
    for name, (at, broken) in cases.items():
        tampered = bytearray(data)
        tampered[at] ^= 0x01
        path = tmp_path / f"tampered-{name}.pdf"
        path.write_bytes(bytes(tampered))
        reports = {r.field: r for r in signature_reports(bytes(tampered), [certs.ca.read_bytes()])}
        assert {f for f, r in reports.items() if not r.intact} == broken, name
        poppler = {s["Signature Field Name"]: s["Signature Validation"] for s in pdfsig(path, nss)}
        assert {f for f, v in poppler.items() if v != "Signature is Valid."} == broken, poppler
        assert all(poppler[f] == "Digest Mismatch." for f in broken)
        cli = subprocess.run(
            [sys.executable, "-m", "meetingapp", "verify", str(path)],
            capture_output=True,
            text=True,
        )
        assert cli.returncode == 1 and "KHÔNG HỢP LỆ" in cli.stdout


@pytest.mark.slow
def test_expired_or_unsuitable_certificates_are_refused(tmp_path: Path) -> None:
    import datetime as dt

    mt, _ = closed_meeting(tmp_path)
    final = finalise_minutes(mt.machine, mt.session, tmp_path / "out")
    old = make_demo_certs(
        tmp_path / "old", not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), valid_days=365
    )
    odd = make_demo_certs(tmp_path / "odd", usage_sign=False)
    before = final.pdf.read_bytes()
    with pytest.raises(SigningError) as err:
        sign_minutes(final.pdf, "secretary", load_pkcs12(old.p12["secretary"], "demo"))
    assert err.value.key == "sign.cert_expired"
    with pytest.raises(SigningError) as err:
        sign_minutes(final.pdf, "secretary", load_pkcs12(odd.p12["secretary"], "demo"))
    assert err.value.key == "sign.cert_unsuitable"
    assert final.pdf.read_bytes() == before


@pytest.mark.slow
def test_a_reviewed_docx_is_numbered_and_used(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    draft = draft_minutes(mt.machine, mt.session, tmp_path / "draft")
    doc = Document(str(draft.docx))
    doc.add_paragraph("Thư ký bổ sung: đại biểu đề nghị làm rõ nguồn vốn đối ứng.")
    reviewed = tmp_path / "reviewed.docx"
    doc.save(str(reviewed))
    final = finalise_minutes(mt.machine, mt.session, tmp_path / "out", edited_docx=reviewed)
    text = pdftext(final.pdf)
    assert "Số: 01/BB-HĐND" in text and "nguồn vốn đối ứng" in text


def test_a_session_still_open_cannot_be_finalised(tmp_path: Path) -> None:
    from tests.helpers import make_meeting

    mt = make_meeting(tmp_path)
    with pytest.raises(InvalidTransition):
        finalise_minutes(mt.machine, mt.session, tmp_path / "out")


def test_numbers_run_per_year_per_body(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    m = mt.machine
    number, year = m.minutes_number(mt.session)
    assert number == m.next_minutes_number(mt.body, year) == 1
    m.minutes_finalised(mt.session, number=1, year=year, docx_sha256="a", pdf_sha256="b")
    assert m.next_minutes_number(mt.body, year) == 2
    assert m.next_minutes_number(mt.body, year + 1) == 1


def test_exports_and_record_package(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    package = export_session(mt.machine, mt.session, tmp_path / "exp")
    with zipfile.ZipFile(package) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        log = [json.loads(line) for line in zf.read("event-log.jsonl").decode().splitlines()]
    assert {
        "ban-ghi.docx",
        "ban-ghi.txt",
        "bieu-quyet.csv",
        "diem-danh.csv",
        "ket-qua.xlsx",
        "phat-bieu-001.srt",
        "phat-bieu-001.vtt",
        "event-log.jsonl",
    } <= names
    import hashlib

    with zipfile.ZipFile(package) as zf:
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
            if name != "event-log.jsonl":
                assert (tmp_path / "exp" / name).read_bytes() == zf.read(name)
    assert log[-1]["hash"] == manifest["event_log_hash"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))  # the chain from event 1
    assert all("pin_hash" not in e.get("payload_json", "") for e in log)
    assert any(e.get("elided") for e in log)  # the roster's events: hashes only
    with (tmp_path / "exp" / "bieu-quyet.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][3:9] == [
        "Tán thành",
        "Không tán thành",
        "Không biểu quyết",
        "Tham gia biểu quyết",
        "Không tham gia biểu quyết",
        "Tổng số đại biểu",
    ]
    assert rows[1][1:3] == ["Nghị quyết về dự toán ngân sách năm 2027", "biểu quyết điện tử"]
    # 8 for, 2 against, none abstained; the 2 who cast nothing did not take part
    assert rows[1][3:9] == ["8", "2", "0", "10", "2", "12"]
    assert rows[1][9:] == ["66,67%", "16,67%", "0,00%", "83,33%", "Thông qua"]
    wb = load_workbook(tmp_path / "exp" / "ket-qua.xlsx")
    assert wb.sheetnames == ["Biểu quyết", "Điểm danh"]
    assert wb["Điểm danh"]["B2"].value == "Đại biểu Số 1"
    srt = (tmp_path / "exp" / "phat-bieu-001.srt").read_text()
    assert srt.startswith("1\n00:00:00,000 --> ")


SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")


def softhsm_token(tmp_path: Path, p12: Path, label: str) -> dict[str, str]:
    """A SoftHSM2 token holding the key and certificate of ``p12`` (PIN 1234)."""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        pkcs12,
    )

    (tmp_path / "tokens").mkdir(parents=True)
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "meetingapp",
            "--pin",
            "1234",
            "--so-pin",
            "5678",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    key, cert, _ = pkcs12.load_key_and_certificates(p12.read_bytes(), b"demo")
    assert key is not None and cert is not None
    (tmp_path / "key.der").write_bytes(
        key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    )  # type: ignore[union-attr]
    (tmp_path / "cert.der").write_bytes(cert.public_bytes(Encoding.DER))
    for kind, path in (("privkey", "key.der"), ("cert", "cert.der")):
        subprocess.run(
            [
                "pkcs11-tool",
                "--module",
                str(SOFTHSM),
                "--token-label",
                "meetingapp",
                "--login",
                "--pin",
                "1234",
                "--write-object",
                str(tmp_path / path),
                "--type",
                kind,
                "--id",
                "01",
                "--label",
                label,
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    return env


@pytest.mark.slow
def test_signing_with_a_pkcs11_token(tmp_path: Path) -> None:
    mt, _ = closed_meeting(tmp_path)
    certs = make_demo_certs(tmp_path / "certs")
    final = finalise_minutes(mt.machine, mt.session, tmp_path / "out")
    env = softhsm_token(tmp_path / "hsm", certs.p12["chair"], "chu-toa")
    run = [sys.executable, "-m", "meetingapp"]
    signed = final.pdf.with_name(final.pdf.stem + ".signed.pdf")
    first = subprocess.run(
        [
            *run,
            "sign",
            str(final.pdf),
            "--role",
            "secretary",
            "--p12",
            str(certs.p12["secretary"]),
            "--password-env",
            "P12_PASSWORD",
        ],
        env={**env, "P12_PASSWORD": "demo"},
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    before = signed.read_bytes()
    token = [
        "--pkcs11-lib",
        str(SOFTHSM),
        "--token-label",
        "meetingapp",
        "--key-label",
        "chu-toa",
        "--pin-env",
        "TOKEN_PIN",
    ]
    wrong = subprocess.run(
        [*run, "sign", str(signed), "--role", "chair", *token],
        env={**env, "TOKEN_PIN": "9999"},
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2 and "Lỗi thiết bị ký số" in wrong.stderr
    assert "PinIncorrect" in wrong.stderr
    assert signed.read_bytes() == before
    # the chair's handwritten signature, imported once into their profile (by their name as in
    # the certificate) and used by every later signing, here with the key on a token
    from exports.demo_art import signature_scan

    (tmp_path / "scan.jpg").write_bytes(signature_scan("Nguyễn Văn An"))
    data_dir = ["--data-dir", str(tmp_path / "profile")]
    imported = subprocess.run(
        [*run, "signature-image", str(tmp_path / "scan.jpg"), "--name", "Nguyễn Văn An"] + data_dir,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    assert "nguyen-van-an.png" in imported.stdout and "nguyen-van-an.preview.png" in imported.stdout
    right = subprocess.run(
        [*run, "sign", str(signed), "--role", "chair", *token, *data_dir],
        env={**env, "TOKEN_PIN": "1234"},
        capture_output=True,
        text=True,
    )
    assert right.returncode == 0, right.stderr
    from meetingapp.pdfpages import render_page

    pages = [render_page(signed, i, 600) for i in range(2)]

    def ink(left: int, right: int) -> int:  # the image's blue (0, 45, 165), not the stamp's
        return sum(
            1
            for page in pages
            for p in page.crop((left, 0, right, page.height)).getdata()
            if p[0] < 20 and 30 < p[1] < 60 and p[2] > 150
        )

    assert ink(0, 300) < 20  # the secretary's column: a text stamp (no image imported)
    blue = ink(300, 600)  # the chair's column
    assert blue > 300  # the blue signature image, drawn from the token signer's profile
    reports = signature_reports(signed.read_bytes(), [certs.ca.read_bytes()])
    assert [(r.field, r.signer, r.ok) for r in reports] == [
        ("ThuKy", "Lê Hoàng Dũng", True),
        ("ChuToa", "Nguyễn Văn An", True),
    ]


def test_the_record_speaks_the_councils_language(tmp_path: Path) -> None:
    """Term number in the title, a neutral honorific when the roster gives none (never the
    literal "Ông/Bà"), each document's type and number/symbol in section III."""
    from dataclasses import replace

    from exports.model import DocumentRef
    from meetingapp.server.minutes import summary_text

    assert (
        summary_text("Kỳ họp thứ Năm", "Hội đồng nhân dân xã Tân Phú", "XI, 2021-2026")
        == "Kỳ họp thứ Năm Hội đồng nhân dân xã Tân Phú khóa XI, nhiệm kỳ 2021-2026"
    )
    assert summary_text("Kỳ họp thứ Hai", "HĐND tỉnh X", "2021-2026").endswith(
        "HĐND tỉnh X, nhiệm kỳ 2021-2026"
    )
    mt, _ = closed_meeting(tmp_path)
    model = build_minutes(mt.machine.world, mt.session)
    first = model.items[0] if model.items else None
    doc = DocumentRef("Tờ trình kế hoạch đầu tư công năm 2027", "Tờ trình", "125/TTr-UBND")
    if first is None:
        from exports.model import ItemEntry
        from meetingapp.domain import ItemKind

        first = ItemEntry(1, "Kế hoạch đầu tư công", "UBND xã", ItemKind.REPORT)
    model = replace(
        model,
        items=(replace(first, documents=(doc,)),),
        chairs=(replace(model.chairs[0], honorific="Bà"),),
        secretary=replace(model.chairs[0], name="Lê Hoàng Dũng"),  # the roster gave none
    )
    text = "\n".join(
        p.text for p in Document(str(render_docx(model, tmp_path / "m.docx"))).paragraphs
    )
    assert "Ông/Bà" not in text
    assert f"Chủ trì (chủ tọa): Bà {model.chairs[0].name}" in text
    assert "Thư ký (người ghi biên bản): Đồng chí Lê Hoàng Dũng" in text
    assert "Tờ trình số 125/TTr-UBND: Tờ trình kế hoạch đầu tư công năm 2027" in text


def test_resolution_numbers_per_body_and_year_in_section_v_and_the_annex(tmp_path: Path) -> None:
    """A resolution that passes gets the body's next number of the year; one that fails, or a
    motion that issues no resolution, gets none; numbers survive a replay of the log."""
    from meetingapp.domain import AttendanceMethod, BallotForm, Choice, ItemKind
    from meetingapp.session import SessionMachine
    from meetingapp.store import open_db

    mt, _ = closed_meeting(tmp_path)  # its item is a report: its motions issue no resolution
    m = mt.machine
    assert all(x.resolution_number is None for x in m.record(mt.session).motions.values())
    sid = m.create_session(
        body_id=mt.body, number=2, title="Kỳ họp thứ Hai", chair_panel=[mt.delegates[0]]
    )
    item = m.add_agenda_item(sid, title="Dự thảo nghị quyết", kind=ItemKind.RESOLUTION)
    m.open_session(sid)
    m.start_roll_call(sid)
    for did in mt.delegates[:10]:
        m.check_in(sid, did, method=AttendanceMethod.PIN)
    m.close_roll_call(sid)
    m.start_item(sid, item)
    ids = []
    for title, yes in (("Nghị quyết A", 9), ("Nghị quyết B", 3), ("Nghị quyết C", 8)):
        motion = m.open_motion(sid, title=title, form=BallotForm.ELECTRONIC)
        for i, did in enumerate(mt.delegates[:10]):
            m.cast_ballot(sid, motion, did, Choice.YES if i < yes else Choice.NO)
        m.close_motion(sid, motion)
        ids.append(motion)
    procedural = m.open_motion(
        sid, title="Thông qua chương trình", form=BallotForm.ELECTRONIC, resolution=False
    )
    for did in mt.delegates[:10]:
        m.cast_ballot(sid, procedural, did, Choice.YES)
    m.close_motion(sid, procedural)
    m.close_session(sid)
    motions = m.record(sid).motions
    year = int(motions[ids[0]].closed_at[:4])
    assert [motions[i].resolution_number for i in ids] == [1, None, 2]
    assert motions[ids[0]].resolution_year == year
    assert motions[procedural].resolution_number is None
    assert m.next_resolution_number(mt.body, year) == 3
    replayed = SessionMachine(open_db(mt.db_path, create=False))
    assert [replayed.record(sid).motions[i].resolution_number for i in ids] == [1, None, 2]

    model = build_minutes(m.world, sid)
    assert [x.resolution for x in model.motions] == ["01/NQ-HĐND", "", "02/NQ-HĐND", ""]
    text = "\n".join(
        p.text for p in Document(str(render_docx(model, tmp_path / "m.docx"))).paragraphs
    )
    assert "Thông qua Nghị quyết số 01/NQ-HĐND." in text  # section V
    assert "Thông qua Nghị quyết số 02/NQ-HĐND." in text
    assert "1. Nghị quyết A (Nghị quyết số 01/NQ-HĐND)" in text  # annex III
    assert "Nghị quyết số 03" not in text
