"""Signature appearances per Decree 30: scans imported (paper transparent, blue ink, red seal,
sizes normalised), drawn by pyHanko into the fields of the archival (PDF/A-2b) minutes, the
seal over the left third of the chair's signature; checked on pages rendered by pdfium and
with poppler's pdfsig."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from exports import appearance as A
from exports import demo_art
from exports.certs import DEMO_PEOPLE, make_demo_certs
from exports.pdfa import pdfa_findings
from exports.signing import load_pkcs12, sign_minutes, signature_reports
from meetingapp.pdfpages import render_page
from meetingapp.server.minutes import finalise_minutes
from tests.minutes_helpers import closed_meeting, nss_db, pdfsig

MM = 72 / 25.4


def pixels(img: Image.Image) -> list[tuple[int, ...]]:
    flat = getattr(img, "get_flattened_data", None)  # Pillow ≥ 12; getdata is deprecated
    return list(flat() if flat else img.getdata())


def is_blue(p: tuple[int, ...]) -> bool:
    r, g, b = p[:3]
    return b > 120 and r < 90 and g < 120


def is_red(p: tuple[int, ...]) -> bool:
    """Seal red, not the orange-brown fringes pdfium draws at the edges of black text."""
    r, g, b = p[:3]
    return r > 180 and g < 100 and b < 100 and abs(g - b) < 40


def test_a_scanned_signature_becomes_transparent_blue_ink(tmp_path: Path) -> None:
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(demo_art.signature_scan("Lê Hoàng Dũng"))
    stored = A.import_image(scan, tmp_path / "data", "Lê Hoàng Dũng")
    assert stored == tmp_path / "data" / "chu-ky" / "le-hoang-dung.png"
    img = Image.open(stored)
    assert img.mode == "RGBA" and img.info["dpi"][0] == pytest.approx(300, abs=1)
    w, h = A.size_mm(img)
    assert w <= 45.1 and h <= 20.1 and (w > 44 or h > 19.5)  # fills the 45×20 mm field
    every = pixels(img)
    paper = [p for p in every if p[3] == 0]
    ink = [p for p in every if p[3] > 200]
    assert len(paper) > 0.6 * len(every)  # the grey paper became transparent
    assert ink and all(is_blue(p) for p in ink)
    for corner in ((0, 0), (img.width - 1, 0), (0, img.height - 1)):
        assert img.getpixel(corner)[3] == 0
    shown = A.preview(img)
    assert sum(1 for p in pixels(shown) if is_blue(p)) > 500  # drawn through pyHanko + pdfium


def test_a_seal_is_red_at_its_real_size(tmp_path: Path) -> None:
    seal = A.clean_scan(demo_art.seal_scan("Hội đồng nhân dân xã Tân Phú"), kind="seal")
    ink = seal.getchannel("A").point(lambda a: 255 if a > 127 else 0).getbbox()
    assert ink is not None
    assert (ink[2] - ink[0]) / 300 * 25.4 == pytest.approx(38.0, abs=0.3)  # the real size
    assert max(A.size_mm(seal)) < 41  # and a small transparent margin
    ink = [p for p in pixels(seal) if p[3] > 200]
    assert ink and all(is_red(p) for p in ink)
    smaller = A.clean_scan(demo_art.seal_scan("UBND xã Tân Phú"), kind="seal", seal_mm=36)
    assert A.size_mm(smaller)[0] == pytest.approx(36.0 * 1.06, abs=0.3)


def test_what_is_not_a_signature_scan_is_refused(tmp_path: Path) -> None:
    with pytest.raises(A.AppearanceError) as err:
        A.clean_scan(b"%PDF-1.7 not an image")
    assert err.value.key == "appearance.bad_image"
    blank = io.BytesIO()
    Image.new("RGB", (400, 200), (240, 240, 240)).save(blank, "PNG")
    with pytest.raises(A.AppearanceError) as err:
        A.clean_scan(blank.getvalue())
    assert err.value.key == "appearance.no_ink"
    assert "Không thấy nét mực" in err.value.message("vi")
    photo = Path(__file__).parent.parent / "meetingapp" / "demo_assets" / "astronaut.jpg"
    with pytest.raises(A.AppearanceError) as err:  # a photograph, not strokes on paper
        A.clean_scan(photo.read_bytes())
    assert err.value.key == "appearance.not_strokes"
    cli = subprocess.run(
        [sys.executable, "-m", "meetingapp", "signature-image", str(tmp_path / "none.png")]
        + ["--name", "Ai Đó", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 2 and "Không đọc được ảnh" in cli.stderr
    assert not (tmp_path / "chu-ky").exists()  # nothing kept


def field_rects(pdf: bytes) -> dict[str, tuple[float, float, float, float]]:
    reader = PdfFileReader(io.BytesIO(pdf))
    out = {}
    for name, _, ref in fields.enumerate_sig_fields(reader):
        rect = [float(v) for v in ref.get_object()["/Rect"]]
        out[name] = (rect[0], rect[1], rect[2], rect[3])
    return out


@pytest.mark.slow
def test_signed_archival_minutes_show_blue_signatures_and_the_seal_over_the_chair(
    tmp_path: Path,
) -> None:
    mt, _ = closed_meeting(tmp_path)
    final = finalise_minutes(mt.machine, mt.session, tmp_path / "out", seal=True)
    assert pdfa_findings(final.pdf.read_bytes()) == []  # PDF/A-2b as far as checked here
    certs = make_demo_certs(tmp_path / "certs")
    images = {}
    for role, name in DEMO_PEOPLE.items():
        scan = tmp_path / f"{role}.jpg"
        kind = "seal" if role == "seal" else "signature"
        scan.write_bytes(
            demo_art.seal_scan(name) if kind == "seal" else demo_art.signature_scan(name)
        )
        images[role] = A.load_image(A.import_image(scan, tmp_path / "data", name, kind=kind))
    signed = tmp_path / "signed.pdf"
    source = final.pdf
    for role in ("secretary", "chair", "seal"):
        sign_minutes(
            source,
            role,
            load_pkcs12(certs.p12[role], "demo"),
            out=signed,
            image=images[role],
            organisation="Hội đồng nhân dân xã Tân Phú",
        )
        source = signed
    data = signed.read_bytes()
    assert pdfa_findings(data) == []  # the signatures' appearances keep it PDF/A
    assert all(r.ok and r.trusted for r in signature_reports(data, [certs.ca.read_bytes()]))
    poppler = pdfsig(signed, nss_db(tmp_path / "nss", certs.ca))
    assert [s["Signature Validation"] for s in poppler] == ["Signature is Valid."] * 3
    cli = subprocess.run(
        [sys.executable, "-m", "meetingapp", "verify", str(signed), "--trust", str(certs.ca)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0 and "Kết luận: HỢP LỆ" in cli.stdout

    rects = field_rects(data)
    page_no = next(
        i
        for i in range(8)
        if "CHỦ TỌA"
        in subprocess.run(
            ["pdftotext", "-f", str(i + 1), "-l", str(i + 1), str(signed), "-"],
            capture_output=True,
            text=True,
        ).stdout
    )
    width_px = 1240  # 150 dpi
    page = render_page(signed, page_no, width_px)
    scale = width_px / (210 * MM)
    height_pt = page.height / scale

    def box_px(rect: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = rect
        return (
            round(x0 * scale),
            round((height_pt - y1) * scale),
            round(x1 * scale),
            round((height_pt - y0) * scale),
        )

    def count(box: tuple[int, int, int, int], test: object) -> int:
        region = page.crop(box)
        return sum(1 for p in pixels(region) if test(p))  # type: ignore[operator]

    secretary, chair = box_px(rects["ThuKy"]), box_px(rects["ChuToa"])
    assert count(secretary, is_blue) > 800  # the secretary's blue signature
    cx0, cy0, cx1, cy1 = chair
    third = cx0 + (cx1 - cx0) / 3
    assert count((round(third) + 3, cy0, cx1, cy1), is_blue) > 500  # the chair's, right of it
    # the red seal: where is red drawn around the chair's box?
    red_cols = [
        x
        for x in range(cx0 - 300, cx1)
        if any(is_red(page.getpixel((x, y))) for y in range(cy0 - 120, cy1 + 120, 2))
    ]
    assert red_cols, "no seal drawn"
    mm = scale * MM  # pixels per mm
    left, right = min(red_cols), max(red_cols)
    assert right == pytest.approx(third, abs=2 * mm)  # its right edge at a third of the box
    assert left < cx0  # so it covers the whole left third
    assert (right - left) / mm == pytest.approx(38, abs=2)  # at the seal's real size
    red_rows = [
        y
        for y in range(cy0 - 200, cy1 + 200)
        if is_red(page.getpixel((round((left + right) / 2), y)))
    ]
    assert min(red_rows) < cy0 and max(red_rows) > cy1  # over the box's whole height
    # and in the left third of the chair's box, the seal is on top: red in most columns
    covered = [x for x in range(cx0, round(third)) if x in set(red_cols)]
    assert len(covered) >= 0.95 * (third - cx0)
    # under it: the organisation's name and the signing time with +07:00, in 10 pt
    text = subprocess.run(
        ["pdftotext", "-f", str(page_no + 1), "-l", str(page_no + 1), str(signed), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "Hội đồng nhân dân xã Tân Phú" in text and "+07:00" in text
    page.save(tmp_path / "signature-page.png")
