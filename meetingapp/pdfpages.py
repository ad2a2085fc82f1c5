"""PDF pages as images for every preview (clerk's console, tablets, display), drawn with
pdfium *including the signature appearances*: pdfium draws a signed field's appearance (the
blue signature, the red seal, a text stamp) only when the document's form environment is
initialised (``init_forms``) and the page is rendered with ``may_draw_forms``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

MAX_SIDE = 16_383  # pixels: the largest side WebP (and most decoders) take


def render_page(
    pdf: Path | bytes, index: int, width: int, *, max_pixels: int | None = None
) -> Image.Image:
    """Page ``index`` (0-based) as an RGB image ``width`` pixels wide, signatures drawn.

    ``max_pixels`` bounds the image for a PDF nobody vouches for: a page 3 pt wide and
    14,400 pt tall (legal PDF) fitted to 1920 px would need 9 million rows (tens of GB); such a
    page is drawn narrower instead, within ``max_pixels`` and 16,383 px a side (WebP's limit)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        doc.init_forms()  # before any page is loaded, or the form layer is not drawn
        page = doc[index]
        w, h = max(page.get_width(), 1.0), max(page.get_height(), 1.0)
        scale = width / w
        if max_pixels is not None:
            scale = min(scale, (max_pixels / (w * h)) ** 0.5, MAX_SIDE / max(w, h))
        return page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
    finally:
        doc.close()


def page_count(pdf: Path | bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()
