"""Kept so that imports written before the state machine was grouped by subject still work:
the state lives in ``meetingapp.session.world`` now."""

from meetingapp.session.world import (
    Consent,
    DeviceInfo,
    Presenter,
    SessionRecord,
    World,
    apply,
    rule_from,
    rule_to,
)

__all__ = [
    "Consent",
    "DeviceInfo",
    "Presenter",
    "SessionRecord",
    "World",
    "apply",
    "rule_from",
    "rule_to",
]
