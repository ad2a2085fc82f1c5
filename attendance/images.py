"""Reading photos and frames: format by content, EXIF orientation, aspect-preserving scaling."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from attendance.errors import FaceError

MAX_SIDE = 1600  # full-resolution work (encoding) never needs more
MAX_PIXELS = 40_000_000  # checked from the header, before decoding (decompression bombs)
FORMATS = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


def sniff(data: bytes) -> str:
    """The image format from the file's first bytes (the name may lie: a WebP called .jpg)."""
    for magic, name in FORMATS.items():
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    raise FaceError("face.format")


def load_rgb(data: bytes, *, max_side: int = MAX_SIDE) -> np.ndarray:
    """Decode a JPEG, PNG or WebP, apply its EXIF orientation, convert to RGB, and shrink it
    (keeping the aspect ratio: stretching distorts face encodings) to at most ``max_side``."""
    fmt = sniff(data)
    # face_recognition switches on Pillow's "load truncated images" when imported; a damaged
    # upload must be refused, not turned into grey pixels.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as opened:
            pixels = opened.width * opened.height  # from the header: nothing decoded yet
            if pixels > MAX_PIXELS:
                raise FaceError("face.too_large", limit=f"{MAX_PIXELS:,}")
            img = ImageOps.exif_transpose(opened).convert("RGB")
            if max(img.size) > max_side:
                scale = max_side / max(img.size)
                size = (round(img.width * scale), round(img.height * scale))
                img = img.resize(size, Image.Resampling.LANCZOS)
            return np.asarray(img, dtype=np.uint8).copy()
    except Image.DecompressionBombError as exc:  # Pillow's own check, at open
        raise FaceError("face.too_large", limit=f"{MAX_PIXELS:,}") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise FaceError("face.unreadable", detail=str(exc)) from exc


def downscale(img: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """A smaller copy for detection, and the factor that maps its coordinates back."""
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return img, 1.0
    scale = max_side / max(h, w)
    small = Image.fromarray(img).resize(
        (round(w * scale), round(h * scale)), Image.Resampling.BILINEAR
    )
    return np.asarray(small), 1 / scale
