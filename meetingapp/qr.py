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
    detectors: list[Any] = [cv2.QRCodeDetector()]
    if hasattr(cv2, "QRCodeDetectorAruco"):  # finds some codes the classic detector misses
        detectors.append(cv2.QRCodeDetectorAruco())
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    # measured on clean generated codes: the classic detector alone misses ~1.5 %; a dim
    # photo of a printed card needs its contrast stretched. Try a few views before giving up.
    views = (
        lambda: gray,
        lambda: cv2.copyMakeBorder(gray, 40, 40, 40, 40, cv2.BORDER_CONSTANT, value=255),
        lambda: cv2.equalizeHist(gray),
        lambda: cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
        lambda: cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1],
    )
    for view in views:
        pixels = view()
        for detector in detectors:
            text, _points, _ = detector.detectAndDecode(pixels)
            if text:
                return str(text)
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
