"""A session's life and agenda: created with its panel, items and documents; opened, items
started and ended, the presenter's page, closed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from meetingapp.domain import (
    AgendaItem,
    Document,
    ItemKind,
    ItemState,
    Session,
    SessionState,
)
from meetingapp.errors import InvalidTransition, InvalidValue, NotFound
from meetingapp.events import Event
from meetingapp.session.base import Change, MachineBase, new_id, require_text
from meetingapp.session.floor import end_current_speech
from meetingapp.session.registry import Payload, event, reducer
from meetingapp.session.world import Presenter, SessionRecord, World, record_of

# --- set-up -----------------------------------------------------------------------------------


@event("session_created", replica=False)
@dataclass(frozen=True)
class SessionCreated(Payload):
    id: str
    body_id: str
    number: int
    title: str
    place: str = ""
    term: str = ""
    scheduled_start: str = ""
    public: bool = True
    chair_panel: tuple[str, ...] = ()
    secretaries: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()


@reducer(SessionCreated)
def _session_created(w: World, p: SessionCreated, e: Event) -> None:
    session = Session(
        p.id,
        p.body_id,
        p.number,
        p.title,
        p.place,
        p.term,
        p.scheduled_start,
        p.public,
        p.chair_panel,
        p.secretaries,
        p.guests,
    )
    w.sessions[p.id] = SessionRecord(session)


@event("agenda_item_added")
@dataclass(frozen=True)
class AgendaItemAdded(Payload):
    id: str
    order: int
    title: str
    presenter: str = ""
    kind: str = ItemKind.REPORT.value


@reducer(AgendaItemAdded)
def _item_added(w: World, p: AgendaItemAdded, e: Event) -> None:
    item = AgendaItem(p.id, p.order, p.title, p.presenter, ItemKind(p.kind))
    record_of(w, e).items[p.id] = item


@event("document_added")
@dataclass(frozen=True)
class DocumentAdded(Payload):
    id: str
    item_id: str
    title: str
    doc_type: str = ""
    number_symbol: str = ""
    file_hash: str = ""
    pages: int = 0


@reducer(DocumentAdded)
def _document_added(w: World, p: DocumentAdded, e: Event) -> None:
    record_of(w, e).documents[p.id] = Document(
        p.id, p.item_id, p.title, p.doc_type, p.number_symbol, p.file_hash, p.pages
    )


@event("agenda_item_amended")
@dataclass(frozen=True)
class AgendaItemAmended(Payload):
    """The item's title, presenter or type changed (before or during the session)."""

    item_id: str
    title: str
    presenter: str = ""
    kind: str = ItemKind.REPORT.value


@reducer(AgendaItemAmended)
def _item_amended(w: World, p: AgendaItemAmended, e: Event) -> None:
    rec = record_of(w, e)
    rec.items[p.item_id] = replace(
        rec.items[p.item_id], title=p.title, presenter=p.presenter, kind=ItemKind(p.kind)
    )


@event("agenda_reordered")
@dataclass(frozen=True)
class AgendaReordered(Payload):
    """The items in their new order (every item, once)."""

    order: tuple[str, ...]


@reducer(AgendaReordered)
def _agenda_reordered(w: World, p: AgendaReordered, e: Event) -> None:
    rec = record_of(w, e)
    for n, item_id in enumerate(p.order, start=1):
        rec.items[item_id] = replace(rec.items[item_id], order=n)


@event("agenda_item_removed")
@dataclass(frozen=True)
class AgendaItemRemoved(Payload):
    """A pending item taken off the agenda, with its documents; the others renumbered."""

    item_id: str
    reason: str = ""


@reducer(AgendaItemRemoved)
def _item_removed(w: World, p: AgendaItemRemoved, e: Event) -> None:
    rec = record_of(w, e)
    del rec.items[p.item_id]
    for doc_id in [d.id for d in rec.documents.values() if d.item_id == p.item_id]:
        del rec.documents[doc_id]
    if rec.presenter is not None and rec.presenter.document_id not in rec.documents:
        rec.presenter = None
    for n, item in enumerate(sorted(rec.items.values(), key=lambda i: i.order), start=1):
        rec.items[item.id] = replace(item, order=n)


