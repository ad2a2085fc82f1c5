"""The client library for the host (Qt-free): pairing, commands, and the live event stream
with automatic reconnect and resync. Used by the UI, the demo, the tests and the benchmark.

The live state of a session (``LiveSession``, the device's replica) is in ``replica.py``.

Trust: the host's CA is fetched once and accepted only if its SHA-256 fingerprint equals the one
shown in the pairing QR code; after that every connection is verified against that CA.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import ssl
import uuid
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from meetingapp.domain import (
    AttendanceMethod,
    BallotForm,
    BodyKind,
    Choice,
    ItemKind,
    choice_padding,
)
from meetingapp.errors import MeetingAppError
from meetingapp.replica import LiveSession

log = logging.getLogger(__name__)
RETRIES = 5

__all__ = [
    "HostClient",
    "HostError",
    "LiveSession",
    "TrustError",
    "context_for_ca",
    "pinned_context",
]


class HostError(MeetingAppError):
    """The host refused a request; ``detail`` is already in the requested language."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        self.status, self.code, self.detail = status, code, detail
        super().__init__(code)

    def message(self, lang: str | None = None) -> str:
        return self.detail

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.detail}"


class TrustError(MeetingAppError):
    key = "auth.required"


def pinned_context(url: str, fingerprint: str, *, timeout: float = 10) -> ssl.SSLContext:
    """An SSL context trusting the host's CA, after checking it against the pinned value."""
    # only to fetch the CA, checked below: no system trust store to load (tens of ms a tablet)
    insecure = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    pem = httpx.get(f"{url}/api/ca.pem", verify=insecure, timeout=timeout).content
    return context_for_ca(pem, fingerprint)


def context_for_ca(pem: bytes, fingerprint: str | None = None) -> ssl.SSLContext:
    cert = x509.load_pem_x509_certificate(pem)
    actual = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    if fingerprint is not None and actual != fingerprint.lower():
        raise TrustError("auth.required")
    ctx = ssl.create_default_context(cadata=pem.decode())
    ctx.check_hostname = False  # the CA is private and pinned; LAN addresses change
    return ctx


