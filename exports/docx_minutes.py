"""Minutes → DOCX with python-docx, the single source of the layout (specs/minutes.md §2–3).

A4; margins 20/20/30/20 mm; Times New Roman 14 pt everywhere (Liberation Serif renders it on
Linux); justified body with a 1.27 cm first-line indent and 6 pt after each paragraph; page
numbers centred in the top margin from page 2; the Decree 30 header table with short rules
drawn as paragraph borders; the THƯ KÝ / CHỦ TỌA signature table; annexes after a page break.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from exports import labels as L
from exports.model import DocumentRef, MinutesModel, MotionEntry
from exports.records import speech_parts
from meetingapp.domain import BallotForm, Choice

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH = Mm(160)  # 210 - 30 - 20


# --- dates ----------------------------------------------------------------------------------


def vn_date(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def vn_time(iso: str) -> str:
    d = datetime.fromisoformat(iso)
    return f"{d.hour:02d} giờ {d.minute:02d} phút"


def number_text(number: int | None) -> str:
    """``05`` for numbers below 10; dots to be filled in by hand on a draft."""
    return "…" if number is None else f"{number:02d}"


# --- low-level formatting -------------------------------------------------------------------


def _set_fonts(rpr_parent: Any) -> None:
    """Set Times New Roman for every script of a run or style."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _fix_fonts(fonts)


def _fix_fonts(fonts: Any) -> None:
    """Drop theme fonts (they override names) and name Times New Roman for every script."""
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _prepare(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.header_distance = Mm(10)
    # Theme fonts in the template's defaults and styles override font names: replace them all.
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        _fix_fonts(fonts)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is None:
            rpr.insert(0, OxmlElement("w:rFonts"))
            _fix_fonts(rpr.find(qn("w:rFonts")))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(6), 1.0
    _page_numbers(section)


def _page_numbers(section: Section) -> None:
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    run.font.size = Pt(BODY_PT)


def _para(
    container: Any,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: int = BODY_PT,
    align: str = "justify",
    indent: bool = True,
    after: int = 6,
    before: int = 0,
) -> Paragraph:
    para: Paragraph = container.add_paragraph()
    para.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    pf = para.paragraph_format
    pf.first_line_indent = Cm(1.27) if indent and align == "justify" else Cm(0)
    pf.space_after, pf.space_before = Pt(after), Pt(before)
    if text:
        _run(para, text, bold=bold, italic=italic, size=size)
    return para


def _run(
    para: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: int = BODY_PT
) -> None:
    run = para.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    _set_fonts(run._r)


def _rule(container: object, width_cm: float, cell_width: Mm) -> None:
    """A short centred rule: an empty paragraph whose bottom border is narrowed by indents."""
    para = _para(container, align="center", indent=False, after=4)
    side = max(0.0, (cell_width.cm - width_cm) / 2)
    para.paragraph_format.left_indent = Cm(side)
    para.paragraph_format.right_indent = Cm(side)
    para.paragraph_format.line_spacing = Pt(4)
    para.paragraph_format.space_before = Pt(0)
    ppr = para._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, val in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), val)
    border.append(bottom)
    ppr.append(border)


