"""Signature appearances per Decree 30/2020 (Phụ lục I, II): a person's handwritten-signature
image (blue, transparent PNG) centred between the title and the name; the organisation's seal
(red, real size, transparent PNG) covering about the left third of the chair's signature, with
the organisation's name and the signing time (ISO 8601, +07:00) in 10 pt under it. A text stamp
remains the fallback when nobody has imported an image.

Images come from a scan or a photo of the signature on paper (or of a stamped seal): the paper
is made transparent, the ink tinted, the size normalised (``clean_scan``), the result kept as
``<data dir>/chu-ky/<name>.png`` (``import_image``) and shown as it will be drawn (``preview``).
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageOps, UnidentifiedImageError
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import DEFAULT_TEXT_BOX_MARGIN, TextBoxStyle
from pyhanko.stamp import StaticStampStyle, TextStampStyle

from meetingapp.bundle import shipped
from meetingapp.errors import MeetingAppError

Kind = Literal["signature", "seal"]
MM = 72 / 25.4
DPI = 300  # stored images: 300 pixels per inch, so their size in mm is known
INK_BLUE = (0, 45, 165)  # "màu xanh"
SEAL_RED = (215, 25, 30)  # "màu đỏ"
SEAL_MM = 38.0  # real size of a round seal of a commune/district body (36–40 mm)
SIGNATURE_MM = (45.0, 20.0)  # the field under THƯ KÝ / CHỦ TỌA
SEAL_TEXT_PT = 10
SEAL_FIELD_MM = 62.0  # the seal's field: the seal (38 mm) and the lines of text under it
SEAL_TEXT_MM = 21.0  # up to three lines of 10 pt (13 pt leading) under the seal, with margins
# 1000 units/em; a packaged installation ships its own copy (packaging/fonts)
STAMP_FONT = shipped("fonts", "NotoSerif-Regular.ttf") or Path(
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
)
MAX_PIXELS = 40_000_000
FOLDER = "chu-ky"


class AppearanceError(MeetingAppError):
    status = 422
    key = "appearance.bad_image"


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def size_mm(img: Image.Image) -> tuple[float, float]:
    """The drawn size of a stored image (from its DPI; 300 when absent)."""
    dpi = img.info.get("dpi", (DPI, DPI))
    return img.width / float(dpi[0]) * 25.4, img.height / float(dpi[1]) * 25.4


# --- from a scan to a clean transparent PNG ------------------------------------------------


def clean_scan(data: bytes, *, kind: Kind = "signature", seal_mm: float = SEAL_MM) -> Image.Image:
    """Paper made transparent, ink tinted (blue signature, red seal), cropped to the ink and
    scaled: a signature to fit 45×20 mm, a seal to its real diameter ``seal_mm``."""
    try:
        src: Image.Image = Image.open(io.BytesIO(data))
        if src.width * src.height > MAX_PIXELS:
            raise AppearanceError("appearance.too_large", pixels=src.width * src.height)
        src = ImageOps.exif_transpose(src)
        src.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise AppearanceError("appearance.bad_image", detail=str(exc)) from exc
    if src.mode in ("RGBA", "LA", "PA") or "transparency" in src.info:
        white = Image.new("RGBA", src.size, (255, 255, 255, 255))
        src = Image.alpha_composite(white, src.convert("RGBA"))
    grey = src.convert("L")
    hist = grey.histogram()
    paper, ink = _percentile(hist, 0.70), _percentile(hist, 0.005)
    if paper - ink < 60:
        raise AppearanceError("appearance.no_ink")
    # ink 255 where as dark as the darkest ink, 0 on paper; faint noise below 20% dropped
    span = paper - ink
    lut = [min(255, round(max(0, paper - v) * 255 / (span * 0.8))) for v in range(256)]
    lut = [0 if a < 51 else a for a in lut]
    alpha = grey.point(lut)
    inked = sum(alpha.point(lambda a: 255 if a else 0).histogram()[255:]) / (
        alpha.width * alpha.height
    )
    if inked > 0.3:  # a photo or a filled shape, not strokes on paper
        raise AppearanceError("appearance.not_strokes", percent=round(inked * 100))
    box = alpha.getbbox()
    if box is None:
        raise AppearanceError("appearance.no_ink")
    alpha = alpha.crop(box)
    covered = sum(alpha.point(lambda a: 255 if a > 127 else 0).histogram()[255:]) / (
        alpha.width * alpha.height
    )
    if covered > 0.6:  # a photo or a filled shape, not strokes on paper
        raise AppearanceError("appearance.not_strokes", percent=round(covered * 100))
    pad = max(2, round(max(alpha.size) * 0.03))
    if kind == "seal":  # the ink's diameter is the seal's real size; the margin is extra
        scale = _px(seal_mm) / max(alpha.size)
        alpha = ImageOps.expand(alpha, border=pad, fill=0)
        colour = SEAL_RED
    else:
        alpha = ImageOps.expand(alpha, border=pad, fill=0)
        w, h = (_px(x) for x in SIGNATURE_MM)
        scale = min(w / alpha.width, h / alpha.height)
        colour = INK_BLUE
    size = (max(1, round(alpha.width * scale)), max(1, round(alpha.height * scale)))
    alpha = alpha.resize(size, Image.Resampling.LANCZOS)
    out = Image.new("RGBA", size, (*colour, 0))
    out.putalpha(alpha)
    out.info["dpi"] = (DPI, DPI)
    return out


def _percentile(hist: list[int], q: float) -> int:
    total, run = sum(hist), 0
    for value, count in enumerate(hist):
        run += count
        if run >= total * q:
            return value
    return 255


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(DPI, DPI))
    return buf.getvalue()


def slug(name: str) -> str:
    """``Nguyễn Văn An`` → ``nguyen-van-an`` (the file name of a profile's image)."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if not out:
        raise AppearanceError("appearance.bad_name", name=name)
    return out


def profile_path(root: Path, name: str) -> Path:
    """Where the image of ``name`` (a person as in their certificate, or the seal's body)
    is kept under the data folder ``root``."""
    return root / FOLDER / f"{slug(name)}.png"


def import_image(
    source: Path, root: Path, name: str, *, kind: Kind = "signature", seal_mm: float = SEAL_MM
) -> Path:
    """Clean a scan or photo and keep it with ``name``'s profile; returns the stored PNG."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise AppearanceError("appearance.bad_image", detail=str(exc)) from exc
    img = clean_scan(data, kind=kind, seal_mm=seal_mm)
    path = profile_path(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(png_bytes(img))
    tmp.replace(path)
    return path


def load_image(path: Path) -> Image.Image:
    try:
        img = Image.open(path)
        img.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise AppearanceError("appearance.bad_image", detail=f"{path.name}: {exc}") from exc
    return img


# --- stamp styles for pyHanko --------------------------------------------------------------


def _pdf_image(img: Image.Image) -> PdfImage:
    w, h = size_mm(img)
    return PdfImage(img.convert("RGBA"), box=layout.BoxConstraints(w * MM, h * MM))


def person_style(img: Image.Image) -> StaticStampStyle:
    """The handwritten signature, centred in its field at its stored size (shrunk if larger)."""
    return StaticStampStyle(
        background=_pdf_image(img),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        border_width=0,
    )


UNITS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn")


def seal_text(organisation: str, when: str) -> str:
    """The organisation's name (on one line when it fits the seal's field in the stamp font
    at 10 pt, else broken before the administrative unit: "Hội đồng nhân dân / tỉnh Lâm
    Đồng") and the signing time."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(STAMP_FONT), SEAL_TEXT_PT)  # 1 px = 1 pt at this size
    room = SEAL_FIELD_MM * MM - 2 * DEFAULT_TEXT_BOX_MARGIN - 2
    name = " ".join(organisation.split())
    parts = [name]
    if font.getlength(name) > room:
        lower = name.lower()
        cut = min((i for u in UNITS if (i := lower.find(f" {u} ")) > 0), default=-1)
        parts = [name[:cut], name[cut + 1 :]] if cut > 0 else [name]
    lines: list[str] = []
    for part in parts:  # any part still too long: word by word
        start = len(lines)
        for word in part.split():
            if len(lines) > start and font.getlength(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
    return "\n".join([*lines, when])


def seal_style(img: Image.Image, organisation: str, when: str) -> TextStampStyle:
    """The seal at real size at the top of its field, centred; under it the organisation's
    name and the signing time in 10 pt."""
    return TextStampStyle(
        stamp_text=seal_text(organisation, when).replace("%", "%%"),
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(STAMP_FONT)),
            font_size=SEAL_TEXT_PT,
            leading=SEAL_TEXT_PT + 3,  # room for stacked Vietnamese diacritics (ồ, ỗ)
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        background=_pdf_image(img),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        border_width=0,
    )


