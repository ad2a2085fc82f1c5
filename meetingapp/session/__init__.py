"""The session state machine, grouped by subject.

- ``registry``: every event kind is a frozen dataclass with one reducer, registered once.
- ``world``: ``World`` (the state of everything) and ``apply`` (one event into it).
- ``base``: the plumbing every command shares (one transaction per command, idempotency).
- ``organisation``, ``faces``, ``agenda``, ``roll_call``, ``floor``, ``speech``, ``votes``,
  ``minutes``: each subject's events, reducers and commands.
- ``machine``: ``SessionMachine``, all the commands together.
"""

from meetingapp.domain import DelegateSpec
from meetingapp.session.base import Change, new_id, now_iso
from meetingapp.session.machine import SessionMachine
from meetingapp.session.registry import REGISTRY, Payload
from meetingapp.session.world import SessionRecord, World, apply, rule_from, rule_to

__all__ = [
    "REGISTRY",
    "Change",
    "DelegateSpec",
    "Payload",
    "SessionMachine",
    "SessionRecord",
    "World",
    "apply",
    "new_id",
    "now_iso",
    "rule_from",
    "rule_to",
]
