"""Roster import from CSV and XLSX: good files load, bad ones name every problem and load
nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from meetingapp.domain import BodyKind
from meetingapp.errors import RosterImportError
from meetingapp.pins import verify_pin
from meetingapp.roster import import_roster
from meetingapp.session import SessionMachine
from meetingapp.store import open_db


@pytest.fixture
def machine(tmp_path: Path) -> tuple[SessionMachine, str]:
    m = SessionMachine(open_db(tmp_path / "r.db"))
    return m, m.create_body(kind=BodyKind.HDND, name="HĐND huyện Thử", total_seats=40)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_csv_with_vietnamese_headers_and_semicolons(tmp_path: Path, machine) -> None:  # type: ignore[no-untyped-def]
    m, body = machine
    f = write(
        tmp_path / "ds.csv",
        "Mã;Họ và tên;Chức vụ;Đơn vị;Ghế;PIN\n"
        "A1;Nguyễn Thị Ánh Tuyết;Phó Chủ tịch;Tổ 1;12;0427\n"
        "\n"
        "A2;Trần Văn Đông;Đại biểu;Tổ 2;13;\n",
        encoding="utf-8-sig",
    )
    ids = import_roster(m, body, f)
    assert ids == ["A1", "A2"]
    a1 = m.world.delegates["A1"]
    assert (a1.full_name, a1.title, a1.unit, a1.seat) == (
        "Nguyễn Thị Ánh Tuyết",
        "Phó Chủ tịch",
        "Tổ 1",
        "12",
    )
    assert verify_pin("0427", a1.pin_hash) and not verify_pin("0428", a1.pin_hash)
    assert "0427" not in str(list(m.db.execute("SELECT payload FROM events")))
    assert m.world.delegates["A2"].pin_hash == ""


def test_xlsx_with_english_headers(tmp_path: Path, machine) -> None:  # type: ignore[no-untyped-def]
    m, body = machine
    wb = Workbook()
    ws = wb.active
    ws.append(["Full name", "Title", "Unit", "Seat", "PIN"])
    ws.append(["Lê Thị Hồng Nhung", "Đại biểu", "Tổ 3", 7, 123456])
    ws.append(["Phạm Quang Vinh", "Đại biểu", "Tổ 3", 8, None])
    wb.save(tmp_path / "ds.xlsx")
    ids = import_roster(m, body, tmp_path / "ds.xlsx")
    names = sorted(m.world.delegates[i].full_name for i in ids)
    assert names == ["Lê Thị Hồng Nhung", "Phạm Quang Vinh"]
    nhung = next(d for d in m.world.delegates.values() if d.full_name.startswith("Lê"))
    assert nhung.seat == "7" and verify_pin("123456", nhung.pin_hash)


def test_every_bad_row_is_named_and_nothing_is_imported(tmp_path: Path, machine) -> None:  # type: ignore[no-untyped-def]
    m, body = machine
    before = m.db.execute("SELECT count(*) FROM events").fetchone()[0]
    f = write(
        tmp_path / "ds.csv",
        "Mã,Họ và tên,Chức vụ,PIN\n"
        "B1,Hoàng Văn Nam,Đại biểu,1234\n"
        "B2,,Đại biểu,\n"
        "B3,Vũ Thị Mai,Đại biểu,12a4\n"
        "B1,Đinh Công Tráng,Đại biểu,\n",
    )
    with pytest.raises(RosterImportError) as info:
        import_roster(m, body, f)
    rows = [(r.line, r.field, r.detail_key) for r in info.value.rows]
    assert rows == [
        (3, "họ và tên", "roster.required"),
        (4, "pin", "roster.pin_format"),
        (5, "mã", "roster.duplicate"),
    ]
    vi = info.value.message("vi")
    assert "Dòng 3, cột “họ và tên”: bắt buộc phải có" in vi
    assert "Dòng 5, cột “mã”: trùng với dòng 2" in vi
    assert "Line 4, column “pin”: the PIN must be 4–8 digits" in info.value.message("en")
    assert m.db.execute("SELECT count(*) FROM events").fetchone()[0] == before
    assert m.world.roster(body) == []


def test_ids_already_on_the_roster_are_refused(tmp_path: Path, machine) -> None:  # type: ignore[no-untyped-def]
    m, body = machine
    f = write(tmp_path / "ds.csv", "Mã,Họ và tên\nC1,Mạc Thị Bưởi\n")
    import_roster(m, body, f)
    with pytest.raises(RosterImportError) as info:
        import_roster(m, body, f)
    assert [(r.line, r.detail_key) for r in info.value.rows] == [(2, "roster.exists")]


@pytest.mark.parametrize(
    ("name", "content", "key"),
    [
        ("garbage.csv", b"\xff\xfe\x00\x01\x9c binary \x00", "roster.unreadable"),
        ("broken.xlsx", b"PK\x03\x04 this is not a real workbook", "roster.unreadable"),
        ("list.txt", b"Ho va ten\nA\n", "roster.unsupported"),
        ("empty.csv", b"", "roster.empty"),
        ("header-only.csv", "Họ và tên\n".encode(), "roster.empty"),
        (
            "no-name-column.csv",
            "Chức vụ,Đơn vị\nĐại biểu,Tổ 1\n".encode(),
            "roster.missing_columns",
        ),
    ],
)
def test_unreadable_files_get_a_clear_error(
    tmp_path: Path,
    machine,
    name: str,
    content: bytes,  # type: ignore[no-untyped-def]
    key: str,
) -> None:
    m, body = machine
    (tmp_path / name).write_bytes(content)
    with pytest.raises(RosterImportError) as info:
        import_roster(m, body, tmp_path / name)
    assert info.value.rows[0].detail_key == key
    assert m.world.roster(body) == []


def test_cli_import_roster_reports_line_numbers(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run = [sys.executable, "-m", "meetingapp"]
    made = subprocess.run(
        [*run, "init", str(db), "--name", "HĐND xã A", "--seats", "9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    bad = write(tmp_path / "bad.csv", "Họ và tên,PIN\nNguyễn Văn A,99\n")
    result = subprocess.run(
        [*run, "import-roster", str(db), str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Dòng 2, cột “pin”" in result.stderr
    good = write(tmp_path / "good.csv", "Họ và tên,PIN\nNguyễn Văn A,9999\n")
    result = subprocess.run(
        [*run, "import-roster", str(db), str(good)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "Đã nhập 1 đại biểu" in result.stdout


def test_the_honorific_column_is_read_and_checked(tmp_path: Path) -> None:
    from meetingapp.roster import parse_roster

    rows = [
        ["Họ và tên", "Danh xưng"],
        ["Nguyễn Văn An", "Ông"],
        ["Trần Thị Bích Ngọc", "bà"],
        ["Lê Hoàng Dũng", ""],
        ["Phạm Thị Hương", "Nữ"],
    ]
    specs = parse_roster(rows)
    assert [s.honorific for s in specs] == ["Ông", "Bà", "", "Bà"]
    with pytest.raises(RosterImportError) as err:
        parse_roster([["Họ và tên", "Danh xưng"], ["A", "Ông"], ["B", "Cụ"]])
    assert [(r.line, r.field, r.detail_key) for r in err.value.rows] == [
        (3, "danh xưng", "roster.honorific")
    ]
    assert "danh xưng phải là Ông hoặc Bà" in err.value.message("vi")


def test_the_honorific_reaches_the_roster_and_survives_a_replay(tmp_path: Path, machine) -> None:  # type: ignore[no-untyped-def]
    m, body = machine
    f = write(
        tmp_path / "ds.csv",
        "Mã,Danh xưng,Họ và tên\nA1,Bà,Nguyễn Thị Ánh Tuyết\nA2,,Trần Văn Đông\n",
    )
    import_roster(m, body, f)
    assert m.world.delegates["A1"].honorific == "Bà"
    assert m.world.delegates["A2"].honorific == ""
    again = SessionMachine(open_db(tmp_path / "r.db", create=False))  # the log replayed
    assert again.world.delegates["A1"].honorific == "Bà"
