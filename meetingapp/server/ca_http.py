"""The CA download over plain HTTP (``meetingapp serve --ca-port``, 8080 by default).

A tablet that does not trust the host's CA yet cannot open an HTTPS page without a warning, so
this small listener serves, and serves only, public files: the download page, the CA as an
iPadOS profile, as an Android ``.crt`` and as PEM. Nothing secret, no token, no state change;
any other path is 404. A man in the middle could replace the certificate on its way; the clerk
catches that by comparing the SHA-256 fingerprint the tablet shows with the one printed on the
instruction sheet (``meetingapp trust-sheet``), as the sheet and the page say.

Runs in a thread of its own (the standard library's threading HTTP server), never on the
host's event loop."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from meetingapp import tablet_trust

log = logging.getLogger(__name__)


def files(ca_pem: Path, https_urls: Callable[[], list[str]]) -> dict[str, tuple[str, bytes, str]]:
    """path → (content type, body, Content-Disposition or "")."""
    pem = ca_pem.read_bytes()
    return {
        "/": (
            "text/html; charset=utf-8",
            tablet_trust.landing_page(pem, https_urls()).encode(),
            "",
        ),
        "/ca.mobileconfig": (
            tablet_trust.PROFILE_TYPE,
            tablet_trust.mobileconfig(pem),
            f'inline; filename="{tablet_trust.PROFILE_NAME}"',
        ),
        "/ca.crt": (
            tablet_trust.CRT_TYPE,
            tablet_trust.ca_der(pem),
            f'attachment; filename="{tablet_trust.CRT_NAME}"',
        ),
        "/ca.pem": ("application/x-pem-file", pem, 'attachment; filename="meetingapp-ca.pem"'),
        "/trust.css": ("text/css; charset=utf-8", tablet_trust.PAGE_CSS.encode(), ""),
    }


MAX_CONNECTIONS = 32  # at once, in all; more are closed at once (one thread each)
MAX_PER_ADDRESS = 4  # at once, from one address: one device cannot take every slot
IDLE_TIMEOUT_S = 10.0  # a connection that sends nothing for this long is closed


class _Handler(BaseHTTPRequestHandler):
    server_version = "meetingapp-ca"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S  # socket timeout: a silent client does not hold its thread
    table: dict[str, tuple[str, bytes, str]] = {}

    def _answer(self, body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/index.html":
            path = "/"
        found = self.table.get(path)
        if found is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "10")
            self.end_headers()
            if body:
                self.wfile.write(b"not found\n")
            return
        kind, data, disposition = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if disposition:
            self.send_header("Content-Disposition", disposition)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; frame-ancestors 'none'",
        )
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 — the standard library's name
        self._answer(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.debug("ca download: " + format, *args)


class _Bounded(ThreadingHTTPServer):
    """A thread per connection, but never more than MAX_CONNECTIONS threads, nor more than
    MAX_PER_ADDRESS for one address: anyone on the LAN may connect without pairing, so idle
    or slow connections must not pile up threads in the host's process."""

    daemon_threads = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._open: dict[str, int] = {}

    def _address(self, client_address: Any) -> str:
        return str(client_address[0]) if isinstance(client_address, tuple) else "?"

    def process_request(self, request: Any, client_address: Any) -> None:
        who = self._address(client_address)
        with self._lock:
            full = sum(self._open.values()) >= MAX_CONNECTIONS
            if full or self._open.get(who, 0) >= MAX_PER_ADDRESS:
                self.shutdown_request(request)  # closed at once, no thread started
                return
            self._open[who] = self._open.get(who, 0) + 1
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            who = self._address(client_address)
            with self._lock:
                self._open[who] -= 1
                if not self._open[who]:
                    del self._open[who]

    def open_connections(self) -> int:
        with self._lock:
            return sum(self._open.values())


class CaDownload:
    """The listener; ``port`` is the one it got (``0`` asked: any free port)."""

    def __init__(self, bind: str, port: int, ca_pem: Path, https_urls: list[str]) -> None:
        table = files(ca_pem, lambda: https_urls)
        handler = type("Handler", (_Handler,), {"table": table})
        family_v6 = ":" in bind

        class Server(_Bounded):
            address_family = socket.AF_INET6 if family_v6 else socket.AF_INET

        self.server = Server((bind, port), handler)
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="ca-download", daemon=True
        )

    def start(self) -> CaDownload:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start(bind: str, port: int, ca_pem: Path, https_urls: list[str]) -> CaDownload | None:
    """Start the listener, or log why not (a busy port: the HTTPS /trust/ page still works)."""
    try:
        return CaDownload(bind, port, ca_pem, https_urls).start()
    except OSError as exc:
        log.warning("CA download over HTTP not started on port %s: %s", port, exc)
        return None
