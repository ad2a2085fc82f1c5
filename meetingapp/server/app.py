"""The host's HTTP and WebSocket API.

Commands are HTTPS requests with JSON bodies (validated by pydantic); every state change goes
through the single writer. Errors come back as RFC 9457 problem details whose ``detail`` is a
sentence in the language of ``Accept-Language`` (Vietnamese by default).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse, Response

from meetingapp import __version__
from meetingapp.domain import AttendanceMethod, Choice, choice_padding
from meetingapp.errors import (
    InvalidValue,
    NotFound,
)
from meetingapp.events import Event
from meetingapp.pins import hash_pin, verify_pin
from meetingapp.rules import Rule
from meetingapp.server import models as m
from meetingapp.server.auth import Device, format_code
from meetingapp.server.deps import (
    ANYONE,
    BINARY_BODY,
    RUNNERS,
    Anyone,
    ApiError,
    Caller,
    Runner,
    Setup,
    Voter,
    acting_for,
    allow,
    authenticate,
    language,
)
from meetingapp.server.device_routes import add_device_routes
from meetingapp.server.documents import read_pdf_upload
from meetingapp.server.face_routes import add_face_routes
from meetingapp.server.host import Host
from meetingapp.server.hub import Subscriber
from meetingapp.server.limits import BodyLimit
from meetingapp.server.minutes_routes import add_minutes_routes
from meetingapp.server.problems import install as install_problem_handlers
from meetingapp.server.speech_routes import add_speech_routes
from meetingapp.server.writer import Writer
from meetingapp.session import DelegateSpec, new_id
from meetingapp.wire import Role, event_message, visible


def create_app(host: Host) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        host.attach(loop)
        yield

    app = FastAPI(title="meetingapp host", version=__version__, lifespan=lifespan)
    app.state.host = host

    install_problem_handlers(app)
    app.add_middleware(BodyLimit)  # outermost: counts body bytes before parsing or auth
    add_public_routes(app, host)
    add_setup_routes(app, host)
    add_session_routes(app, host)
    add_vote_routes(app, host)
    add_stream(app, host)
    add_face_routes(app, host)
    add_speech_routes(app, host)
    add_minutes_routes(app, host)
    add_device_routes(app, host)
    return app


def _call(host: Host, fn: Callable[[Writer], Any]) -> Any:
    return host.writer.call(fn)


def add_public_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "ca_fingerprint": host.tls.fingerprint}

    @app.get("/api/ca.pem")
    async def ca() -> Response:
        return Response(host.tls.ca_cert.read_bytes(), media_type="application/x-pem-file")

    @app.post("/api/pair")
    async def pair(body: m.PairIn, request: Request) -> dict[str, Any]:
        where = request.client.host if request.client else "?"
        attempt = host.pair_limiter.acquire(address=where)  # counted before the code is tried
        code = host.codes.redeem(body.code)
        if code is None:
            raise ApiError(401, "auth.bad_code")
        attempt.succeeded()
        device = Device(new_id("dev"), code.role, body.device_name, code.delegate_id)

        def register(w: Writer) -> str:
            w.machine.device_paired(
                device.device_id,
                role=device.role.value,
                name=device.name,
                delegate_id=device.delegate_id,
                actor="pairing",
            )
            return w.devices.add(w.db, device, w.machine.clock())

        token = await _call(host, register)
        return {
            "token": token,
            "device_id": device.device_id,
            "role": device.role.value,
            "delegate_id": device.delegate_id,
            "ca_fingerprint": host.tls.fingerprint,
        }

    @app.post("/api/login")
    async def login(
        body: m.LoginIn, caller: Annotated[Caller, Depends(allow(Role.DELEGATE))]
    ) -> dict[str, Any]:
        await check_pin(host, body.delegate_id, body.pin, caller.device.device_id)

        def bind(w: Writer) -> None:
            w.machine.device_bound(
                caller.device.device_id, body.delegate_id, actor=caller.device.device_id
            )
            w.devices.bind(w.db, caller.device, body.delegate_id)

        await _call(host, bind)
        return {"device_id": caller.device.device_id, "delegate_id": body.delegate_id}

    @app.get("/api/me")
    async def me(caller: Anyone) -> dict[str, Any]:
        d = caller.device
        return {
            "device_id": d.device_id,
            "role": d.role.value,
            "delegate_id": d.delegate_id,
            "name": d.name,
        }


async def check_pin(host: Host, delegate_id: str, pin: str, device_id: str) -> None:
    """Verify a delegate's PIN. The attempt is counted (per delegate, per device and for the
    whole host) before anything is awaited, so parallel guesses cannot slip past the limit."""
    attempt = host.pin_limiter.acquire(delegate=delegate_id, device=device_id)

    def stored(w: Writer) -> str:
        d = w.machine.world.delegates.get(delegate_id)
        if d is None:
            raise NotFound(kind="delegate", ident=delegate_id)
        return d.pin_hash

    pin_hash = await _call(host, stored)
    if not pin_hash or not await asyncio.to_thread(verify_pin, pin, pin_hash):
        raise ApiError(401, "auth.bad_pin")
    attempt.succeeded()


def add_setup_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/pairing-codes")
    async def pairing_code(body: m.PairingCodeIn, caller: Setup) -> dict[str, Any]:
        if body.delegate_id is not None:
            await _call(host, lambda w: _delegate_exists(w, body.delegate_id or ""))
        issued = host.codes.issue(body.role, body.delegate_id)
        return {
            "code": format_code(issued.code),
            "role": issued.role.value,
            "delegate_id": issued.delegate_id,
            "qr": host.pairing_uri(issued.code),
        }

    @app.post("/api/bodies")
    async def create_body(body: m.BodyIn, caller: Setup) -> dict[str, str]:
        body_id = await _call(
            host, lambda w: w.machine.create_body(**body.model_dump(), actor=caller.actor)
        )
        return {"id": body_id}

    @app.post("/api/bodies/{body_id}/delegates")
    async def add_delegates(body_id: str, body: m.DelegatesIn, caller: Setup) -> dict[str, Any]:
        specs = [
            DelegateSpec(
                full_name=d.full_name,
                title=d.title,
                unit=d.unit,
                seat=d.seat,
                contact=d.contact,
                id=d.id,
                pin_hash=await asyncio.to_thread(hash_pin, d.pin) if d.pin else "",
            )
            for d in body.delegates
        ]
        ids = await _call(
            host, lambda w: w.machine.add_delegates(body_id, specs, actor=caller.actor)
        )
        return {"ids": ids}

    @app.post("/api/bodies/{body_id}/rules")
    async def define_rule(body_id: str, body: m.RuleIn, caller: Setup) -> dict[str, Any]:
        """Add or replace one of the body's rules (e.g. three quarters of the total)."""
        rule = Rule(**body.model_dump())
        event = await _call(
            host, lambda w: w.machine.define_rule(body_id, rule, actor=caller.actor)
        )
        return _event_result(event)

    @app.post("/api/sessions")
    async def create_session(body: m.SessionIn, caller: Setup) -> dict[str, str]:
        sid = await _call(
            host, lambda w: w.machine.create_session(**body.model_dump(), actor=caller.actor)
        )
        return {"id": sid}

    @app.post("/api/sessions/{session_id}/agenda")
    async def add_item(session_id: str, body: m.ItemIn, caller: Setup) -> dict[str, str]:
        iid = await _call(
            host,
            lambda w: w.machine.add_agenda_item(
                session_id, **body.model_dump(), actor=caller.actor
            ),
        )
        return {"id": iid}

    @app.post(
        "/api/sessions/{session_id}/documents",
        openapi_extra=BINARY_BODY,
    )
    async def upload_document(
        session_id: str,
        request: Request,
        caller: Setup,
        item_id: Annotated[str, Query(min_length=1, max_length=64)],
        title: Annotated[str, Query(min_length=1, max_length=300)],
        doc_type: Annotated[str, Query(max_length=100)] = "",
        number_symbol: Annotated[str, Query(max_length=100)] = "",
    ) -> dict[str, Any]:
        data = await read_pdf_upload(request, host.max_upload_bytes)
        digest, pages = await asyncio.to_thread(host.store_pdf, data)
        doc_id = await _call(
            host,
            lambda w: w.machine.add_document(
                session_id,
                item_id=item_id,
                title=title,
                doc_type=doc_type,
                number_symbol=number_symbol,
                file_hash=digest,
                pages=pages,
                actor=caller.actor,
            ),
        )
        return {"id": doc_id, "file_hash": digest, "pages": pages}

    @app.get("/api/documents/{file_hash}")
    async def download(
        file_hash: str, request: Request, caller: Annotated[Caller, Depends(allow(*ANYONE))]
    ) -> Response:
        path = host.document_path(file_hash)
        if path is None:
            raise NotFound(kind="document", ident=file_hash[:64])
        if request.headers.get("if-none-match") == f'"{file_hash}"':
            return Response(status_code=304)
        return FileResponse(
            path,
            media_type="application/pdf",
            headers={
                "ETag": f'"{file_hash}"',
                "Cache-Control": "private, max-age=31536000, immutable",
            },
        )


