"""One rule for the names and titles people type or import (issue #14, "input hygiene").

Names, titles, units and the like end up in minutes, on every screen and in CSV/XLSX exports.
They may contain any letter (Vietnamese with its combining marks included) but no control
characters (category Cc, e.g. NUL, ESC, newline) and no invisible format characters (Cf: the
bidirectional overrides and isolates U+202A–U+202E and U+2066–U+2069 that make text display in
a different order than it is stored, zero-width spaces, …), nor unassigned or private code
points. Used by the state machine's commands and by the roster import.
"""

from __future__ import annotations

import unicodedata

from meetingapp.errors import InvalidValue

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class ForbiddenCharacters(InvalidValue):
    key = "text.forbidden_chars"
    status = 422


def forbidden(text: str) -> list[str]:
    """The refused characters in ``text`` as U+XXXX (empty when the text is acceptable)."""
    return [f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in REFUSED_CATEGORIES]


def check_text(field: str, text: str) -> None:
    if forbidden(text):
        raise ForbiddenCharacters(field=field)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula (CSV/XLSX
    injection): a leading = + - @ TAB or CR gets an apostrophe in front. Plain numbers stay."""
    if value.startswith(FORMULA_PREFIXES) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
