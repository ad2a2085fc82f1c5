"""Typed errors of the core. Each carries a message key and the data its message needs;
the text is produced in the reader's language at the boundary (CLI, server, UI)."""

from __future__ import annotations

from dataclasses import dataclass

from meetingapp.i18n import tr


class MeetingAppError(Exception):
    """Root of every error the app reports to a person."""

    key = "invalid_value"

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        return tr(self.key, lang, **self.params)


class InvalidTransition(MeetingAppError):
    """A command that the session's current state does not allow."""

    key = "illegal_transition"

    def __init__(self, action: str, reason: str, **extra: object) -> None:
        self.action = action
        self.reason = reason
        super().__init__(action=action, reason=reason, **extra)

    def message(self, lang: str | None = None) -> str:
        extra = {k: v for k, v in self.params.items() if k not in ("action", "reason")}
        action = tr(f"action.{self.action}", lang)  # in words, never the command's name
        action = self.action if action == f"action.{self.action}" else action
        return tr(self.key, lang, action=action, reason=tr(self.reason, lang, **extra))


class NotFound(MeetingAppError):
    key = "unknown_entity"


class InvalidValue(MeetingAppError, ValueError):
    key = "invalid_value"


class DuplicateCommand(MeetingAppError):
    key = "duplicate_command"


class StoreError(MeetingAppError):
    key = "db.not_sqlite"


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    detail_key: str
    detail_params: tuple[tuple[str, object], ...] = ()

    def message(self, lang: str | None = None) -> str:
        detail = tr(self.detail_key, lang, **dict(self.detail_params))
        return tr("roster.row_error", lang, line=self.line, field=self.field, detail=detail)


class RosterImportError(MeetingAppError):
    """The roster file was rejected; ``rows`` lists every problem with its line number."""

    key = "roster.failed"

    def __init__(self, rows: list[RowError]) -> None:
        self.rows = rows
        super().__init__(count=len(rows))

    def message(self, lang: str | None = None) -> str:
        lines = [tr(self.key, lang, count=len(self.rows))]
        lines += ["  " + r.message(lang) for r in self.rows]
        return "\n".join(lines)


class LogTampered(MeetingAppError):
    key = "log.broken"