# --- running ------------------------------------------------------------------------------------


@event("session_opened")
@dataclass(frozen=True)
class SessionOpened(Payload):
    pass


@reducer(SessionOpened)
def _session_opened(w: World, p: SessionOpened, e: Event) -> None:
    rec = record_of(w, e)
    rec.session = replace(rec.session, state=SessionState.OPEN, opened_at=e.ts)


@event("item_started")
@dataclass(frozen=True)
class ItemStarted(Payload):
    item_id: str


@reducer(ItemStarted)
def _item_started(w: World, p: ItemStarted, e: Event) -> None:
    rec = record_of(w, e)
    rec.items[p.item_id] = replace(rec.items[p.item_id], state=ItemState.ACTIVE)
    rec.active_item = p.item_id


@event("item_ended")
@dataclass(frozen=True)
class ItemEnded(Payload):
    item_id: str


@reducer(ItemEnded)
def _item_ended(w: World, p: ItemEnded, e: Event) -> None:
    rec = record_of(w, e)
    rec.items[p.item_id] = replace(rec.items[p.item_id], state=ItemState.DONE)
    rec.active_item = None


@event("presenter_moved")
@dataclass(frozen=True)
class PresenterMoved(Payload):
    document_id: str
    page: int


@reducer(PresenterMoved)
def _presenter_moved(w: World, p: PresenterMoved, e: Event) -> None:
    record_of(w, e).presenter = Presenter(p.document_id, p.page)


@event("session_closed")
@dataclass(frozen=True)
class SessionClosed(Payload):
    pass


@reducer(SessionClosed)
def _session_closed(w: World, p: SessionClosed, e: Event) -> None:
    rec = record_of(w, e)
    rec.session = replace(rec.session, state=SessionState.CLOSED, closed_at=e.ts)
    rec.roll_call_open = False


# --- commands -------------------------------------------------------------------------------


