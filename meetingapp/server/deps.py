"""What every endpoint shares: the HTTP-layer error, the caller, role checks, language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, WebSocket
from fastapi.responses import JSONResponse

from meetingapp.errors import (
    DuplicateCommand,
    InvalidTransition,
    InvalidValue,
    MeetingAppError,
    NotFound,
)
from meetingapp.i18n import LANGUAGES
from meetingapp.server.auth import Device
from meetingapp.server.host import Host
from meetingapp.server.web import cookie_token
from meetingapp.wire import Role

RUNNERS = (Role.SECRETARY, Role.CHAIR)
SETUP = (Role.SECRETARY,)
ANYONE = tuple(Role)
# A raw body (PDF, image, audio) in the OpenAPI spec, so clients and fuzzers can send one.
BINARY_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class ApiError(MeetingAppError):
    """An error of the HTTP layer (authentication, rate limits, uploads)."""

    def __init__(self, status: int, key: str, **params: object) -> None:
        self.status = status
        super().__init__(key, **params)


STATUS = {NotFound: 404, InvalidValue: 422, InvalidTransition: 409, DuplicateCommand: 409}


def language(request: Request | WebSocket) -> str:
    lang = request.headers.get("accept-language", "vi")[:2].lower()
    return lang if lang in LANGUAGES else "vi"


def problem(status: int, detail: str, code: str) -> JSONResponse:
    return JSONResponse(
        {"type": "about:blank", "title": code, "status": status, "detail": detail, "code": code},
        status_code=status,
        media_type="application/problem+json",
    )


@dataclass(frozen=True)
class Caller:
    device: Device
    host: Host

    @property
    def actor(self) -> str:
        return self.device.delegate_id or self.device.device_id


def authenticate(host: Host, token: str | None) -> Device:
    device = host.devices.lookup(token) if token else None
    if device is None:
        raise ApiError(401, "auth.required")
    return device


def request_token(request: Request | WebSocket) -> str | None:
    """The bearer token (Qt clients, scripts) or else the web page's HttpOnly cookie; a
    cookie-authenticated unsafe request has passed the CSRF gate (``server.web.WebGuard``)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:]
    return cookie_token(request.headers)


def allow(*roles: Role) -> Callable[[Request], Caller]:
    def dependency(request: Request) -> Caller:
        host: Host = request.app.state.host
        device = authenticate(host, request_token(request))
        if device.role not in roles:
            raise ApiError(403, "auth.forbidden", role=device.role.value)
        return Caller(device, host)

    return dependency


def acting_for(caller: Caller, delegate_id: str | None) -> str:
    """The delegate a command is for: a delegate device acts only for its own delegate."""
    dev = caller.device
    if dev.role is Role.DELEGATE:
        if dev.delegate_id is None:
            raise ApiError(403, "auth.not_bound")
        if delegate_id not in (None, dev.delegate_id):
            raise ApiError(403, "auth.not_yours")
        return dev.delegate_id
    if delegate_id is None:
        raise InvalidValue(field="delegate_id", detail="required")
    return delegate_id


# Who may call an endpoint (module level, so FastAPI can resolve the annotations).
Setup = Annotated[Caller, Depends(allow(*SETUP))]
Runner = Annotated[Caller, Depends(allow(*RUNNERS))]
Anyone = Annotated[Caller, Depends(allow(*ANYONE))]
Voter = Annotated[Caller, Depends(allow(Role.DELEGATE))]
DelegateDevice = Annotated[Caller, Depends(allow(Role.DELEGATE))]
Operator = Annotated[Caller, Depends(allow(Role.SECRETARY, Role.CHAIR, Role.DELEGATE))]
