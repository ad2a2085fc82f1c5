"""The app's language: Vietnamese by default, English on request (``--lang en`` or the
MEETINGAPP_LANG setting). Every visible string goes through ``L(vi, en)``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from meetingapp.i18n import current_language, tr

_lang: list[str] = []


def lang() -> str:
    return _lang[0] if _lang else current_language()


def set_language(code: str) -> None:
    _lang[:] = [code if code in ("vi", "en") else "vi"]


def L(vi: str, en: str) -> str:  # noqa: N802 — short on purpose: it wraps every string
    return en if lang() == "en" else vi


def choice_label(choice: str) -> str:
    """Tán thành / Không tán thành / Không biểu quyết: the wording the minutes use."""
    return tr(f"choice.{choice}", lang())


def _label(table: dict[str, tuple[str, str]], key: str) -> str:
    vi, en = table.get(key, (key, key))
    return L(vi, en)


METHODS = {
    "face": ("Khuôn mặt", "Face"),
    "pin": ("Mã PIN", "PIN"),
    "qr": ("Mã QR", "QR"),
    "manual": ("Thủ công", "Manual"),
}


def method_label(method: str) -> str:
    return _label(METHODS, method)


ITEM_STATES = {
    "pending": ("chưa thảo luận", "pending"),
    "active": ("đang thảo luận", "in progress"),
    "done": ("đã xong", "done"),
}


def item_state_label(state: str) -> str:
    return _label(ITEM_STATES, state)


def countdown(speech: Any) -> str:
    """The speaking time left (negative once over), for the console and the hall display."""
    if not speech or not speech.time_limit_s:
        return ""
    try:
        started = datetime.fromisoformat(speech.started_at)
    except ValueError:
        return ""
    left = speech.time_limit_s - (datetime.now(started.tzinfo) - started).total_seconds()
    sign = "-" if left < 0 else ""
    seconds = abs(int(left))
    return f"⏱ {sign}{seconds // 60:02d}:{seconds % 60:02d}"


def result_lines(motion: Any, sep: str) -> tuple[str, str]:
    """(counts, verdict) of a closed motion, from the one function the minutes and exports use
    too (meetingapp.results): shares of the rule's total, non-voters never "Không biểu quyết"."""
    from meetingapp.results import result_texts, vote_result

    counts = sep.join(result_texts(vote_result(motion), lang()))
    verdict = (
        L("THÔNG QUA", "PASSED") if motion.result.passed else L("KHÔNG THÔNG QUA", "NOT PASSED")
    )
    return counts, verdict


def quorum_status(world: Any, session_id: str) -> tuple[int, int, int]:
    """(present, of how many, how many needed) under the body's own quorum rule, measured
    against the rule's basis and the body's TotalBasis (meetingapp.rules: one source)."""
    from meetingapp.rules import QUORUM

    rule = world.rules[world.sessions[session_id].session.body_id][QUORUM]
    heads = world.headcount(session_id)
    return heads.present, heads.base(rule.basis), world.needed(session_id, QUORUM)


MINUTES_STATES = {
    "draft": ("dự thảo", "draft"),
    "finalised": ("đã hoàn tất, chờ ký", "finalised, awaiting signatures"),
    "signed_secretary": ("thư ký đã ký", "signed by the secretary"),
    "signed_chair": ("chủ tọa đã ký", "signed by the chair"),
    "sealed": ("đã đóng dấu", "sealed"),
}


def minutes_state_label(state: str) -> str:
    return _label(MINUTES_STATES, state)