class Agenda(MachineBase):
    def create_session(
        self,
        *,
        body_id: str,
        number: int,
        title: str,
        place: str = "",
        term: str = "",
        scheduled_start: str = "",
        public: bool = True,
        chair_panel: Sequence[str] = (),
        secretaries: Sequence[str] = (),
        guests: Sequence[str] = (),
        actor: str = "",
    ) -> str:
        if body_id not in self.world.bodies:
            raise NotFound(kind="body", ident=body_id)
        require_text("title", title)
        if number <= 0:
            raise InvalidValue(field="number", detail="> 0")
        sid = new_id("ses")
        payload = SessionCreated(
            sid,
            body_id,
            number,
            title.strip(),
            place,
            term or self.world.bodies[body_id].term,
            scheduled_start,
            public,
            tuple(chair_panel),
            tuple(secretaries),
            tuple(guests),
        )
        self._one(payload, sid, actor=actor)
        return sid

    def add_agenda_item(
        self,
        session_id: str,
        *,
        title: str,
        presenter: str = "",
        kind: ItemKind = ItemKind.REPORT,
        actor: str = "",
    ) -> str:
        rec = self.record(session_id)
        if rec.session.state is SessionState.CLOSED:
            raise InvalidTransition("add_agenda_item", "reason.session_closed")
        require_text("title", title)
        iid = new_id("item")
        order = max((i.order for i in rec.items.values()), default=0) + 1
        payload = AgendaItemAdded(iid, order, title.strip(), presenter, kind.value)
        self._one(payload, session_id, actor=actor)
        return iid

    def amend_agenda_item(
        self,
        session_id: str,
        item_id: str,
        *,
        title: str,
        presenter: str = "",
        kind: ItemKind = ItemKind.REPORT,
        actor: str = "",
    ) -> Event:
        """Change an item's title, presenter or type; an item already dealt with stays as the
        minutes record it."""
        rec = self._amendable(session_id, "amend_agenda_item")
        item = rec.items.get(item_id)
        if item is None:
            raise NotFound(kind="agenda item", ident=item_id)
        if item.state is ItemState.DONE:
            raise InvalidTransition("amend_agenda_item", "reason.item_not_pending")
        require_text("title", title)
        payload = AgendaItemAmended(item_id, title.strip(), presenter.strip(), kind.value)
        return self._one(payload, session_id, actor=actor)

    def reorder_agenda(self, session_id: str, order: Sequence[str], *, actor: str = "") -> Event:
        """Put the items in a new order: ``order`` names every item exactly once."""
        rec = self._amendable(session_id, "reorder_agenda")
        if sorted(order) != sorted(rec.items) or len(set(order)) != len(order):
            raise InvalidValue(field="order", detail=", ".join(order) or "-")
        return self._one(AgendaReordered(tuple(order)), session_id, actor=actor)

    def remove_agenda_item(
        self, session_id: str, item_id: str, *, reason: str = "", actor: str = ""
    ) -> Event:
        """Take a pending item (never discussed, nothing voted) off the agenda."""
        rec = self._amendable(session_id, "remove_agenda_item")
        item = rec.items.get(item_id)
        if item is None:
            raise NotFound(kind="agenda item", ident=item_id)
        if item.state is not ItemState.PENDING or any(
            m.item_id == item_id for m in rec.motions.values()
        ):
            raise InvalidTransition("remove_agenda_item", "reason.item_not_pending")
        return self._one(AgendaItemRemoved(item_id, reason.strip()), session_id, actor=actor)

    def _amendable(self, session_id: str, action: str) -> SessionRecord:
        rec = self.record(session_id)
        if rec.session.state is SessionState.CLOSED:
            raise InvalidTransition(action, "reason.session_closed")
        return rec

    def add_document(
        self,
        session_id: str,
        *,
        item_id: str,
        title: str,
        doc_type: str = "",
        number_symbol: str = "",
        file_hash: str = "",
        pages: int = 0,
        actor: str = "",
    ) -> str:
        rec = self.record(session_id)
        if item_id not in rec.items:
            raise NotFound(kind="agenda item", ident=item_id)
        require_text("title", title)
        doc_id = new_id("doc")
        payload = DocumentAdded(
            doc_id, item_id, title.strip(), doc_type, number_symbol, file_hash, pages
        )
        self._one(payload, session_id, actor=actor)
        return doc_id

    def open_session(self, session_id: str, *, actor: str = "") -> Event:
        rec = self.record(session_id)
        if rec.session.state is not SessionState.SCHEDULED:
            raise InvalidTransition("open_session", "reason.session_already_opened")
        return self._one(SessionOpened(), session_id, actor=actor)

    def start_item(self, session_id: str, item_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "start_item")
        item = rec.items.get(item_id)
        if item is None:
            raise NotFound(kind="agenda item", ident=item_id)
        if rec.active_item is not None:
            raise InvalidTransition("start_item", "reason.item_active")
        if item.state is not ItemState.PENDING:
            raise InvalidTransition("start_item", "reason.item_not_pending")
        return self._one(ItemStarted(item_id), session_id, actor=actor)

    def end_item(self, session_id: str, item_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "end_item")
        if rec.active_item != item_id:
            raise InvalidTransition("end_item", "reason.item_not_active")
        if rec.open_motion is not None:
            raise InvalidTransition("end_item", "reason.motion_open")
        changes = end_current_speech(rec)
        changes.append(Change(ItemEnded(item_id), session_id))
        return self._commit(changes, actor=actor)[-1]

    def move_presenter(
        self, session_id: str, document_id: str, page: int, *, actor: str = ""
    ) -> Event:
        """Show ``page`` (1-based) of a document; following tablets turn to it."""
        rec = self._open_record(session_id, "move_presenter")
        doc = rec.documents.get(document_id)
        if doc is None:
            raise NotFound(kind="document", ident=document_id)
        if page < 1 or (doc.pages and page > doc.pages):
            raise InvalidValue(field="page", detail=f"1..{doc.pages or '?'}")
        return self._one(PresenterMoved(document_id, page), session_id, actor=actor)

    def close_session(self, session_id: str, *, actor: str = "") -> Event:
        rec = self._open_record(session_id, "close_session")
        if rec.open_motion is not None:
            raise InvalidTransition("close_session", "reason.motion_open")
        changes = end_current_speech(rec)
        if rec.active_item is not None:
            changes.append(Change(ItemEnded(rec.active_item), session_id))
        changes.append(Change(SessionClosed(), session_id))
        return self._commit(changes, actor=actor)[-1]
