"""Changing the agenda: amend, reorder, remove — refused when they would rewrite what
happened, recorded as events, replayed identically from the log."""

from __future__ import annotations

from pathlib import Path

import pytest

from meetingapp.domain import ItemKind, ItemState
from meetingapp.errors import InvalidTransition, InvalidValue, NotFound
from meetingapp.session import SessionMachine
from meetingapp.store import open_db
from tests.helpers import make_meeting


def test_amend_reorder_remove_during_the_session(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path)  # one item, started
    m, sid = mt.machine, mt.session
    second = m.add_agenda_item(sid, title="Tờ trình số 2", kind=ItemKind.PROPOSAL)
    third = m.add_agenda_item(sid, title="Chất vấn", kind=ItemKind.QA)
    doc = m.add_document(sid, item_id=second, title="Tờ trình", number_symbol="12/TTr-UBND")

    m.amend_agenda_item(
        sid,
        third,
        title="Chất vấn và trả lời chất vấn",
        presenter="Chủ tịch UBND xã",
        kind=ItemKind.QA,
    )
    m.reorder_agenda(sid, [mt.item, third, second])
    rec = m.record(sid)
    assert [rec.items[i].order for i in (mt.item, third, second)] == [1, 2, 3]
    assert rec.items[third].presenter == "Chủ tịch UBND xã"

    with pytest.raises(InvalidValue):
        m.reorder_agenda(sid, [mt.item, third])  # one missing
    with pytest.raises(InvalidValue):
        m.reorder_agenda(sid, [mt.item, third, third])
    with pytest.raises(InvalidTransition):
        m.remove_agenda_item(sid, mt.item)  # under discussion: it happened
    with pytest.raises(NotFound):
        m.remove_agenda_item(sid, "item-nope")
    before = mt.event_count()
    with pytest.raises(InvalidValue):
        m.amend_agenda_item(sid, mt.item, title="  ")  # blank title: nothing recorded
    assert mt.event_count() == before

    m.remove_agenda_item(sid, second, reason="Chuyển sang kỳ họp sau")
    rec = m.record(sid)
    assert set(rec.items) == {mt.item, third} and doc not in rec.documents
    assert rec.items[third].order == 2
    new = m.add_agenda_item(sid, title="Nội dung bổ sung")
    assert m.record(sid).items[new].order == 3

    m.end_item(sid, mt.item)
    assert m.record(sid).items[mt.item].state is ItemState.DONE
    with pytest.raises(InvalidTransition):
        m.amend_agenda_item(sid, mt.item, title="Đổi tên sau khi xong")

    replayed = SessionMachine(open_db(mt.db_path, create=False)).record(sid)
    assert replayed.items == m.record(sid).items
    assert replayed.documents == m.record(sid).documents
