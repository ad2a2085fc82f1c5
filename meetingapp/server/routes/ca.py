"""The host's CA for tablets: an iPadOS configuration profile, an Android certificate, the
download page (``/trust/``) and the printed instruction sheet (``meetingapp/tablet_trust.py``).
The same public files are served over plain HTTP by ``server/ca_http.py``."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response

from meetingapp import tablet_trust
from meetingapp.server.deps import Setup
from meetingapp.server.host import Host

PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def add_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/ca.mobileconfig")
    async def ca_profile() -> Response:
        """The CA as an Apple configuration profile (com.apple.security.root)."""
        pem = host.tls.ca_cert.read_bytes()
        return Response(
            tablet_trust.mobileconfig(pem),
            media_type=tablet_trust.PROFILE_TYPE,
            headers={
                "Content-Disposition": f'inline; filename="{tablet_trust.PROFILE_NAME}"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/api/ca.crt")
    async def ca_crt() -> Response:
        """The CA in DER, for Android (Install a certificate › CA certificate)."""
        return Response(
            tablet_trust.ca_der(host.tls.ca_cert.read_bytes()),
            media_type=tablet_trust.CRT_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{tablet_trust.CRT_NAME}"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/trust/", response_class=HTMLResponse)
    async def trust_page() -> HTMLResponse:
        """The download page, Vietnamese then English (also on the plain-HTTP CA port)."""
        page = tablet_trust.landing_page(
            host.tls.ca_cert.read_bytes(), host.lan_urls, prefix="/api"
        )
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @app.get("/api/trust-sheet.pdf")
    async def trust_sheet(caller: Setup, body: str = "") -> Response:
        """The printed instruction sheet (secretary): QR to the download page, the CA's SHA-256
        fingerprint, the steps on an iPad, an Android tablet and a hall display."""
        links = tablet_trust.links(host.lan_urls, host.ca_port)
        pdf = await asyncio.to_thread(
            tablet_trust.sheet_pdf,
            host.tls.ca_cert.read_bytes(),
            links,
            host.lan_urls,
            body=body[:120],
        )
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="tin-cay-may-chu.pdf"'},
        )