def _delegate_exists(w: Writer, delegate_id: str) -> None:
    if delegate_id not in w.machine.world.delegates:
        raise NotFound(kind="delegate", ident=delegate_id)


def add_session_routes(app: FastAPI, host: Host) -> None:
    def simple(path: str, action: Callable[[Writer, str, Caller], Event | str | None]) -> None:
        async def handler(session_id: str, caller: Runner) -> dict[str, Any]:
            result = await _call(host, lambda w: action(w, session_id, caller))
            return _event_result(result)

        handler.__name__ = "post_" + path.strip("/").replace("/", "_").replace("-", "_")
        app.post("/api/sessions/{session_id}" + path)(handler)

    simple("/open", lambda w, s, c: w.machine.open_session(s, actor=c.actor))
    simple("/close", lambda w, s, c: w.machine.close_session(s, actor=c.actor))
    simple("/roll-call/start", lambda w, s, c: w.machine.start_roll_call(s, actor=c.actor))
    simple("/roll-call/close", lambda w, s, c: w.machine.close_roll_call(s, actor=c.actor))

    @app.get("/api/sessions/{session_id}/state")
    async def state(session_id: str, caller: Anyone) -> Response:
        _, text = await host.snapshot(session_id, caller.device)
        return Response(text, media_type="application/json")

    @app.post("/api/sessions/{session_id}/check-in")
    async def check_in(session_id: str, body: m.CheckInIn, caller: Anyone) -> dict[str, Any]:
        if caller.device.role in (Role.CLERK, Role.DISPLAY):
            raise ApiError(403, "auth.forbidden", role=caller.device.role.value)
        delegate_id = acting_for(caller, body.delegate_id)
        if caller.device.role is Role.DELEGATE:  # self check-in needs the PIN
            if body.method is not AttendanceMethod.PIN or body.pin is None:
                raise InvalidValue(field="pin", detail="required")
            await check_pin(host, delegate_id, body.pin, caller.device.device_id)
        event = await _call(
            host,
            lambda w: w.machine.check_in(
                session_id,
                delegate_id,
                method=body.method,
                reason=body.reason,
                actor=caller.actor,
                command_id=body.command_id,
            ),
        )
        return _event_result(event)

    @app.post("/api/sessions/{session_id}/check-out")
    async def check_out(session_id: str, body: m.CheckOutIn, caller: Runner) -> dict[str, Any]:
        event = await _call(
            host,
            lambda w: w.machine.check_out(
                session_id, body.delegate_id, reason=body.reason, actor=caller.actor
            ),
        )
        return _event_result(event)

    @app.post("/api/sessions/{session_id}/absences")
    async def note_absence(session_id: str, body: m.AbsenceIn, caller: Runner) -> dict[str, Any]:
        """Why an absent delegate is absent (vắng có lý do), for the minutes."""
        event = await _call(
            host,
            lambda w: w.machine.note_absence(
                session_id, body.delegate_id, reason=body.reason, actor=caller.actor
            ),
        )
        return _event_result(event)

    @app.post("/api/sessions/{session_id}/items/{item_id}/start")
    async def start_item(session_id: str, item_id: str, caller: Runner) -> dict[str, Any]:
        return _event_result(
            await _call(
                host, lambda w: w.machine.start_item(session_id, item_id, actor=caller.actor)
            )
        )

    @app.post("/api/sessions/{session_id}/items/{item_id}/end")
    async def end_item(session_id: str, item_id: str, caller: Runner) -> dict[str, Any]:
        return _event_result(
            await _call(host, lambda w: w.machine.end_item(session_id, item_id, actor=caller.actor))
        )

    @app.post("/api/sessions/{session_id}/presenter")
    async def presenter(session_id: str, body: m.PresenterIn, caller: Runner) -> dict[str, Any]:
        return _event_result(
            await _call(
                host,
                lambda w: w.machine.move_presenter(
                    session_id, body.document_id, body.page, actor=caller.actor
                ),
            )
        )

    @app.post("/api/sessions/{session_id}/floor")
    async def request_floor(session_id: str, body: m.FloorIn, caller: Anyone) -> dict[str, Any]:
        if caller.device.role in (Role.CLERK, Role.DISPLAY):
            raise ApiError(403, "auth.forbidden", role=caller.device.role.value)
        delegate_id = acting_for(caller, body.delegate_id)
        event = await _call(
            host,
            lambda w: w.machine.request_floor(
                session_id, delegate_id, actor=caller.actor, command_id=body.command_id
            ),
        )
        return {**_event_result(event), "request_id": event.payload["id"]}

    @app.post("/api/sessions/{session_id}/floor/{request_id}/withdraw")
    async def withdraw(session_id: str, request_id: str, caller: Anyone) -> dict[str, Any]:
        def run(w: Writer) -> Event:
            req = w.machine.record(session_id).floor.get(request_id)
            if req is None:
                raise NotFound(kind="floor request", ident=request_id)
            if caller.device.role not in RUNNERS:
                acting_for(caller, req.delegate_id)  # refuses another delegate's request
            return w.machine.withdraw_floor(session_id, request_id, actor=caller.actor)

        return _event_result(await _call(host, run))

    @app.post("/api/sessions/{session_id}/floor/reorder")
    async def reorder(session_id: str, body: m.ReorderIn, caller: Runner) -> dict[str, Any]:
        return _event_result(
            await _call(
                host, lambda w: w.machine.reorder_floor(session_id, body.order, actor=caller.actor)
            )
        )

    @app.post("/api/sessions/{session_id}/floor/{request_id}/grant")
    async def grant(
        session_id: str, request_id: str, body: m.GrantIn, caller: Runner
    ) -> dict[str, Any]:
        speech_id = await _call(
            host,
            lambda w: w.machine.grant_floor(
                session_id, request_id, time_limit_s=body.time_limit_s, actor=caller.actor
            ),
        )
        return {"speech_id": speech_id}

    @app.post("/api/sessions/{session_id}/speeches/{speech_id}/end")
    async def end_speech(session_id: str, speech_id: str, caller: Runner) -> dict[str, Any]:
        return _event_result(
            await _call(
                host, lambda w: w.machine.end_speech(session_id, speech_id, actor=caller.actor)
            )
        )