def _fixed_table(doc: DocxDocument, widths: list[Mm], rows: int = 1) -> Table:
    """A borderless table whose column widths LibreOffice respects (fixed layout + grid)."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for i, width in enumerate(widths):
        table.columns[i].width = width
        for cell in table.columns[i].cells:
            cell.width = width
    return table


def _cell_paragraph(cell: object, text: str, **kw: object) -> Paragraph:
    para: Paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    if para.text or para.runs:
        para = cell.add_paragraph()  # type: ignore[attr-defined]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Cm(0)
    para.paragraph_format.space_after = Pt(kw.pop("after", 0))  # type: ignore[arg-type]
    if text:
        _run(para, text, **kw)  # type: ignore[arg-type]
    return para


# --- the document ---------------------------------------------------------------------------


def render_docx(model: MinutesModel, path: Path, *, annex_lang: str = "vi") -> Path:
    doc = Document()
    _prepare(doc)
    _header(doc, model)
    _opening(doc, model)
    _sections(doc, model)
    _closing(doc, model)
    _signatures(doc, model)
    _recipients(doc, model)
    _annexes(doc, model, L.ANNEX.get(annex_lang, L.ANNEX["vi"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _header(doc: DocxDocument, m: MinutesModel) -> None:
    left_w, right_w = Mm(62), Mm(108)  # a little wider than the text: the motto fits on one line
    table = _fixed_table(doc, [left_w, right_w])
    left, right = table.rows[0].cells
    for line in m.issuer_lines:
        _cell_paragraph(left, line, bold=True, size=13)
    _rule(left, 2.0, left_w)
    _cell_paragraph(left, f"Số: {number_text(m.number)}/{L.SYMBOL[m.body_kind]}", size=13)
    _cell_paragraph(right, L.MOTTO_1, bold=True, size=12)
    _cell_paragraph(right, L.MOTTO_2, bold=True, size=14)
    _rule(right, 5.9, right_w)  # as long as the motto's second line
    if m.place_date:
        _cell_paragraph(right, m.place_date, italic=True, size=14)
    _para(doc, "", after=6)
    _para(doc, L.TITLE, bold=True, align="center", indent=False, after=0, before=6)
    _para(doc, m.summary, bold=True, align="center", indent=False, after=2)
    _rule(doc, 4.0, Mm(160))
    _para(doc, "", after=0)


def _opening(doc: DocxDocument, m: MinutesModel) -> None:
    start = f"Thời gian bắt đầu: {vn_time(m.started_at)}, {vn_date(m.started_at)}."
    _para(doc, start)
    _para(doc, f"Địa điểm: {m.place or '…'}.")
    _para(doc, "Thành phần tham dự:", bold=True)
    absent = m.total - m.present
    reasons = "; ".join(f"{name} ({why})" for name, why in m.absent_with_reason) or "không"
    without = ", ".join(m.absent_without_reason) or "không"
    _para(
        doc,
        f"{L.MEMBERS[m.body_kind]} có mặt: {m.present}/{m.total}; vắng mặt: {absent} "
        f"(có lý do: {reasons}; không có lý do: {without}).",
    )
    quorum = (
        "Số đại biểu có mặt bảo đảm điều kiện tiến hành kỳ họp theo quy định."
        if m.quorum_met
        else "Số đại biểu có mặt chưa bảo đảm điều kiện tiến hành kỳ họp theo quy định."
    )
    _para(doc, quorum)
    if m.late_arrivals:
        late = "; ".join(f"{name} ({vn_time(at)})" for name, at in m.late_arrivals)
        _para(doc, f"Đến muộn: {late}.")
    if m.early_departures:
        left = "; ".join(
            f"{name} ({vn_time(at)}{', lý do: ' + why if why else ''})"
            for name, at, why in m.early_departures
        )
        _para(doc, f"Về sớm: {left}.")
    if m.guests:
        _para(doc, "Khách mời: " + "; ".join(m.guests) + ".")
    chairs = "; ".join(_person(p) for p in m.chairs) or "…"
    _para(doc, f"Chủ trì (chủ tọa): {chairs}.")
    secretary = _person(m.secretary) if m.secretary else "…"
    _para(doc, f"Thư ký (người ghi biên bản): {secretary}.")
    _para(doc, "Nội dung (theo diễn biến kỳ họp):", bold=True)


def _person(p: object) -> str:
    name, title = getattr(p, "name", ""), getattr(p, "title", "")
    honorific = getattr(p, "honorific", "") or L.HONORIFIC_NEUTRAL
    return f"{honorific} {name}" + (f", {title}" if title else "")


def _sections(doc: DocxDocument, m: MinutesModel) -> None:
    heads = L.SECTIONS[m.body_kind]
    _para(doc, heads[0], bold=True, indent=False)
    chairs = m.chairs[0].name if m.chairs else "Chủ tọa"
    _para(doc, f"{chairs} tuyên bố khai mạc; thông báo số đại biểu có mặt {m.present}/{m.total}.")
    _para(doc, heads[1], bold=True, indent=False)
    for item in m.items:
        _para(doc, f"{item.order}. {item.title}.")
    _para(doc, heads[2], bold=True, indent=False)
    for item in m.items:
        docs = "; ".join(_doc_ref(d) for d in item.documents)
        line = f"{item.presenter or 'Đại diện cơ quan trình'} trình bày {item.title}"
        _para(doc, line + (f" ({docs})." if docs else "."))
    _para(doc, heads[3], bold=True, indent=False)
    if not m.speeches:
        _para(doc, "Không có ý kiến phát biểu.")
    for sp in m.speeches:
        for who, text in speech_parts(sp):  # the chair's interjection under the chair's name
            _para(doc, f"{who}: {summarise(text)}")
    _para(doc, heads[4], bold=True, indent=False)
    if not m.motions:
        _para(doc, "Không có nội dung biểu quyết.")
    for i, motion in enumerate(m.motions, start=1):
        _motion(doc, i, motion)
        if motion.resolution:
            _para(doc, f"Thông qua {L.RESOLUTION.format(number=motion.resolution)}.", bold=True)
    _para(doc, heads[5], bold=True, indent=False)
    _para(doc, f"{chairs} phát biểu bế mạc kỳ họp.")


def _doc_ref(d: DocumentRef) -> str:
    head = " ".join(
        x for x in (d.doc_type, f"số {d.number_symbol}" if d.number_symbol else "") if x
    )
    return f"{head}: {d.title}" if head else d.title


def summarise(text: str, limit: int = 400) -> str:
    """The paragraph of a speech in the minutes: its first sentences; the annex has it all."""
    text = " ".join(text.split())
    if not text:
        return L.NO_TRANSCRIPT
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return (cut[: end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0]) + " …"


def _motion(doc: DocxDocument, i: int, motion: MotionEntry) -> None:
    _para(doc, f"{i}. {motion.title} (hình thức: {L.FORMS[motion.form]}).")
    if motion.secret:
        s = motion.secret
        _para(
            doc,
            f"Số phiếu phát ra: {s.issued}; số phiếu thu vào: {s.returned}; "
            f"phiếu hợp lệ: {s.valid}; phiếu không hợp lệ: {s.invalid}.",
        )
    r = motion.result  # "Không biểu quyết" counts only those who chose it, never non-voters
    for label, share in (
        (L.TOOK_PART, r.took_part),
        *((L.CHOICES[c], r.share(c)) for c in Choice),
    ):
        _para(
            doc,
            f"{label}: {share.fraction} đại biểu, chiếm {share.percent} tổng số đại biểu.",
        )
    verdict = L.PASSED if r.passed else L.FAILED
    _para(doc, f"Kết quả: {verdict} (yêu cầu: {motion.rule_label.lower()}).", bold=True)


def _closing(doc: DocxDocument, m: MinutesModel) -> None:
    if not m.ended_at:  # drafted during the session: no closing time to state yet
        _para(doc, L.STILL_OPEN[m.body_kind], italic=True)
        return
    _para(doc, f"{L.ENDED[m.body_kind]} vào hồi {vn_time(m.ended_at)}, {vn_date(m.ended_at)}./.")


def _signatures(doc: DocxDocument, m: MinutesModel) -> None:
    _para(doc, "", after=0)
    table = _fixed_table(doc, [Mm(80), Mm(80)], rows=1)
    left, right = table.rows[0].cells
    _cell_paragraph(left, L.SECRETARY, bold=True)
    _cell_paragraph(right, L.CHAIR, bold=True)
    for cell in (left, right):  # 2.5 cm for the signature and the seal
        spacer = _cell_paragraph(cell, "")
        spacer.paragraph_format.space_after = Cm(2.5)
    _cell_paragraph(left, m.secretary.name if m.secretary else "", bold=True)
    _cell_paragraph(right, m.chairs[0].name if m.chairs else "", bold=True)


def _recipients(doc: DocxDocument, m: MinutesModel) -> None:
    para = _para(
        doc,
        L.RECIPIENTS,
        bold=True,
        italic=True,
        size=12,
        align="left",
        indent=False,
        after=0,
        before=12,
    )
    para.paragraph_format.keep_with_next = True
    entries = list(m.recipients) or ["- Thường trực HĐND;", "- Các đại biểu;"]
    symbol = L.SYMBOL[m.body_kind].split("-")[-1]
    if not entries[-1].startswith("- Lưu"):
        entries.append(f"- Lưu: VT, {symbol}.")
    for line in entries:
        _para(doc, line, size=11, align="left", indent=False, after=0)


def _annexes(doc: DocxDocument, m: MinutesModel, t: dict[str, str]) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, t["transcripts"], bold=True, align="center", indent=False)
    if any(sp.edited for sp in m.speeches):
        _para(doc, t["edited_note"], italic=True, size=12)
    for sp in m.speeches:
        when = datetime.fromisoformat(sp.started_at).strftime("%H:%M") if sp.started_at else ""
        head = f"Đại biểu {sp.speaker.name}" + (f" ({sp.speaker.unit})" if sp.speaker.unit else "")
        _para(doc, f"{head} — {sp.item_title} — {when}", bold=True, indent=False)
        if sp.parts:
            for who, text in speech_parts(sp):
                _para(doc, f"{who}: {text}")
            if sp.edited:
                _para(doc, L.EDITED_MARK)
        else:
            text = sp.text or L.NO_TRANSCRIPT
            _para(doc, text + (f" {L.EDITED_MARK}" if sp.edited else ""))
    _para(doc, t["attendance"], bold=True, align="center", indent=False, before=12)
    rows = [
        (t["col_no"], t["col_name"], t["col_unit"], t["col_method"], t["col_time"], t["col_note"])
    ]
    for n, a in enumerate(m.attendance, start=1):
        when = datetime.fromisoformat(a.at).strftime("%H:%M") if a.at else ""
        method = L.METHODS.get(a.method, a.method) if a.present else t["absent"]
        rows.append((str(n), a.person.name, a.person.unit, method, when, a.reason))
    _grid(doc, rows, [Mm(10), Mm(45), Mm(30), Mm(25), Mm(17), Mm(33)])
    _para(doc, t["tallies"], bold=True, align="center", indent=False, before=12)
    for i, motion in enumerate(m.motions, start=1):
        number = f" ({L.RESOLUTION.format(number=motion.resolution)})" if motion.resolution else ""
        _para(doc, f"{i}. {motion.title}{number}", bold=True, indent=False)
        r = motion.result
        if motion.form is BallotForm.SECRET or motion.named is None:
            counts = "; ".join(f"{L.CHOICES[c]}: {r.share(c).count}" for c in Choice)
            _para(
                doc,
                f"{t['secret_only_totals']} {counts}; {L.TOOK_PART}: {r.took_part.fraction}.",
                size=12,
            )
            continue
        for choice in Choice:
            names = motion.named.get(choice, ())
            _para(doc, f"{L.CHOICES[choice]} ({len(names)}): " + (", ".join(names) or "—"), size=12)
        absent = [d.full_name for d in r.non_voters]  # listed apart: they did not abstain
        _para(doc, f"{L.NOT_TAKING_PART} ({len(absent)}): " + (", ".join(absent) or "—"), size=12)
    _para(doc, t["log"], bold=True, align="center", indent=False, before=12)
    _para(doc, t["log_note"], size=12)
    _para(doc, m.log_hash, size=11, align="left", indent=False)


def _grid(doc: DocxDocument, rows: Sequence[tuple[str, ...]], widths: list[Mm]) -> None:
    table = _fixed_table(doc, widths, rows=len(rows))
    table.style = doc.styles["Table Grid"]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            para = _cell_paragraph(table.rows[r].cells[c], value, size=12, bold=r == 0)
            left = c in (1, 2, 5)
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