def text_style(role: str) -> TextStampStyle:
    """The fallback without an image: role, signer and time in a framed box."""
    colour = (0.8, 0.0, 0.0) if role == "seal" else (0.0, 0.0, 0.55)  # red seal, blue ink
    return TextStampStyle(
        stamp_text="%(role)s\nKý bởi: %(who)s\nThời gian: %(when)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(STAMP_FONT)), font_size=8, text_color=colour
        ),
        border_width=1,
        border_color=colour,
    )


def stamp_style(
    role: str, image: Image.Image | None, *, organisation: str = "", when: str = ""
) -> Any:
    if image is None:
        return text_style(role)
    if role == "seal":
        return seal_style(image, organisation, when)
    return person_style(image)


# --- preview ------------------------------------------------------------------------------


def preview(img: Image.Image, *, kind: Kind = "signature", width_px: int = 600) -> Image.Image:
    """The image drawn by pyHanko into a field of the minutes' size on a blank page and
    rendered back with pdfium: exactly what the signed minutes will show."""
    import pypdfium2 as pdfium
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    w_mm = 70.0 if kind == "seal" else SIGNATURE_MM[0] + 10
    h_mm = (SEAL_MM + SEAL_TEXT_MM + 10) if kind == "seal" else SIGNATURE_MM[1] + 10
    writer = PdfFileWriter()
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Page"),
                generic.pdf_name("/MediaBox"): generic.ArrayObject(
                    [generic.FloatObject(v) for v in (0, 0, w_mm * MM, h_mm * MM)]
                ),
                generic.pdf_name("/Resources"): generic.DictionaryObject(),
                generic.pdf_name("/Contents"): writer.add_object(
                    generic.StreamObject(stream_data=b"")
                ),
            }
        )
    )
    if kind == "seal":
        style: Any = seal_style(img, "Tên cơ quan, tổ chức", "2026-01-05T09:30:00+07:00")
        box = layout.BoxConstraints((w_mm - 10) * MM, (SEAL_MM + SEAL_TEXT_MM) * MM)
    else:
        style = person_style(img)
        box = layout.BoxConstraints(SIGNATURE_MM[0] * MM, SIGNATURE_MM[1] * MM)
    stamp = style.create_stamp(writer, box, {})
    stamp.apply(0, round(5 * MM), round(5 * MM))
    out = io.BytesIO()
    writer.write(out)
    doc = pdfium.PdfDocument(out.getvalue())
    try:
        pg = doc[0]
        rendered = pg.render(scale=width_px / pg.get_width()).to_pil().convert("RGB")
    finally:
        doc.close()
    return rendered
