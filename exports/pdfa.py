"""The checks of PDF/A-2b (ISO 19005-2, level B) that can be made here without veraPDF (which is
neither on PyPI nor in Debian): the XMP identification, the output intent, no encryption,
every font embedded (page content, form XObjects and annotation appearances, including those
added by signing), every annotation printable with an appearance. What is NOT checked: the
full XMP schema validation, colour spaces of every content stream operator, font program
internals (widths, cmaps), the structure of the file at the byte level (e.g. the header's
comment, EOL rules), and the other ~100 rules of the standard's validation profile."""

from __future__ import annotations

import io
import re
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

PRINT, HIDDEN, INVISIBLE, NOVIEW = 4, 2, 1, 32


def pdfa_findings(data: bytes) -> list[str]:
    """Every PDF/A-2b problem found by the checks above (empty: none found)."""
    reader = PdfFileReader(io.BytesIO(data))
    found: list[str] = []
    if "/Encrypt" in reader.trailer:
        found.append("encrypted")
    root = reader.root
    xmp = _xmp(root)
    if not re.search(r"pdfaid:part(>|=\")2", xmp):
        found.append("XMP: no pdfaid:part 2")
    if not re.search(r"pdfaid:conformance(>|=\")B", xmp):
        found.append("XMP: no pdfaid:conformance B")
    intents = _dict(root.get("/OutputIntents")) or []
    gts = [
        i
        for i in (intents or [])
        if i.get_object().get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i.get_object()
    ]
    if not gts:
        found.append("no GTS_PDFA1 output intent with an ICC profile")
    seen: set[int] = set()
    for number, page in enumerate(_pages(root["/Pages"].get_object())):
        _resources(page.get("/Resources"), f"page {number + 1}", found, seen)
        for annot in page.get("/Annots") or []:
            _annotation(annot.get_object(), number + 1, found, seen)
    return found


def _pages(node: Any) -> list[Any]:
    if node.get("/Type") == "/Page":
        return [node]
    return [p for kid in node.get("/Kids") or [] for p in _pages(kid.get_object())]


def _xmp(root: Any) -> str:
    meta = root.get("/Metadata")
    if meta is None:
        return ""
    return bytes(meta.get_object().data).decode("utf-8", "replace")


def _annotation(annot: Any, page: int, found: list[str], seen: set[int]) -> None:
    name = annot.get("/T", annot.get("/Subtype", "?"))
    flags = int(annot.get("/F", 0))
    rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
    if rect[2] - rect[0] == 0 or rect[3] - rect[1] == 0:
        return  # invisible signatures: no appearance needed
    if not flags & PRINT or flags & (HIDDEN | INVISIBLE | NOVIEW):
        found.append(f"page {page}: annotation {name} not printable (/F {flags})")
    ap = annot.get("/AP")
    if ap is None or "/N" not in ap:
        found.append(f"page {page}: annotation {name} has no appearance")
        return
    normal = ap["/N"].get_object()
    streams = (
        normal.values()
        if isinstance(normal, generic.DictionaryObject) and ("/Subtype" not in normal)
        else [normal]
    )
    for stream in streams:
        stream = stream.get_object()
        _resources(stream.get("/Resources"), f"page {page} annotation {name}", found, seen)


def _resources(res: Any, where: str, found: list[str], seen: set[int]) -> None:
    if res is None:
        return
    res = res.get_object()
    for font in _dict(res.get("/Font")).values():
        _font(font, where, found, seen)
    for xobj in _dict(res.get("/XObject")).values():
        ref = getattr(xobj, "idnum", None)
        if ref is not None:
            if ref in seen:
                continue
            seen.add(ref)
        obj = xobj.get_object()
        if obj.get("/Subtype") == "/Form":
            _resources(obj.get("/Resources"), where, found, seen)


def _dict(value: Any) -> Any:
    return value.get_object() if value is not None else {}


def _font(font: Any, where: str, found: list[str], seen: set[int]) -> None:
    ref = getattr(font, "idnum", None)
    if ref is not None:
        if ref in seen:
            return
        seen.add(ref)
    font = font.get_object()
    base = str(font.get("/BaseFont", "?"))
    if font.get("/Subtype") == "/Type0":
        for desc in font.get("/DescendantFonts") or []:
            _font(desc, where, found, seen)
        return
    if font.get("/Subtype") == "/Type3":
        return  # glyphs are content streams
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        found.append(f"{where}: font {base} not embedded")
