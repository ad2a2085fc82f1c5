"""What the CLI's commands share: the one-writer lock and the state machine on a database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetingapp.errors import NotFound

if TYPE_CHECKING:
    from meetingapp.session import SessionMachine


def writer_lock(db: str, command: str) -> None:
    """Refuse (in the user's language) while another process — a running host — writes this
    database; otherwise hold its writer lock until this command's process ends."""
    from meetingapp.store.lock import WriterLock

    LOCKS.append(WriterLock.acquire(db, f"meetingapp {command}"))


LOCKS: list[object] = []


def machine_on(db: str, command: str | None) -> SessionMachine:
    """The state machine on ``db``; a ``command`` that writes takes the writer lock first."""
    from meetingapp.session import SessionMachine
    from meetingapp.store import open_db

    if command is not None:
        writer_lock(db, command)
    return SessionMachine(open_db(db, create=False))


def session_id_of(machine: SessionMachine, given: str | None) -> str:
    if given:
        return given
    sessions = machine.world.sessions
    if len(sessions) != 1:
        raise NotFound(kind="session (--session)", ident=", ".join(sessions) or "-")
    return next(iter(sessions))
