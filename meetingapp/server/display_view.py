"""What the hall display shows, projected by the host from its own state: the web display
(``/display/``) only places these texts on the screen and never decides anything itself.

The same content as the Qt hall display (``ui/display.py``), from the same sources: the
vote's figures and verdict from ``meetingapp.results`` (the one place a result is computed),
the quorum from the body's own rule (``meetingapp.rules`` through the World), the texts from
the one catalogue in the caller's language. While a vote is open only its title shows, never a
running count of choices. Pure: a World in, plain data out."""

from __future__ import annotations

from typing import Any

from meetingapp.errors import NotFound
from meetingapp.i18n import tr
from meetingapp.results import result_texts, vote_result
from meetingapp.rules import QUORUM


def display_view(world: Any, session_id: str | None, lang: str) -> dict[str, Any]:
    """The hall display's content for ``session_id`` (None: the session a screen joining now
    follows: the open one, else the latest scheduled), in ``lang``."""
    from meetingapp.server.host import current_session

    if session_id and session_id not in world.sessions:
        raise NotFound(kind="session", ident=session_id[:80])
    rec = world.sessions[session_id] if session_id else current_session(world)
    view: dict[str, Any] = {"seq": world.last_seq, "lang": lang}
    if rec is None:
        view["session_id"] = None
        return view
    sid = rec.session.id
    body = world.bodies.get(rec.session.body_id)
    item = rec.items.get(rec.active_item) if rec.active_item else None
    view.update(
        session_id=sid,
        state=rec.session.state.value,
        body=body.name if body else "",
        title=rec.session.title,
        item=tr("ui.item", lang) + item.title if item else tr("ui.text", lang),
    )
    speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
    if speech is not None:
        who = world.delegates.get(speech.delegate_id)
        name = who.full_name if who else speech.delegate_id
        left = speech.seconds_left()
        view["speaker"] = {
            "speech_id": speech.id,
            "name": name,
            "text": tr("ui.speaking_2", lang) + name,
            "left_s": left,  # the page counts down from here; None: no time limit
        }
    else:
        view["speaker"] = None
    rule = world.rules[rec.session.body_id][QUORUM]
    heads = world.headcount(sid)
    present, base, need = heads.present, heads.base(rule.basis), world.needed(sid, QUORUM)
    view["quorum"] = {
        "present": present,
        "of": base,
        "needed": need,
        "met": present >= need,
        "text": tr("ui.present_x_of_x_needs_x", lang, present=present, elected=base, need=need),
    }
    closed = [m for m in rec.motions.values() if m.result is not None]
    if rec.open_motion:
        motion = rec.motions[rec.open_motion]
        view["vote"] = {
            "state": "open",
            "motion_id": motion.id,
            "title": motion.title,
            "text": tr("ui.voting", lang) + motion.title,
        }
    elif closed:
        motion = closed[-1]
        result = vote_result(motion)
        view["vote"] = {
            "state": "closed",
            "motion_id": motion.id,
            "title": motion.title,
            "lines": list(result_texts(result, lang)),
            "passed": result.passed,
            "verdict": tr("ui.passed" if result.passed else "ui.not_passed", lang),
        }
    else:
        view["vote"] = None
    return view
