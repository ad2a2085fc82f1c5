"""The host process: database writer, event hub, TLS, pairing, and the uvicorn server."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asr.models import resolve as resolve_model
from asr.transcribe import Progress
from meetingapp import lan, settings
from meetingapp.checkpoints import Checkpointer
from meetingapp.domain import SessionState
from meetingapp.errors import NotFound
from meetingapp.events import Event
from meetingapp.keys import private_dir
from meetingapp.server import ca_http
from meetingapp.server.auth import Device, DeviceStore, PairingCodes
from meetingapp.server.ca_http import CaDownload
from meetingapp.server.captions import LiveCaptions
from meetingapp.server.documents import count_pages
from meetingapp.server.faces import CheckinAttempt, vault_for
from meetingapp.server.hub import Hub
from meetingapp.server.ratelimit import PAIR_LIMITS, PIN_LIMITS, AttemptLimiter
from meetingapp.server.speech import (
    Job,
    TranscriptionQueue,
    hotwords_from,
    join_recording,
    session_words,
)
from meetingapp.server.tls import TlsFiles, ensure_tls
from meetingapp.server.trust import TrustStore
from meetingapp.server.writer import Writer
from meetingapp.store.files import FileStore, atomic_write
from meetingapp.store.lock import WriterLock
from meetingapp.wire import BALLOT_EVENTS, snapshot

log = logging.getLogger(__name__)
LATE_CHUNK_GRACE_S = 1.5
HEX64 = re.compile(r"^[0-9a-f]{64}$")
ADVERTISED_KINDS = {"body_created", "session_created", "session_opened", "session_closed"}


def current_session(world: Any) -> Any:
    """The session a tablet joining now should follow: the open one, else the latest one
    still scheduled (None when there is none)."""
    records = list(world.sessions.values())
    for state in (SessionState.OPEN, SessionState.SCHEDULED):
        found = [r for r in records if r.session.state is state]
        if found:
            return found[-1]
    return None


class Host:
    def __init__(
        self,
        data_dir: Path,
        *,
        bind: str = "127.0.0.1",
        port: int = 8443,
        addresses: list[str] | None = None,
        max_upload_mb: int = 50,
        advertise: bool = True,
    ) -> None:
        self.data_dir = private_dir(data_dir)  # 0700: database, recordings, keys, tokens
        self.bind, self.port = bind, port
        # where tablets reach this host: the served interface's own addresses, never 0.0.0.0
        self.lan_addresses = [] if lan.is_loopback(bind) else lan.reachable_addresses(bind)
        names = [
            a for a in [bind, *(addresses or []), *self.lan_addresses] if a not in lan.WILDCARDS
        ]
        self.tls: TlsFiles = ensure_tls(data_dir / "tls", names)
        self.advertiser = (
            lan.Advertiser(self.lan_addresses, port, socket.gethostname())
            if advertise and self.lan_addresses
            else None
        )
        self._advertised: dict[str, str] = {}
        self._latest: dict[str, str] = {}
        self._advert_lock = threading.Lock()
        self.devices = DeviceStore()
        self.codes = PairingCodes()
        self.pair_limiter = AttemptLimiter(PAIR_LIMITS)
        self.pin_limiter = AttemptLimiter(PIN_LIMITS)
        self.files = FileStore(data_dir / "files")
        self.trust = TrustStore(data_dir / "trust")
        self.max_upload_bytes = max_upload_mb * 2**20
        self.writer = Writer(data_dir / "meetingapp.db", self.devices)
        self.hub = Hub()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.console_token_path = data_dir / "console.token"
        self._snapshots: dict[Any, Any] = {}  # writer thread only
        self.audio_dir = data_dir / "audio"
        self.transcriber = TranscriptionQueue(
            lambda: resolve_model(settings.get("asr_model")),
            on_progress=self._transcription_progress,
            on_done=self._transcription_done,
            on_error=self._transcription_error,
        )
        self.captions = (
            LiveCaptions(self.transcriber.model, self.audio_dir, self.broadcast)
            if settings.get("live_captions") != "off"
            else None
        )
        self.vault = vault_for(data_dir)
        self.checkpoints = Checkpointer(
            self.tls.ca_cert.with_name("ca.key").read_bytes(), data_dir / "checkpoints.jsonl"
        )
        self.checkins: dict[str, CheckinAttempt] = {}  # face check-ins in progress
        self.lock: WriterLock | None = None
        self.ca_download: CaDownload | None = None  # the CA over plain HTTP (serve --ca-port)

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        # the one writer: refuse to start while a CLI command (or another host) writes the data
        self.lock = WriterLock.acquire(self.writer.db_path, "meetingapp serve")
        self.writer.on_events = self._on_events
        self.writer.start()
        token = self._console_token()
        self.writer.submit(
            lambda w: w.devices.ensure_local_console(w.db, token, w.machine.clock())
        ).result()
        # The state loaded from the log lives as long as the host: keep it out of the cyclic
        # garbage collector's full passes, which otherwise pause request handling.
        gc.collect()
        gc.freeze()
        self.transcriber.start()
        for job in self.writer.submit(self._unfinished_transcriptions).result():
            self.transcriber.submit(job)

    def _console_token(self) -> str:
        if self.console_token_path.exists():
            return self.console_token_path.read_text().strip()
        token = secrets.token_urlsafe(32)
        atomic_write(self.console_token_path, token.encode())
        os.chmod(self.console_token_path, 0o600)
        return token

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called when the server is ready: events may now be pushed; host.json says where."""
        self.loop = loop
        info = {
            "url": self.url,
            "port": self.port,
            "ca_fingerprint": self.tls.fingerprint,
            "ca_cert": str(self.tls.ca_cert),
            "console_token_file": str(self.console_token_path),
            "pid": os.getpid(),
            "lan_urls": self.lan_urls,
            "mdns": self.advertiser is not None,
            "ca_port": self.ca_port,
        }
        if self.advertiser is not None:  # announcing takes a few seconds of probing
            self._latest = self.writer.submit(lambda w: self.advertised(w.machine.world)).result()
            threading.Thread(target=self._sync_advert, daemon=True).start()
        atomic_write(self.data_dir / "host.json", json.dumps(info, indent=2).encode())

    def advertised(self, world: Any) -> dict[str, str]:
        """The TXT record: the body, the session a tablet should follow, the CA fingerprint."""
        props = {"v": "1", "fp": self.tls.fingerprint, "body": "", "session": "", "title": ""}
        current = current_session(world)
        if current is not None:
            props["session"] = current.session.id
            props["title"] = f"{current.session.number}. {current.session.title}"
            body = world.bodies.get(current.session.body_id)
            props["body"] = body.name if body else ""
        elif world.bodies:
            props["body"] = next(iter(world.bodies.values())).name
        return props

    def _sync_advert(self) -> None:
        """Announce, or bring the TXT record up to date (always with the latest values)."""
        if self.advertiser is None:
            return
        with self._advert_lock:
            props = self._latest
            if props == self._advertised:
                return
            host = socket.gethostname()
            label = f"{props['body']} ({host})" if props["body"] else host
            try:
                if not self._advertised:
                    self.advertiser.label = label
                    self.advertiser.start(props)
                else:
                    self.advertiser.update(props, label)
                self._advertised = props
            except Exception:  # noqa: BLE001 - the host still serves; tablets can type the address
                log.exception("mDNS advertisement failed")

    def _finish_quietly(self, session_id: str, speech_id: str) -> None:
        # the speaker's tablet sends its last (partial) chunk when it sees the speech end:
        # give it a moment to land before the chunks are joined
        time.sleep(LATE_CHUNK_GRACE_S)
        try:
            self.finish_recording(session_id, speech_id)
        except Exception as exc:  # noqa: BLE001 - reported to the consoles
            log.exception("could not finish the recording of %s", speech_id)
            self.broadcast(
                session_id,
                {"type": "transcription_error", "speech_id": speech_id, "detail": str(exc)},
            )

    def stop(self) -> None:
        if self.ca_download is not None:
            self.ca_download.stop()
        if self.advertiser is not None:
            self.advertiser.stop()  # says goodbye: browsers drop the host at once
        self.transcriber.stop()
        if self.captions:
            self.captions.stop()
        self.writer.stop()
        if self.lock is not None:
            self.lock.release()

    @property
    def url(self) -> str:
        """For clients on this machine (the local console): loopback when serving everywhere."""
        local = "127.0.0.1" if self.bind == "0.0.0.0" else "::1" if self.bind == "::" else self.bind  # noqa: S104
        return lan.url_for(local, self.port)

    @property
    def ca_port(self) -> int | None:
        """The plain-HTTP port of the CA download (None: not served)."""
        return self.ca_download.port if self.ca_download is not None else None

    @property
    def lan_urls(self) -> list[str]:
        """For tablets: the addresses of the interface served (the QR code carries them)."""
        return [lan.url_for(a, self.port) for a in self.lan_addresses] or [self.url]

    def pairing_uri(self, code: str) -> str:
        return lan.pairing_uri(self.lan_urls, self.tls.fingerprint, code)

    # --- transcription --------------------------------------------------------------------

    def _unfinished_transcriptions(self, w: Writer) -> list[Job]:
        """Speeches recorded but not transcribed (e.g. the host crashed meanwhile)."""
        jobs = []
        for sid, rec in w.machine.world.sessions.items():
            for sp in rec.speeches.values():
                if sp.audio_ref and not sp.segments:
                    jobs.append(self._job(w, sid, sp.id, sp.audio_ref))
        return jobs

    def _job(self, w: Writer, session_id: str, speech_id: str, sha256: str) -> Job:
        return Job(
            session_id,
            speech_id,
            self.files.path_for(sha256, kind="audio", suffix=".wav"),
            hotwords_from(w.machine.world, session_id),
            session_words(w.machine.world, session_id, self.files),
        )

    def finish_recording(self, session_id: str, speech_id: str) -> bool:
        """Join the speech's chunks, record the audio, queue it for transcription (any
        thread but the writer's and the event loop's)."""
        if self.captions:
            self.captions.ended(speech_id)
        sha256, seconds = join_recording(self.audio_dir, self.files, speech_id)

        def record(w: Writer) -> Job | None:
            sp = w.machine.record(session_id).speeches.get(speech_id)
            if (
                sp is not None
                and sp.audio_ref == sha256
                and (sp.segments or speech_id in self.transcriber.pending)
            ):
                return None  # same recording, already transcribed or queued: keep the edits
            w.machine.speech_audio(session_id, speech_id, sha256=sha256, seconds=seconds)
            return self._job(w, session_id, speech_id, sha256)

        job = self.writer.submit(record).result()
        return job is not None and self.transcriber.submit(job)

    def broadcast(self, session_id: str, message: dict[str, Any]) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.hub.broadcast, session_id, message)

    def _transcription_progress(self, job: Job, p: Progress) -> None:
        self.broadcast(
            job.session_id,
            {"type": "transcription", "speech_id": job.speech_id, "percent": round(p.percent, 1)},
        )

    def _transcription_done(self, job: Job, segments: list[dict[str, Any]], asr: str) -> None:
        self.writer.submit(
            lambda w: w.machine.transcript_ready(
                job.session_id, job.speech_id, segments=segments, asr=asr, actor="asr"
            )
        ).result()
        text = " ".join(str(s["text"]) for s in segments).strip()
        self.broadcast(
            job.session_id,
            {"type": "caption", "speech_id": job.speech_id, "text": text, "final": True},
        )

    def _transcription_error(self, job: Job, exc: Exception) -> None:
        self.broadcast(
            job.session_id,
            {"type": "transcription_error", "speech_id": job.speech_id, "detail": str(exc)},
        )

    # --- called from the writer thread -------------------------------------------------------

    def _on_events(self, events: list[Event]) -> None:
        world = self.writer.machine.world
        counts = {}
        for e in events:
            if e.kind in BALLOT_EVENTS and e.session_id:
                motion = world.sessions[e.session_id].motions[e.payload["motion_id"]]
                counts[(e.session_id, motion.id)] = len(motion.participants)
        for e in events:  # a speech that ends with a recording goes to transcription
            if e.kind == "speech_ended" and (self.audio_dir / e.payload["speech_id"]).is_dir():
                threading.Thread(
                    target=self._finish_quietly,
                    args=(e.session_id, e.payload["speech_id"]),
                    daemon=True,
                ).start()
        closed = {e.session_id for e in events if e.kind == "session_closed"}
        for cid in [c for c, a in self.checkins.items() if a.session_id in closed]:
            del self.checkins[cid]  # check-in thumbnails are kept only while the session runs
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.hub.publish, events, counts)
        if self.advertiser is not None and any(e.kind in ADVERTISED_KINDS for e in events):
            self._latest = self.advertised(world)
            threading.Thread(target=self._sync_advert, daemon=True).start()
        last = events[-1] if events else None
        cp = last and self.checkpoints.after(last.seq, last.hash, last.ts)
        if cp and self.loop is not None:  # every screen keeps a copy (docs/security.md)
            self.loop.call_soon_threadsafe(self._send_checkpoint, cp)

    def _send_checkpoint(self, cp: dict[str, Any]) -> None:
        for session_id in {s.session_id for s in self.hub.subscribers}:
            self.hub.broadcast(session_id, cp)

    # --- helpers for the API -----------------------------------------------------------------

    async def snapshot(self, session_id: str, device: Device) -> tuple[int, str]:
        """The session's state as this device may see it: (sequence number, JSON text).

        Built on the writer thread (so it is consistent) and cached per sequence number:
        most devices see the same public view, so 500 tablets connecting cost one build.
        """

        def build(w: Writer) -> tuple[int, str]:
            world = w.machine.world
            rec = world.sessions.get(session_id)
            if rec is None:
                raise NotFound(kind="session", ident=session_id)
            who = device.delegate_id
            if device.role.sees_ballots:
                view = "full"
            elif who and any(who in m.ballots for m in rec.motions.values()):
                view = "own:" + who  # the only view that differs per delegate
            else:
                view, who = "public", None
            key = (session_id, world.last_seq, view)
            if self._snapshots.get("seq") != world.last_seq:
                self._snapshots = {"seq": world.last_seq}
            if key not in self._snapshots:
                snap = snapshot(world, session_id, device.role, who)
                self._snapshots[key] = json.dumps(snap, ensure_ascii=False)
            return world.last_seq, self._snapshots[key]

        return await self.writer.call(build)

    def store_pdf(self, data: bytes) -> tuple[str, int]:
        pages = count_pages(data)
        digest, _ = self.files.put(data, kind="documents", suffix=".pdf")
        return digest, pages

    def document_path(self, file_hash: str) -> Path | None:
        if not HEX64.match(file_hash):
            return None
        path = self.files.path_for(file_hash, kind="documents", suffix=".pdf")
        return path if path.exists() else None


