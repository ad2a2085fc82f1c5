"""Demo artwork drawn here with Pillow (no third-party images): a "scan" of a handwritten
signature on slightly grey paper for each demo signer, and a "scan" of a round seal stamped in
red ink. Both go through the same import as a real scan (``appearance.clean_scan``)."""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from meetingapp.bundle import shipped


def _font(name: str) -> Path:
    """A Noto font: the bundle's copy when packaged, else the system's (fonts-noto-core)."""
    return shipped("fonts", name) or Path("/usr/share/fonts/truetype/noto") / name


def _paper(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Off-white paper with a little scanner noise and uneven light."""
    w, h = size
    img = Image.new("L", (w // 8, h // 8), 236)
    px = img.load()
    assert px is not None
    for y in range(img.height):
        for x in range(img.width):
            px[x, y] = 228 + round(10 * x / img.width) + rng.randint(-3, 3)
    return img.resize(size, Image.Resampling.BICUBIC).convert("RGB")


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def signature_scan(name: str, seed: int = 0) -> bytes:
    """A scanned signature (JPEG): the initials and family name in a slanted hand, a flourish."""
    rng = random.Random(f"{name}-{seed}")
    w, h = 1400, 560
    ink = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(ink)
    words = name.split()
    initials = "".join(word[0] for word in words[:-1])
    font = ImageFont.truetype(str(_font("NotoSerif-Italic.ttf")), 210)
    small = ImageFont.truetype(str(_font("NotoSerif-Italic.ttf")), 150)
    x = 120
    draw.text((x, 90), initials, font=font, fill=255)
    x += round(draw.textlength(initials, font=font)) + 20
    draw.text((x, 150), words[-1], font=small, fill=255)
    end = x + round(draw.textlength(words[-1], font=small))
    # the flourish: one stroke under the name, looping back
    phase_x, phase_y = rng.random() * 2, rng.random() * 2
    points = []
    for i in range(160):
        t = i / 159
        px = 100 + t * (end - 60) + 40 * math.sin(t * math.pi * 3 + phase_x)
        py = 420 - 90 * t * t + 35 * math.sin(t * math.pi * 2.2 + phase_y)
        points.append((px, py))
    draw.line(points, fill=255, width=14, joint="curve")
    ink = ink.transform(
        ink.size, Image.Transform.AFFINE, (1, 0.25, -70, 0, 1, 0), Image.Resampling.BICUBIC
    )
    ink = ink.filter(ImageFilter.GaussianBlur(1.2))
    paper = _paper((w, h), rng)
    pen = Image.new("RGB", (w, h), (25, 25, 40))
    return _jpeg(Image.composite(pen, paper, ink))


def seal_scan(body_name: str, seed: int = 0) -> bytes:
    """A round seal stamped in red ink (JPEG): two rings, the body's name around, a star."""
    rng = random.Random(f"{body_name}-{seed}")
    side = 1000
    c = side / 2
    ink = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(ink)
    for radius, width in ((470, 22), (340, 8)):
        draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=width)
    text = body_name.upper() + " • "
    font = ImageFont.truetype(str(_font("NotoSans-Bold.ttf")), 78)
    step = 360 / len(text)
    for i, ch in enumerate(text):
        angle = 125 + i * step  # from the lower left, clockwise
        glyph = Image.new("L", (120, 120), 0)
        ImageDraw.Draw(glyph).text((60, 60), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        r = 405
        gx = c + r * math.cos(math.radians(angle)) - 60
        gy = c + r * math.sin(math.radians(angle)) - 60
        ink.paste(255, (round(gx), round(gy)), glyph)
    star = [
        (
            c + (200 if k % 2 == 0 else 80) * math.cos(math.radians(-90 + k * 36)),
            c + (200 if k % 2 == 0 else 80) * math.sin(math.radians(-90 + k * 36)),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    # stamped ink is uneven: thin it out a little at random
    speckle = Image.effect_noise((side, side), 60).point(lambda v: 255 if v > 70 else 140)
    ink = Image.composite(ink, Image.new("L", ink.size, 0), speckle.convert("L"))
    ink = ink.filter(ImageFilter.GaussianBlur(1.5))
    paper = _paper((side + 200, side + 200), rng)
    red = Image.new("RGB", paper.size, (200, 30, 40))
    mask = Image.new("L", paper.size, 0)
    mask.paste(ink, (100, 100))
    return _jpeg(Image.composite(red, paper, mask))
