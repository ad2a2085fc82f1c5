"""Pairing QR codes: read one from a camera frame or an image file (OpenCV's QRCodeDetector),
make one as an image (qrcode). Qt-free: the app hands camera frames in as arrays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def decode(image: bytes | Path | Any) -> str | None:
    """The text of the first QR code in ``image`` (file path, encoded bytes, or a BGR/gray
    array), or None when there is none."""
    import cv2

    if isinstance(image, Path):
        image = image.read_bytes()
    if isinstance(image, bytes | bytearray):
        image = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            return None
    detector = cv2.QRCodeDetector()
    text, points, _ = detector.detectAndDecode(image)
    if text:
        return str(text)
    if image.ndim == 3:  # a dim photo of a printed sheet: try again on a contrast-stretched copy
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        text, _, _ = detector.detectAndDecode(cv2.equalizeHist(gray))
        return str(text) if text else None
    return None


def image(text: str, *, box_size: int = 8, border: int = 4) -> Any:
    """A PIL image of the QR code for ``text`` (error correction M: survives a crease)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def png(text: str, **kw: Any) -> bytes:
    import io

    buf = io.BytesIO()
    image(text, **kw).save(buf, "PNG")
    return buf.getvalue()
