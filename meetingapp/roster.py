"""Import a body's roster from CSV or XLSX.

Every row is checked before anything is written; a file with any problem is refused as a whole
with one message per problem (line number as a spreadsheet shows it, column name).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from meetingapp.domain import DelegateSpec
from meetingapp.errors import RosterImportError, RowError
from meetingapp.pins import hash_pin
from meetingapp.text_rules import forbidden

# Accepted headers (normalised: lowercase, no surrounding spaces) for each field.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "mã", "mã đại biểu"),
    "full_name": ("full_name", "name", "full name", "họ và tên", "họ tên"),
    "title": ("title", "chức vụ"),
    "unit": ("unit", "group", "đơn vị", "tổ đại biểu", "đơn vị/tổ"),
    "seat": ("seat", "ghế", "số ghế"),
    "contact": ("contact", "email", "phone", "liên hệ", "điện thoại"),
    "pin": ("pin", "mã pin"),
    "honorific": ("honorific", "danh xưng", "xưng hô", "ông/bà", "giới tính"),
}
# What the honorific column may hold (lowercase) → how the minutes write it. An empty cell is
# allowed: the minutes then use a neutral form (exports.labels.HONORIFIC_NEUTRAL).
HONORIFICS = {"ông": "Ông", "bà": "Bà", "nam": "Ông", "nữ": "Bà", "mr": "Ông", "ms": "Bà"}
REQUIRED = ("full_name",)
PIN_RE = re.compile(r"^\d{4,8}$")
MAX_FIELD = 200


def read_rows(path: Path) -> list[list[str]]:
    """The file's rows as text cells (header first). Raises RosterImportError if unreadable."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return _read_csv(path.read_bytes())
        if suffix == ".xlsx":
            return _read_xlsx(path)
    except (
        OSError,
        UnicodeDecodeError,
        csv.Error,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
    ) as exc:
        raise RosterImportError([_err(0, path.name, "roster.unreadable", detail=str(exc))]) from exc
    raise RosterImportError([_err(0, path.name, "roster.unsupported")])


def _read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    if "\x00" in text:
        raise ValueError("binary data in a text file")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy; only for spreadsheets

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = wb.worksheets[0]
        return [
            ["" if v is None else _cell_text(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        wb.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a PIN or seat typed as a number
    return str(value)


def _err(line: int, column: str, key: str, **params: object) -> RowError:
    return RowError(line, column, key, tuple(params.items()))


def parse_roster(rows: list[list[str]], existing_ids: Iterable[str] = ()) -> list[DelegateSpec]:
    """Validate all rows; return the delegates or raise with every problem found."""
    if not rows:
        raise RosterImportError([_err(1, "-", "roster.empty")])
    header = [h.strip().lower() for h in rows[0]]
    index = {
        f: next((header.index(a) for a in aliases if a in header), -1)
        for f, aliases in COLUMNS.items()
    }
    missing = [f"{COLUMNS[f][3]} ({f})" for f in REQUIRED if index[f] < 0]
    if missing:
        raise RosterImportError(
            [_err(1, "-", "roster.missing_columns", columns=", ".join(missing))]
        )
    errors: list[RowError] = []
    specs: list[DelegateSpec] = []
    seen_ids: dict[str, int] = {}
    known = set(existing_ids)
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank line between blocks of the sheet
        spec = _parse_row(line, row, index, header, seen_ids, known, errors)
        if spec:
            specs.append(spec)
    if errors:
        raise RosterImportError(errors)
    if not specs:
        raise RosterImportError([_err(2, "-", "roster.empty")])
    return specs


def _parse_row(
    line: int,
    row: list[str],
    index: dict[str, int],
    header: list[str],
    seen_ids: dict[str, int],
    known: set[str],
    errors: list[RowError],
) -> DelegateSpec | None:
    def cell(field: str) -> str:
        i = index[field]
        return row[i].strip() if 0 <= i < len(row) else ""

    def col(field: str) -> str:
        return header[index[field]] if index[field] >= 0 else field

    before = len(errors)
    values = {f: cell(f) for f in COLUMNS}
    for field in REQUIRED:
        if not values[field]:
            errors.append(_err(line, col(field), "roster.required"))
    for field, value in values.items():
        if len(value) > MAX_FIELD:
            errors.append(_err(line, col(field), "roster.too_long", limit=MAX_FIELD))
        if bad := forbidden(value):
            errors.append(_err(line, col(field), "roster.forbidden_chars", chars=" ".join(bad)))
    pin = values["pin"]
    if pin and not PIN_RE.match(pin):
        errors.append(_err(line, col("pin"), "roster.pin_format"))
    honorific = values["honorific"].lower().rstrip(".")
    if honorific and honorific not in HONORIFICS:
        errors.append(_err(line, col("honorific"), "roster.honorific"))
    did = values["id"]
    if did:
        if did in seen_ids:
            errors.append(_err(line, col("id"), "roster.duplicate", other=seen_ids[did]))
        elif did in known:
            errors.append(_err(line, col("id"), "roster.exists"))
        seen_ids.setdefault(did, line)
    if len(errors) > before:
        return None
    return DelegateSpec(
        full_name=values["full_name"],
        title=values["title"],
        unit=values["unit"],
        seat=values["seat"],
        contact=values["contact"],
        pin_hash=hash_pin(pin) if pin else "",
        id=did,
        honorific=HONORIFICS.get(honorific, ""),
    )


class RosterTarget(Protocol):
    """What import_roster needs of the session machine (kept abstract so that the roster
    parsing stays usable from the app, which never touches the store)."""

    world: Any

    def add_delegates(
        self, body_id: str, specs: Sequence[DelegateSpec], *, actor: str = ""
    ) -> list[str]: ...


def import_roster(machine: RosterTarget, body_id: str, path: Path, *, actor: str = "") -> list[str]:
    """Read, validate and add the whole roster in one transaction; nothing on any error."""
    specs = parse_roster(read_rows(path), machine.world.delegates.keys())
    return machine.add_delegates(body_id, specs, actor=actor)


def delegates_from_file(path: Path, existing_ids: Iterable[str] = ()) -> list[dict[str, str]]:
    """Check a roster file (every problem named, nothing returned on any error) and return its
    delegates as the host's API takes them — the PIN in clear, for the host to hash."""
    rows = read_rows(path)
    specs = parse_roster(rows, existing_ids)
    header = [h.strip().lower() for h in rows[0]]
    pin_col = next((header.index(a) for a in COLUMNS["pin"] if a in header), -1)
    data_rows = [r for r in rows[1:] if any(c.strip() for c in r)]
    out = []
    for spec, row in zip(specs, data_rows, strict=True):
        pin = row[pin_col].strip() if 0 <= pin_col < len(row) else ""
        entry = {
            "id": spec.id,
            "full_name": spec.full_name,
            "title": spec.title,
            "unit": spec.unit,
            "seat": spec.seat,
            "contact": spec.contact,
        }
        if spec.honorific:
            entry["honorific"] = spec.honorific
        if pin:
            entry["pin"] = pin
        out.append(entry)
    return out