def add_vote_routes(app: FastAPI, host: Host) -> None:
    @app.post("/api/sessions/{session_id}/motions")
    async def open_motion(session_id: str, body: m.MotionIn, caller: Runner) -> dict[str, str]:
        mid = await _call(
            host,
            lambda w: w.machine.open_motion(
                session_id,
                title=body.title,
                form=body.form,
                rule=body.rule,
                item_id=body.item_id,
                allow_change=body.allow_change,
                actor=caller.actor,
            ),
        )
        return {"id": mid}

    @app.post("/api/sessions/{session_id}/motions/{motion_id}/ballots")
    async def cast(
        session_id: str, motion_id: str, body: m.BallotIn, caller: Voter
    ) -> dict[str, Any]:
        """Cast (or, while allowed, change) this delegate's ballot. The receipt comes only
        after the ballot is committed to disk; retrying with the same command_id is safe."""
        delegate_id = acting_for(caller, None)
        event = await _call(
            host,
            lambda w: w.machine.cast_ballot(
                session_id,
                motion_id,
                delegate_id,
                Choice(body.choice),
                actor=delegate_id,
                command_id=f"{caller.device.device_id}:{body.command_id}",
            ),
        )
        return {
            "receipt": event.hash[:16],
            "seq": event.seq,
            "motion_id": motion_id,
            "choice": body.choice.value,
            "pad": choice_padding(body.choice),  # a receipt's size says nothing of the choice
        }

    @app.post("/api/sessions/{session_id}/motions/{motion_id}/hands")
    async def hands(
        session_id: str, motion_id: str, body: m.HandsIn, caller: Runner
    ) -> dict[str, Any]:
        return _event_result(
            await _call(
                host,
                lambda w: w.machine.record_show_of_hands(
                    session_id,
                    motion_id,
                    yes=body.yes,
                    no=body.no,
                    abstain=body.abstain,
                    actor=caller.actor,
                ),
            )
        )

    @app.post("/api/sessions/{session_id}/motions/{motion_id}/close")
    async def close(session_id: str, motion_id: str, caller: Runner) -> dict[str, Any]:
        event = await _call(
            host, lambda w: w.machine.close_motion(session_id, motion_id, actor=caller.actor)
        )
        return {**_event_result(event), "result": event.payload}


