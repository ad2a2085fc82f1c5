"""The app's language: Vietnamese by default, English on request (``--lang en`` or the
MEETINGAPP_LANG setting). Every visible string goes through ``L(vi, en)``."""

from __future__ import annotations

from meetingapp.i18n import current_language

_lang: list[str] = []


def lang() -> str:
    return _lang[0] if _lang else current_language()


def set_language(code: str) -> None:
    _lang[:] = [code if code in ("vi", "en") else "vi"]


def L(vi: str, en: str) -> str:  # noqa: N802 — short on purpose: it wraps every string
    return en if lang() == "en" else vi


CHOICES = {
    "yes": ("Tán thành", "Yes"),
    "no": ("Không tán thành", "No"),
    "abstain": ("Không biểu quyết", "Abstain"),
}


def choice_label(choice: str) -> str:
    vi, en = CHOICES[choice]
    return L(vi, en)


METHODS = {
    "face": ("Khuôn mặt", "Face"),
    "pin": ("Mã PIN", "PIN"),
    "qr": ("Mã QR", "QR"),
    "manual": ("Thủ công", "Manual"),
}


def method_label(method: str) -> str:
    vi, en = METHODS.get(method, (method, method))
    return L(vi, en)


ITEM_STATES = {
    "pending": ("chưa thảo luận", "pending"),
    "active": ("đang thảo luận", "in progress"),
    "done": ("đã xong", "done"),
}


def item_state_label(state: str) -> str:
    vi, en = ITEM_STATES.get(state, (state, state))
    return L(vi, en)