def listen_socket(bind: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((bind, port))
    sock.listen(2048)
    return sock


def serve(
    data_dir: Path,
    *,
    bind: str = "127.0.0.1",
    port: int = 8443,
    addresses: list[str] | None = None,
    advertise: bool = True,
    on_start: Callable[[Host], None] | None = None,
    ca_port: int | None = None,
) -> None:
    """Run the host until interrupted. ``port=0`` picks a free port (see host.json).
    ``ca_port``: also serve the CA for tablets over plain HTTP there (0: any free port).
    ``bind`` is an address or an interface name; on the LAN the host advertises itself by
    mDNS unless ``advertise`` is false."""
    import uvicorn

    from meetingapp.server.app import create_app

    bind = lan.resolve_bind(bind)
    sock = listen_socket(bind, port)
    host = Host(
        data_dir, bind=bind, port=sock.getsockname()[1], addresses=addresses, advertise=advertise
    )
    host.start()
    if ca_port is not None:
        host.ca_download = ca_http.start(bind, ca_port, host.tls.ca_cert, host.lan_urls)
    if on_start is not None:
        on_start(host)
    config = uvicorn.Config(
        create_app(host),
        ssl_certfile=str(host.tls.cert),
        ssl_keyfile=str(host.tls.key),
        log_level="warning",
        ws_max_size=1 << 20,
        timeout_keep_alive=120,
        backlog=2048,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        host.stop()
