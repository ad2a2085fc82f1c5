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
    """The speaking time left, for the console and the hall display; once it is over, says
    so and counts the time over."""
    left = seconds_left(speech)
    if left is None:
        return ""
    seconds = abs(int(left))
    clock = f"{seconds // 60:02d}:{seconds % 60:02d}"
    if left <= 0:
        return L(f"⏱ Hết giờ (+{clock})", f"⏱ Time is up (+{clock})")
    return f"⏱ {clock}"


def result_lines(motion: Any, sep: str) -> tuple[str, str]:
    """(counts, verdict) of a closed motion: shares of the rule's total, as the law counts."""
    from meetingapp.rules import percent_text

    r = motion.result
    counts = sep.join(
        f"{choice_label(k)}: {getattr(r.tally, k)}/{r.total} "
        f"({percent_text(getattr(r.tally, k), r.total)})"
        for k in ("yes", "no", "abstain")
    )
    verdict = L("THÔNG QUA", "PASSED") if r.passed else L("KHÔNG THÔNG QUA", "NOT PASSED")
    return counts, verdict


MINUTES_STATES = {
    "draft": ("dự thảo", "draft"),
    "finalised": ("đã hoàn tất, chờ ký", "finalised, awaiting signatures"),
    "signed_secretary": ("thư ký đã ký", "signed by the secretary"),
    "signed_chair": ("chủ tọa đã ký", "signed by the chair"),
    "sealed": ("đã đóng dấu", "sealed"),
}


def minutes_state_label(state: str) -> str:
    return _label(MINUTES_STATES, state)


ROLES = {
    "delegate": ("Đại biểu", "Delegate"),
    "clerk": ("Thư ký tổng hợp", "Clerk"),
    "chair": ("Chủ tọa", "Chair"),
    "display": ("Màn hình hội trường", "Hall display"),
    "secretary": ("Thư ký", "Secretary"),
    "seal": ("Văn thư (đóng dấu)", "Seal"),
}


def role_label(role: str) -> str:
    return _label(ROLES, role)


FORMS = {
    "electronic": ("Biểu quyết điện tử", "Electronic (named)"),
    "secret": ("Bỏ phiếu kín", "Secret ballot"),
    "show_of_hands": ("Giơ tay", "Show of hands"),
}


def form_label(form: str) -> str:
    return _label(FORMS, form)


WARN_BEFORE_S = 60  # the speaker's last minute shows in amber


def seconds_left(speech: Any) -> float | None:
    if not speech or not speech.time_limit_s:
        return None
    try:
        started = datetime.fromisoformat(speech.started_at)
    except ValueError:
        return None
    return float(speech.time_limit_s - (datetime.now(started.tzinfo) - started).total_seconds())


def timer_state(speech: Any) -> str:
    """ "" (plenty of time), "warn" (the last minute) or "over" (time is up)."""
    left = seconds_left(speech)
    if left is None:
        return ""
    return "over" if left <= 0 else "warn" if left <= WARN_BEFORE_S else ""
