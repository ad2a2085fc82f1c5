"""The event registry: every kind of event is a frozen dataclass (its payload, typed) with
exactly one reducer, both registered here once.

Everything that used to list kinds by hand derives from this registry: the client's replica
filter (``replica``), which ballots each role sees (``ballot``), what a client may receive of a
payload (``private`` fields), and the list of events in ``docs/architecture.md``
(``tests/test_registry.py`` fails when the docs drift).

Payloads are stored in the log as JSON objects; ``load`` turns a stored one back into its
dataclass, accepting what older versions wrote: a missing field takes its default, a field
stored under an earlier name is read through ``renamed`` (old name -> field).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar

from meetingapp.events import Event

# The subject modules of meetingapp.session, in the order a meeting meets them (for the docs).
SUBJECTS = ("organisation", "faces", "agenda", "roll_call", "floor", "speech", "votes", "minutes")


class RegistryError(Exception):
    """A programming error in the set of event kinds (raised at import or by ``check``)."""


class PayloadError(ValueError):
    """A stored payload that cannot be read as its kind's dataclass."""


class Payload:
    """Base of every event payload. Subclasses are frozen dataclasses registered with
    ``REGISTRY.event``; the class attributes below are set by the registration."""

    event_kind: ClassVar[str] = ""
    subject: ClassVar[str] = ""  # the module of meetingapp.session that owns the kind
    replica: ClassVar[bool] = True  # part of a session's state as a client replicates it
    ballot: ClassVar[bool] = False  # one delegate's ballot: only that delegate, chair, secretary
    private: ClassVar[frozenset[str]] = frozenset()  # fields never sent to clients
    renamed: ClassVar[Mapping[str, str]] = {}  # stored (older) name -> field name

    def to_payload(self) -> dict[str, Any]:
        """The JSON object stored in the log (tuples become lists)."""
        return {
            f.name: _plain(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }


P = TypeVar("P", bound=type[Payload])
Reducer = Callable[[Any, Any, Event], None]  # (World, its payload, the event)
R = TypeVar("R", bound=Reducer)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Registry:
    def __init__(self) -> None:
        self.kinds: dict[str, type[Payload]] = {}
        self.reducers: dict[str, Reducer] = {}

    # --- registration --------------------------------------------------------------------

    def event(
        self,
        kind: str,
        *,
        replica: bool = True,
        ballot: bool = False,
        private: Iterable[str] = (),
        renamed: Mapping[str, str] | None = None,
    ) -> Callable[[P], P]:
        """Register a payload class (a frozen dataclass deriving from ``Payload``)."""

        def register(cls: P) -> P:
            if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):
                raise RegistryError(f"{kind}: {cls.__name__} must be a frozen dataclass")
            if not issubclass(cls, Payload):
                raise RegistryError(f"{kind}: {cls.__name__} must derive from Payload")
            if kind in self.kinds:
                raise RegistryError(f"{kind}: registered twice")
            names = {f.name for f in dataclasses.fields(cls)}
            if names & {"event_kind", "subject", "replica", "ballot", "private", "renamed"}:
                raise RegistryError(f"{kind}: a field shadows a registry attribute")
            if not set(private) <= names or not set((renamed or {}).values()) <= names:
                raise RegistryError(f"{kind}: private/renamed name no field")
            cls.event_kind = kind
            cls.subject = cls.__module__.rsplit(".", 1)[-1]
            cls.replica = replica
            cls.ballot = ballot
            cls.private = frozenset(private)
            cls.renamed = dict(renamed or {})
            self.kinds[kind] = cls
            return cls

        return register

    def reducer(self, cls: type[Payload]) -> Callable[[R], R]:
        """Register the one reducer of a registered kind."""

        def register(fn: R) -> R:
            if self.kinds.get(cls.event_kind) is not cls:
                raise RegistryError(f"reducer {fn.__name__} for an unregistered kind")
            if cls.event_kind in self.reducers:
                raise RegistryError(f"{cls.event_kind}: a second reducer {fn.__name__}")
            self.reducers[cls.event_kind] = fn
            return fn

        return register

    def check(self) -> None:
        """Every kind has its reducer (the other way round is refused at registration)."""
        missing = sorted(set(self.kinds) - set(self.reducers))
        if missing:
            raise RegistryError(f"kinds without a reducer: {', '.join(missing)}")

    # --- use -------------------------------------------------------------------------------

    def load(self, kind: str, data: Mapping[str, Any]) -> Payload:
        """A stored payload as its dataclass (older shapes accepted, see the module doc)."""
        cls = self.kinds.get(kind)
        if cls is None:
            raise PayloadError(f"unknown event kind {kind!r}")
        values = {cls.renamed.get(k, k): v for k, v in data.items()}
        args = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in values:
                v = values[f.name]
                args[f.name] = tuple(v) if isinstance(v, list) else v
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise PayloadError(f"{kind}: the stored payload lacks {f.name!r}")
        return cls(**args)

    def apply(self, world: Any, event: Event) -> None:
        """Reduce ``event`` into ``world`` (a ``session.world.World``) by its kind's reducer."""
        self.reducers[event.kind](world, self.load(event.kind, event.payload), event)

    def select(self, **flags: bool) -> frozenset[str]:
        """The kinds whose flags (``replica``, ``ballot``) have the given values."""
        return frozenset(
            k for k, c in self.kinds.items() if all(getattr(c, f) is v for f, v in flags.items())
        )

    def public(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """A payload without its private fields (a PIN hash never leaves the host)."""
        cls = self.kinds.get(kind)
        if cls is None or not cls.private:
            return payload
        return {k: v for k, v in payload.items() if k not in cls.private}

    def docs_list(self) -> str:
        """The Markdown list of kinds per subject that ``docs/architecture.md`` carries."""
        subjects: dict[str, list[str]] = {}
        for kind, cls in self.kinds.items():
            subjects.setdefault(cls.subject, []).append(f"`{kind}`")
        order = sorted(subjects, key=lambda s: (SUBJECTS.index(s) if s in SUBJECTS else 99, s))
        return "\n".join(f"- `session/{s}.py`: {', '.join(subjects[s])}" for s in order)


REGISTRY = Registry()
event = REGISTRY.event
reducer = REGISTRY.reducer
