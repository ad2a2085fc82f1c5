"""The printed pairing sheet: one card per delegate with a QR code (the host's addresses, the
CA fingerprint and that delegate's one-time code), the code in letters and digits
(XXXXX-XXXXX), the delegate's name and seat, and when the codes expire. Cut the A4 pages along
the lines and lay a card on each seat; the tablet scans it and is paired as that delegate.

Drawn with Pillow (Noto Sans for Vietnamese) at 150 dpi, saved as a multi-page PDF. Qt-free."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

from meetingapp import qr
from meetingapp.atomic import atomic_write

if TYPE_CHECKING:
    from meetingapp.client import HostClient

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
COLS, ROWS = 2, 3
MARGIN = 60
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"))


@dataclass(frozen=True)
class Card:
    name: str
    detail: str  # seat, unit
    code: str
    uri: str


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    names = ["NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"] if bold else []
    names += ["NotoSans-Regular.ttf", "DejaVuSans.ttf"]
    for folder in FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _fit(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    width: int,
) -> str:
    while text and draw.textlength(text, font=font) > width:
        text = text[:-2] + "…"
    return text


def render(cards: Sequence[Card], *, heading: str, footer: str) -> bytes:
    """The sheet as PDF bytes (six cards to an A4 page)."""
    per_page = COLS * ROWS
    cell_w = (PAGE[0] - 2 * MARGIN) // COLS
    cell_h = (PAGE[1] - 2 * MARGIN - 60) // ROWS
    big, mid, small = _font(34, bold=True), _font(26), _font(20)
    pages: list[Image.Image] = []
    for start in range(0, max(len(cards), 1), per_page):
        page = Image.new("RGB", PAGE, "white")
        draw = ImageDraw.Draw(page)
        draw.text((MARGIN, 24), _fit(draw, heading, mid, PAGE[0] - 2 * MARGIN), "black", mid)
        for i, card in enumerate(cards[start : start + per_page]):
            x = MARGIN + (i % COLS) * cell_w
            y = MARGIN + 40 + (i // COLS) * cell_h
            draw.rectangle([x, y, x + cell_w, y + cell_h], outline=(150, 150, 150), width=2)
            draw.text((x + 20, y + 16), _fit(draw, card.name, big, cell_w - 40), "black", big)
            draw.text((x + 20, y + 60), _fit(draw, card.detail, small, cell_w - 40), "black", small)
            # whole pixels per module (a resized code blurs its modules and fails to scan)
            room = min(cell_h - 170, cell_w - 40)
            modules = qr.image(card.uri, box_size=1, border=4).width
            code_img = qr.image(card.uri, box_size=max(1, room // modules), border=4)
            side = code_img.width
            page.paste(code_img, (x + (cell_w - side) // 2, y + 95 + (room - side) // 2))
            digits = card.code  # as the host formats it (XXXXX-XXXXX)
            tw = draw.textlength(digits, font=big)
            draw.text((x + (cell_w - tw) / 2, y + cell_h - 64), digits, "black", big)
        draw.text(
            (MARGIN, PAGE[1] - 50), _fit(draw, footer, small, PAGE[0] - 2 * MARGIN), "black", small
        )
        pages.append(page)
    # black and white, stored losslessly (CCITT G4): Pillow stores colour and grey pages as
    # JPEG, whose ringing round the modules made one card in twelve unreadable
    pages = [pg.convert("L").point(lambda v: 255 if v > 160 else 0, mode="1") for pg in pages]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return buf.getvalue()


def write(path: Path, cards: Sequence[Card], *, heading: str, footer: str) -> Path:
    atomic_write(path, render(cards, heading=heading, footer=footer))
    return path


async def make_sheet(
    client: HostClient,
    path: Path,
    *,
    ttl_min: int = 180,
    delegate_ids: list[str] | None = None,
    lang: str = "vi",
) -> dict[str, Any]:
    """Ask the host for one code per delegate and print them (the secretary's console or
    ``meetingapp pairing-sheet``); returns the host's answer (body, cards)."""
    import asyncio
    import datetime as dt

    sheet = await client.post(
        "/api/pairing-sheet", {"ttl_min": ttl_min, "delegate_ids": delegate_ids}
    )
    cards = [Card(c["name"], c["detail"], c["code"], c["qr"]) for c in sheet["cards"]]
    until = (dt.datetime.now() + dt.timedelta(minutes=ttl_min)).strftime("%H:%M %d/%m/%Y")
    if lang == "en":
        heading = f"{sheet['body']} — tablet pairing sheet"
        footer = f"Scan the card's code on the delegate's tablet. Codes valid until {until}, once."
    else:
        heading = f"{sheet['body']} — phiếu ghép máy tính bảng"
        footer = f"Quét mã trên thẻ bằng máy tính bảng của đại biểu. Mã dùng một lần, hạn {until}."
    await asyncio.to_thread(write, path, cards, heading=heading, footer=footer)
    return sheet
