"""What a tablet needs before and right after pairing: which host this is, and which session
to follow (the same facts as the mDNS TXT record, for a tablet that typed the address)."""

from __future__ import annotations

import socket
from typing import Any

from fastapi import FastAPI

from meetingapp.server.deps import Anyone
from meetingapp.server.host import Host


def add_lan_routes(app: FastAPI, host: Host) -> None:
    @app.get("/api/host-info")
    async def host_info() -> dict[str, Any]:
        """Public, like the mDNS advertisement: body, current session, CA fingerprint."""
        props = await host.writer.call(lambda w: host.advertised(w.machine.world))
        return {
            "name": socket.gethostname(),
            "body": props["body"],
            "session_id": props["session"] or None,
            "session_title": props["title"],
            "ca_fingerprint": host.tls.fingerprint,
            "urls": host.lan_urls,
        }

    @app.get("/api/current-session")
    async def current(caller: Anyone) -> dict[str, Any]:
        """The session a paired device should follow now (None when there is none yet)."""
        props = await host.writer.call(lambda w: host.advertised(w.machine.world))
        return {"session_id": props["session"] or None, "title": props["title"]}