def _event_result(result: Event | str | None) -> dict[str, Any]:
    if isinstance(result, Event):
        return {"seq": result.seq, "kind": result.kind}
    return {"id": result}


def add_stream(app: FastAPI, host: Host) -> None:
    @app.websocket("/api/ws")
    async def stream(ws: WebSocket, session_id: str, token: str = "", after: int = -1) -> None:
        """A snapshot (or the events missed since ``after``), then every event as it happens."""
        try:
            device = authenticate(host, token)
        except ApiError:
            await ws.close(code=4401)
            return
        await ws.accept()
        sub = Subscriber(device.role, device.delegate_id, session_id)
        host.hub.subscribe(sub)
        sender = asyncio.create_task(_send_loop(ws, host, sub, device, after))
        try:
            while True:  # clients send nothing; this notices when they go away
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            sender.cancel()
            host.hub.unsubscribe(sub)


async def _send_loop(
    ws: WebSocket, host: Host, sub: Subscriber, device: Device, after: int
) -> None:
    try:
        last = await _catch_up(ws, host, sub, device, after)
        if last is None:
            return
        while True:
            item = await sub.queue.get()
            if item is None:
                await ws.close(code=4408)  # too slow: reconnect and resync
                return
            seq, text = item
            if not host.devices.active(device.device_id):
                await ws.close(code=4401)  # revoked or expired while connected
                return
            if seq == 0 or seq > last:
                await ws.send_text(text)
                last = max(last, seq)
    except (WebSocketDisconnect, RuntimeError, OSError):
        return


async def _catch_up(
    ws: WebSocket, host: Host, sub: Subscriber, device: Device, after: int
) -> int | None:
    missed = host.hub.since(after) if after >= 0 else None
    if missed is not None:
        for event in missed:
            if event.session_id in (sub.session_id, None) and visible(
                event, sub.role, sub.delegate_id
            ):
                await ws.send_json(event_message(event))
        return missed[-1].seq if missed else after
    try:
        seq, text = await host.snapshot(sub.session_id, device)
    except NotFound as exc:
        await ws.send_json({"type": "error", "code": exc.key, "detail": exc.message(language(ws))})
        await ws.close(code=4404)
        return None
    await ws.send_text(text)
    return seq
