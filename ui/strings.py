"""The app's language: Vietnamese by default, English on request (``--lang en`` or the
MEETINGAPP_LANG setting). Every visible string is a key of the one catalogue
(``meetingapp/i18n.py`` with ``meetingapp/i18n_ui.py``), shown with ``t(key, **params)``."""

from __future__ import annotations

from typing import Any

from meetingapp.i18n import current_language, tr

_lang: list[str] = []


def lang() -> str:
    return _lang[0] if _lang else current_language()


def set_language(code: str) -> None:
    _lang[:] = [code if code in ("vi", "en") else "vi"]


def choice_label(choice: str) -> str:
    """Tán thành / Không tán thành / Không biểu quyết: the wording the minutes use."""
    return tr(f"choice.{choice}", lang())


def t(key: str, **params: object) -> str:
    """The text ``key`` of the one catalogue (meetingapp/i18n.py) in the app's language,
    its named placeholders filled."""
    return tr(key, lang(), **params)


def method_label(method: str) -> str:
    return t(f"method.{method}")


def item_state_label(state: str) -> str:
    return t(f"item_state.{state}")


def countdown(speech: Any) -> str:
    """The speaking time left, for the console and the hall display; once it is over, says
    so and counts the time over."""
    left = seconds_left(speech)
    if left is None:
        return ""
    seconds = abs(int(left))
    clock = f"{seconds // 60:02d}:{seconds % 60:02d}"
    if left <= 0:
        return t("ui.time_is_up_x", clock=clock)
    return f"⏱ {clock}"


def result_lines(motion: Any, sep: str, per_line: int = 0) -> tuple[str, str]:
    """(counts, verdict) of a closed motion, from the one function the minutes and exports use
    too (meetingapp.results): shares of the rule's total, non-voters never "Không biểu quyết".
    ``per_line`` > 0: that many items per line, each item unbreakable (a wide screen never
    wraps "Không biểu quyết: 0/12" between its label and its figure)."""
    from meetingapp.results import result_texts, vote_result

    items = result_texts(vote_result(motion), lang())
    if per_line > 0:
        whole = [item.replace(" ", "\u00a0") for item in items]
        rows = [whole[i : i + per_line] for i in range(0, len(whole), per_line)]
        counts = "\n".join(sep.join(row) for row in rows)
    else:
        counts = sep.join(items)
    verdict = t("ui.passed") if motion.result.passed else t("ui.not_passed")
    return counts, verdict


def quorum_status(world: Any, session_id: str) -> tuple[int, int, int]:
    """(present, of how many, how many needed) under the body's own quorum rule, measured
    against the rule's basis and the body's TotalBasis (meetingapp.rules: one source)."""
    from meetingapp.rules import QUORUM

    rule = world.rules[world.sessions[session_id].session.body_id][QUORUM]
    heads = world.headcount(session_id)
    return heads.present, heads.base(rule.basis), world.needed(session_id, QUORUM)


def rule_label(rule: Any) -> str:
    """A voting rule's own label (the body's data carries both languages)."""
    return rule.label_en if lang() == "en" else rule.label_vi


def minutes_state_label(state: str) -> str:
    return t(f"minutes_state.{state}")


def role_label(role: str) -> str:
    return t(f"role.{role}")


def form_label(form: str) -> str:
    return t(f"form.{form}")


def item_kind_label(kind: str) -> str:
    return t(f"item_kind.{kind}")


def body_kind_label(kind: str) -> str:
    return t(f"body_kind.{kind}")


def session_state_label(state: str) -> str:
    return t(f"session_state.{state}")


WARN_BEFORE_S = 60  # the speaker's last minute shows in amber


def seconds_left(speech: Any) -> float | None:
    return speech.seconds_left() if speech else None  # one rule: meetingapp.domain.Speech


def timer_state(speech: Any) -> str:
    """ "" (plenty of time), "warn" (the last minute) or "over" (time is up)."""
    left = seconds_left(speech)
    if left is None:
        return ""
    return "over" if left <= 0 else "warn" if left <= WARN_BEFORE_S else ""
