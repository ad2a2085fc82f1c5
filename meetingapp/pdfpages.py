"""PDF pages as images for every preview (clerk's console, tablets, display), drawn with
pdfium *including the signature appearances*: pdfium draws a signed field's appearance (the
blue signature, the red seal, a text stamp) only when the document's form environment is
initialised (``init_forms``) and the page is rendered with ``may_draw_forms``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image


def render_page(pdf: Path | bytes, index: int, width: int) -> Image.Image:
    """Page ``index`` (0-based) as an RGB image ``width`` pixels wide, signatures drawn."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        doc.init_forms()  # before any page is loaded, or the form layer is not drawn
        page = doc[index]
        scale = width / page.get_width()
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