class HostClient:
    """One device's connection to the host."""

    def __init__(
        self,
        url: str,
        ssl_context: ssl.SSLContext,
        *,
        token: str | None = None,
        lang: str = "vi",
        timeout: float = 30,
    ) -> None:
        self.url = url.rstrip("/")
        self.ssl = ssl_context
        self.token = token
        self.lang = lang
        self.http = httpx.AsyncClient(
            base_url=self.url,
            verify=ssl_context,
            timeout=timeout,
            limits=httpx.Limits(max_connections=4),
        )

    @classmethod
    def from_host_json(cls, data_dir: Path, *, console: bool = True, **kw: Any) -> HostClient:
        """A client on the host machine itself, trusting the CA file and (for the local
        console) using the token file the host wrote."""
        info = json.loads((data_dir / "host.json").read_text())
        ctx = context_for_ca(Path(info["ca_cert"]).read_bytes(), info["ca_fingerprint"])
        token = Path(info["console_token_file"]).read_text().strip() if console else None
        return cls(info["url"], ctx, token=token, **kw)

    async def close(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> HostClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- transport -----------------------------------------------------------------------

    def stream_headers(self) -> dict[str, str]:
        """Extra headers of the event stream's handshake (a bearer client sends its token in
        the URL instead; ``bench/vote_load.py``'s browser-protocol tablets send their cookie)."""
        return {}

    def _headers(self) -> dict[str, str]:
        headers = {"Accept-Language": self.lang}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: bytes | None = None,
        params: dict[str, Any] | None = None,
        content_type: str | None = None,
        retry: bool = False,
    ) -> Any:
        """Send one request. With ``retry`` (only for idempotent commands: those carrying a
        command id), a dropped connection is retried with the same body."""
        headers = self._headers()
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(RETRIES if retry else 1):
            try:
                resp = await self.http.request(
                    method, path, json=json_body, content=content, params=params, headers=headers
                )
                break
            except httpx.TransportError:
                if attempt == (RETRIES if retry else 1) - 1:
                    raise
                await asyncio.sleep(0.05 * 2**attempt)
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {"code": "http", "detail": resp.text[:200]}
            raise HostError(resp.status_code, body.get("code", "http"), body.get("detail", ""))
        return resp.json() if resp.content else None

    async def post(self, path: str, body: Any = None, *, retry: bool = False) -> Any:
        return await self.request(
            "POST", path, json_body=body if body is not None else {}, retry=retry
        )

    async def get(self, path: str) -> Any:
        return await self.request("GET", path)

    # --- pairing --------------------------------------------------------------------------

    async def pairing_code(self, role: str, delegate_id: str | None = None) -> dict[str, Any]:
        return await self.post("/api/pairing-codes", {"role": role, "delegate_id": delegate_id})

    async def pair(self, code: str, device_name: str) -> dict[str, Any]:
        result = await self.post("/api/pair", {"code": code, "device_name": device_name})
        self.token = result["token"]
        return result

    async def login(self, delegate_id: str, pin: str) -> dict[str, Any]:
        return await self.post("/api/login", {"delegate_id": delegate_id, "pin": pin})

    # --- set-up -----------------------------------------------------------------------------

    async def create_body(self, kind: BodyKind, name: str, total_seats: int, term: str = "") -> str:
        body = {"kind": kind.value, "name": name, "total_seats": total_seats, "term": term}
        return (await self.post("/api/bodies", body))["id"]

    async def define_rule(self, body_id: str, rule: dict[str, Any]) -> Any:
        """Add or replace a rule of the body (fields as ``rules.Rule``)."""
        return await self.post(f"/api/bodies/{body_id}/rules", rule)

    async def add_delegates(self, body_id: str, delegates: list[dict[str, Any]]) -> list[str]:
        return (await self.post(f"/api/bodies/{body_id}/delegates", {"delegates": delegates}))[
            "ids"
        ]

    async def create_session(self, **fields: Any) -> str:
        return (await self.post("/api/sessions", fields))["id"]

    async def add_item(
        self, session_id: str, title: str, presenter: str = "", kind: ItemKind = ItemKind.REPORT
    ) -> str:
        body = {"title": title, "presenter": presenter, "kind": kind.value}
        return (await self.post(f"/api/sessions/{session_id}/agenda", body))["id"]

    async def amend_item(
        self, session_id: str, item_id: str, title: str, presenter: str, kind: ItemKind
    ) -> Any:
        body = {"title": title, "presenter": presenter, "kind": kind.value}
        return await self.post(f"/api/sessions/{session_id}/agenda/{item_id}/amend", body)

    async def reorder_agenda(self, session_id: str, order: list[str]) -> Any:
        return await self.post(f"/api/sessions/{session_id}/agenda/reorder", {"order": order})

    async def remove_item(self, session_id: str, item_id: str, reason: str = "") -> Any:
        path = f"/api/sessions/{session_id}/agenda/{item_id}/remove"
        return await self.post(path, {"reason": reason})

    async def upload_document(
        self,
        session_id: str,
        item_id: str,
        title: str,
        pdf: bytes,
        doc_type: str = "",
        number_symbol: str = "",
    ) -> dict[str, Any]:
        params = {
            "item_id": item_id,
            "title": title,
            "doc_type": doc_type,
            "number_symbol": number_symbol,
        }
        return await self.request(
            "POST",
            f"/api/sessions/{session_id}/documents",
            content=pdf,
            params=params,
            content_type="application/pdf",
        )

    async def download_document(self, file_hash: str, cache_dir: Path) -> Path:
        """The document's PDF, from the tablet's cache when it is already there."""
        path = cache_dir / f"{file_hash}.pdf"
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == file_hash:
            return path
        resp = await self.http.get(f"/api/documents/{file_hash}", headers=self._headers())
        if resp.status_code >= 400:
            body = resp.json()
            raise HostError(resp.status_code, body.get("code", "http"), body.get("detail", ""))
        if hashlib.sha256(resp.content).hexdigest() != file_hash:
            raise HostError(502, "document.corrupt", "downloaded file does not match its hash")
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(resp.content)
        tmp.replace(path)
        return path

    # --- running the session -----------------------------------------------------------------

    def _s(self, session_id: str, tail: str) -> str:
        return f"/api/sessions/{session_id}{tail}"

    async def open_session(self, sid: str) -> Any:
        return await self.post(self._s(sid, "/open"))

    async def close_session(self, sid: str) -> Any:
        return await self.post(self._s(sid, "/close"))

    async def start_roll_call(self, sid: str) -> Any:
        return await self.post(self._s(sid, "/roll-call/start"))

    async def close_roll_call(self, sid: str) -> Any:
        return await self.post(self._s(sid, "/roll-call/close"))

    async def check_in(
        self,
        sid: str,
        delegate_id: str | None = None,
        *,
        method: AttendanceMethod = AttendanceMethod.PIN,
        reason: str = "",
        pin: str | None = None,
    ) -> Any:
        body = {
            "delegate_id": delegate_id,
            "method": method.value,
            "reason": reason,
            "pin": pin,
            "command_id": _command_id(),
        }
        return await self.post(self._s(sid, "/check-in"), body, retry=True)

    async def check_out(self, sid: str, delegate_id: str, reason: str) -> Any:
        return await self.post(
            self._s(sid, "/check-out"), {"delegate_id": delegate_id, "reason": reason}
        )

    async def note_absence(self, sid: str, delegate_id: str, reason: str) -> Any:
        """Why an absent delegate is absent (vắng có lý do), for the minutes."""
        return await self.post(
            self._s(sid, "/absences"), {"delegate_id": delegate_id, "reason": reason}
        )

    async def start_item(self, sid: str, item_id: str) -> Any:
        return await self.post(self._s(sid, f"/items/{item_id}/start"))

    async def end_item(self, sid: str, item_id: str) -> Any:
        return await self.post(self._s(sid, f"/items/{item_id}/end"))

    async def move_presenter(self, sid: str, document_id: str, page: int) -> Any:
        return await self.post(
            self._s(sid, "/presenter"), {"document_id": document_id, "page": page}
        )

    async def request_floor(self, sid: str, delegate_id: str | None = None) -> str:
        body = {"delegate_id": delegate_id, "command_id": _command_id()}
        return (await self.post(self._s(sid, "/floor"), body, retry=True))["request_id"]

    async def withdraw_floor(self, sid: str, request_id: str) -> Any:
        return await self.post(self._s(sid, f"/floor/{request_id}/withdraw"))

    async def reorder_floor(self, sid: str, order: list[str]) -> Any:
        return await self.post(self._s(sid, "/floor/reorder"), {"order": order})

    async def grant_floor(self, sid: str, request_id: str, time_limit_s: int | None = None) -> str:
        body = {"time_limit_s": time_limit_s}
        return (await self.post(self._s(sid, f"/floor/{request_id}/grant"), body))["speech_id"]

    async def end_speech(self, sid: str, speech_id: str) -> Any:
        return await self.post(self._s(sid, f"/speeches/{speech_id}/end"))

    async def mark_speaker(self, sid: str, speech_id: str, delegate_id: str) -> Any:
        """From now on ``delegate_id`` speaks inside the running speech (console only)."""
        return await self.post(
            self._s(sid, f"/speeches/{speech_id}/speaker"), {"delegate_id": delegate_id}
        )

    async def open_motion(
        self,
        sid: str,
        title: str,
        form: BallotForm,
        *,
        rule: str = "majority_of_total",
        allow_change: bool = True,
        resolution: bool | None = None,
    ) -> str:
        body: dict[str, Any] = {
            "title": title,
            "form": form.value,
            "rule": rule,
            "allow_change": allow_change,
        }
        if resolution is not None:  # else the host decides by the agenda item's kind
            body["resolution"] = resolution
        return (await self.post(self._s(sid, "/motions"), body))["id"]

    async def cast_ballot(
        self, sid: str, motion_id: str, choice: Choice, command_id: str | None = None
    ) -> dict[str, Any]:
        """Vote; returns the receipt. Safe to call again with the same ``command_id``."""
        body = {
            "choice": Choice(choice).value,
            "command_id": command_id or _command_id(),
            "pad": choice_padding(choice),  # the same size on the wire for every choice
        }
        return await self.post(self._s(sid, f"/motions/{motion_id}/ballots"), body, retry=True)

    async def record_hands(self, sid: str, motion_id: str, yes: int, no: int, abstain: int) -> Any:
        return await self.post(
            self._s(sid, f"/motions/{motion_id}/hands"), {"yes": yes, "no": no, "abstain": abstain}
        )

    async def close_motion(self, sid: str, motion_id: str) -> dict[str, Any]:
        return (await self.post(self._s(sid, f"/motions/{motion_id}/close")))["result"]

    async def state(self, sid: str) -> dict[str, Any]:
        return await self.get(self._s(sid, "/state"))

    # --- face check-in ---------------------------------------------------------------------

    async def record_consent(self, delegate_id: str, *, given: bool, text_version: str) -> Any:
        return await self.post(
            f"/api/delegates/{delegate_id}/consent", {"given": given, "text_version": text_version}
        )

    async def enrol_face(self, delegate_id: str, photos: list[bytes]) -> dict[str, Any]:
        body = {"photos": [base64.b64encode(p).decode() for p in photos]}
        return await self.post(f"/api/delegates/{delegate_id}/face", body)

    async def withdraw_face(self, delegate_id: str) -> Any:
        return await self.request("DELETE", f"/api/delegates/{delegate_id}/face")

    async def start_face_checkin(self, sid: str, delegate_id: str | None = None) -> dict[str, Any]:
        return await self.post(self._s(sid, "/face-checkins"), {"delegate_id": delegate_id})

    async def send_frame(self, sid: str, checkin_id: str, jpeg: bytes) -> dict[str, Any]:
        return await self.request(
            "POST",
            self._s(sid, f"/face-checkins/{checkin_id}/frames"),
            content=jpeg,
            content_type="application/octet-stream",
        )

    # --- speech ----------------------------------------------------------------------------

    async def send_audio_chunk(self, sid: str, speech_id: str, index: int, pcm: bytes) -> Any:
        """One ≤ 1 s chunk of 16 kHz mono PCM16; retried with the same index if the link drops."""
        return await self.request(
            "POST",
            self._s(sid, f"/speeches/{speech_id}/audio"),
            content=pcm,
            params={"index": index},
            content_type="application/octet-stream",
            retry=True,
        )

    async def import_audio(self, sid: str, speech_id: str, data: bytes) -> Any:
        return await self.request(
            "POST",
            self._s(sid, f"/speeches/{speech_id}/audio-file"),
            content=data,
            content_type="application/octet-stream",
        )

    async def transcribe(self, sid: str, speech_id: str) -> Any:
        return await self.post(self._s(sid, f"/speeches/{speech_id}/transcribe"))

    async def edit_segment(self, sid: str, speech_id: str, index: int, text: str) -> Any:
        return await self.post(
            self._s(sid, f"/speeches/{speech_id}/segments/{index}"), {"text": text}
        )

    async def audio_file(self, audio_ref: str, cache_dir: Path) -> Path:
        """A speech's recording (WAV), kept in ``cache_dir`` by its hash."""
        path = cache_dir / f"{audio_ref}.wav"
        if path.exists():
            return path
        resp = await self._download(f"/api/audio/{audio_ref}")
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(resp.content)
        tmp.replace(path)
        return path

    # --- minutes -----------------------------------------------------------------------------

    async def draft_minutes(self, sid: str) -> dict[str, Any]:
        """Render the draft now; returns the stored DOCX and PDF (name, sha256)."""
        return await self.post(self._s(sid, "/minutes/draft"))

    async def finalise_minutes(
        self, sid: str, reviewed_docx: bytes = b"", *, seal: bool = False
    ) -> dict[str, Any]:
        """Number and freeze the minutes (optionally from the clerk's reviewed DOCX)."""
        return await self.request(
            "POST",
            self._s(sid, "/minutes/finalise"),
            content=reviewed_docx,
            params={"seal": str(seal).lower()},
            content_type="application/octet-stream",
        )

    async def _download(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        resp = await self.http.get(path, params=params, headers=self._headers())
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            raise HostError(resp.status_code, body.get("code", "http"), body.get("detail", ""))
        return resp

    async def minutes_file(self, sha256: str, kind: str = "pdf") -> bytes:
        resp = await self._download(f"/api/minutes-files/{sha256}", {"kind": kind})
        if kind == "pdf" and hashlib.sha256(resp.content).hexdigest() != sha256:
            raise HostError(502, "document.corrupt", "downloaded file does not match its hash")
        return resp.content

    async def trust_sheet(self, body: str = "") -> bytes:
        """The printed instruction sheet for trusting the host's CA on tablets (PDF)."""
        return (await self._download("/api/trust-sheet.pdf", {"body": body})).content

    async def devices(self) -> list[dict[str, Any]]:
        return (await self.get("/api/devices"))["devices"]

    async def revoke_device(self, device_id: str, reason: str = "") -> dict[str, Any]:
        return await self.post(f"/api/devices/{device_id}/revoke", {"reason": reason})

    async def trust_ca(self, body_id: str, pem: bytes) -> dict[str, Any]:
        """Trust a CA certificate for this body's signed minutes (``all``: every body)."""
        return await self.request(
            "POST",
            f"/api/bodies/{body_id}/trust",
            content=pem,
            content_type="application/x-pem-file",
        )

    async def upload_signed_minutes(self, sid: str, pdf: bytes) -> dict[str, Any]:
        """A copy signed on this machine; the host checks it before keeping it."""
        return await self.request(
            "POST",
            self._s(sid, "/minutes/signed"),
            content=pdf,
            content_type="application/octet-stream",
        )

    async def record_package(self, sid: str) -> tuple[str, bytes]:
        """The record package ZIP: (file name, bytes)."""
        resp = await self._download(self._s(sid, "/record"))
        disposition = resp.headers.get("content-disposition", "")
        name = disposition.split('filename="')[-1].rstrip('"') or "ho-so.zip"
        return name, resp.content

    def live(self, session_id: str) -> LiveSession:
        return LiveSession(self, session_id)


def _command_id() -> str:
    return uuid.uuid4().hex
