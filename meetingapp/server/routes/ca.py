"""The host's CA for tablets: an iPadOS configuration profile, an Android certificate, the
download page (``/trust/``) and the printed instruction sheet (``meetingapp/tablet_trust.py``).
The same public files are served over plain HTTP by ``server/ca_http.py``."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from meetingapp import tablet_trust
from meetingapp.server import ca_http
from meetingapp.server.deps import Setup
from meetingapp.server.host import Host

NO_SNIFF = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}


def add_routes(app: FastAPI, host: Host) -> None:
    def pem() -> bytes:
        return host.tls.ca_cert.read_bytes()

    def public_file(path: str) -> Response:
        """One of the CA download's public files, from the one table the plain-HTTP port
        serves too (``ca_http.files``: the page, the profile, the ``.crt``, the PEM, the CSS)."""
        kind, data, disposition = ca_http.files(host.tls.ca_cert, lambda: host.lan_urls)[path]
        headers = dict(NO_SNIFF)
        if disposition:
            headers["Content-Disposition"] = disposition
        return Response(data, media_type=kind, headers=headers)

    async def profile() -> Response:
        """The CA as an Apple configuration profile (payload com.apple.security.root)."""
        return public_file("/ca.mobileconfig")

    async def crt() -> Response:
        """The CA in DER, for Android (Install a certificate › CA certificate)."""
        return public_file("/ca.crt")

    for prefix in ("/api", "/trust"):
        app.add_api_route(f"{prefix}/ca.mobileconfig", profile, methods=["GET"])
        app.add_api_route(f"{prefix}/ca.crt", crt, methods=["GET"])

    @app.get("/trust/", response_class=HTMLResponse)
    async def trust_page() -> Response:
        """The download page, Vietnamese then English (also on the plain-HTTP CA port)."""
        return public_file("/")

    @app.get("/trust/trust.css", include_in_schema=False)
    async def trust_css() -> Response:
        return public_file("/trust.css")

    @app.get("/api/trust-sheet.pdf")
    async def trust_sheet(caller: Setup, body: str = "") -> Response:
        """The printed instruction sheet (secretary): QR to the download page, the CA's SHA-256
        fingerprint, the steps on an iPad, an Android tablet and a hall display."""
        links = tablet_trust.links(host.lan_urls, host.ca_port)
        pdf = await asyncio.to_thread(
            tablet_trust.sheet_pdf, pem(), links, host.lan_urls, body=body[:120]
        )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="tin-cay-may-chu.pdf"'},
        )
