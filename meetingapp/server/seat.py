"""The delegate's seat as the web page shows it: one session projected from the host's World for
one delegate (``GET /api/sessions/{id}/seat``).

The page keeps no replica and runs no reducer: it re-reads this view whenever the event stream
says something happened. Everything a button needs is decided here, by the host: whether the
delegate is present, their place in the floor queue, the open vote and whether they have voted,
the last result in the figures every screen uses (``meetingapp.results``) and which commands the
delegate may send now (``allowed``, from the one rule table the Qt windows use too,
``meetingapp/actions.py``). Ballot secrecy: the view carries only this delegate's own named
ballot; a secret ballot's choice is not in the World at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from meetingapp import actions as A
from meetingapp.domain import BallotForm, Choice, choice_padding
from meetingapp.i18n import tr
from meetingapp.results import result_texts, vote_result
from meetingapp.session.world import World


def _rounded(left: float | None) -> float | None:
    return None if left is None else round(left, 1)


def seat_view(
    world: World,
    session_id: str,
    delegate_id: str,
    lang: str,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The session as delegate ``delegate_id``'s seat shows it, texts in ``lang``."""
    now = now or dt.datetime.now(dt.UTC)
    rec = world.sessions[session_id]
    body = world.bodies[rec.session.body_id]
    me = world.delegates.get(delegate_id)
    present = delegate_id in rec.present_ids()

    items = sorted(rec.items.values(), key=lambda i: i.order)
    agenda = [
        {
            "id": i.id,
            "order": i.order,
            "title": i.title,
            "state": i.state.value,
            "active": i.id == rec.active_item,
        }
        for i in items
    ]
    documents = [
        {
            "id": d.id,
            "item_id": d.item_id,
            "title": d.title,
            "number_symbol": d.number_symbol,
            "pages": d.pages,
            "file_hash": d.file_hash,
        }
        for d in rec.documents.values()
    ]
    presenter = (
        {"document_id": rec.presenter.document_id, "page": rec.presenter.page}
        if rec.presenter is not None
        else None
    )

    waiting = rec.floor_queue()
    mine = [r for r in waiting if r.delegate_id == delegate_id]
    speech = rec.speeches.get(rec.current_speech) if rec.current_speech else None
    speaker = world.delegates.get(speech.delegate_id) if speech else None
    floor = {
        "request_id": mine[0].id if mine else None,
        "position": waiting.index(mine[0]) + 1 if mine else None,
        "waiting": len(waiting),
        "speech": None
        if speech is None
        else {
            "id": speech.id,
            "mine": speech.delegate_id == delegate_id,
            "name": speaker.full_name if speaker else speech.delegate_id,
            "seconds_left": _rounded(speech.seconds_left(now)),
        },
    }

    motion = rec.motions.get(rec.open_motion) if rec.open_motion else None
    voted = bool(motion and delegate_id in motion.participants)
    vote = None
    if motion is not None:
        own = motion.ballots.get(delegate_id) if motion.form is BallotForm.ELECTRONIC else None
        vote = {
            "motion_id": motion.id,
            "title": motion.title,
            "form": motion.form.value,
            "form_label": tr(f"form.{motion.form.value}", lang),
            "allow_change": motion.allow_change,
            "voted": voted,
            "my_choice": own.value if own else None,  # named ballots only: a secret one is
            # known to the delegate's own tablet and nowhere else
        }
    closed = [m for m in rec.motions.values() if m.result is not None]
    last_result = None
    if closed:
        last = closed[-1]
        assert last.result is not None
        last_result = {
            "motion_id": last.id,
            "title": last.title,
            "lines": list(result_texts(vote_result(last), lang)),
            "passed": last.result.passed,
        }

    # the commands the seat may send now: the one rule table, on the same snapshot the Qt
    # tablet builds from its replica
    allowed = A.allowed("delegate", A.snapshot(world, rec, me=delegate_id))
    return {
        "seq": world.last_seq,
        "session": {
            "id": rec.session.id,
            "number": rec.session.number,
            "title": rec.session.title,
            "state": rec.session.state.value,
            "state_label": tr(f"session_state.{rec.session.state.value}", lang),
            "body": body.name,
        },
        "me": {
            "delegate_id": delegate_id,
            "name": me.full_name if me else delegate_id,
            "present": present,
        },
        "agenda": agenda,
        "documents": documents,
        "presenter": presenter,
        "floor": floor,
        "vote": vote,
        "last_result": last_result,
        "allowed": sorted(allowed),
        # every choice's padding, so a ballot has the same size on the wire whatever it is
        "pads": {c.value: choice_padding(c) for c in Choice},
    }
