"""Attack: odd requests that used to get plain-text errors, 500s or internal paths back
(issue #14, finding 9). Every error is now problem details, with no path or stack text."""

from __future__ import annotations

import asyncio
import base64
import io
import zlib
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.security.common import client


def assert_problem(resp, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers
    body = resp.json()
    assert body["status"] == status and body["detail"]
    if code:
        assert body["code"] == code, body
    for leak in ("/tmp", "/home", "/work", "Traceback", 'File "'):
        assert leak not in resp.text, resp.text
    return body


def png_bomb(side: int = 30_000) -> bytes:
    """A valid 1-bit PNG of side × side pixels (112 MB of pixels) in ~100 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")

    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_errors_are_problem_details_on_the_real_host(host: HostProcess) -> None:
    async def scenario() -> None:
        console = host.client(console=True)
        async with client(host, token=console.token) as raw:
            assert_problem(await raw.get("/api/no-such-thing"), 404, "request.not_found")
            assert_problem(await raw.get("/nope"), 404, "request.not_found")
            assert_problem(await raw.delete("/api/pair"), 405, "request.method_not_allowed")
            deep = b"[" * 50_000 + b"]" * 50_000
            assert_problem(
                await raw.post(
                    "/api/bodies", content=deep, headers={"Content-Type": "application/json"}
                ),
                400,
                "request.malformed",
            )
            assert_problem(
                await raw.post(
                    "/api/bodies", content=b"{", headers={"Content-Type": "application/json"}
                ),
                422,
            )
            assert_problem(await raw.post("/api/bodies", json={"kind": 1}), 422, "request.invalid")
            assert_problem(
                await raw.post("/api/pair", content=b"x" * (2 * 2**20)), 413, "request.too_large"
            )
            assert_problem(await raw.get("/api/sessions/ses-x/state"), 404, "unknown_entity")
            assert_problem(await raw.post("/api/sessions/ses-x/open"), 404)
        await console.close()

    asyncio.run(scenario())


def test_unexpected_errors_are_problem_details_without_stack() -> None:
    """The 500 handler (the host cannot be made to crash on purpose, so: a route that does)."""
    from meetingapp.server.problems import install

    app = FastAPI()
    install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal state at /var/lib/meetingapp/x.db")

    resp = TestClient(app, raise_server_exceptions=False).get("/boom")
    body = assert_problem(resp, 500, "server.error")
    assert "secret" not in resp.text and "x.db" not in body["detail"]


@pytest.mark.slow
def test_a_decompression_bomb_frame_is_refused_422(host: HostProcess, shared_data: Path) -> None:
    jack = shared_data / "faces" / "dev" / "identities" / "jack"
    photos = [(jack / n).read_bytes() for n in ("img16.jpg", "img17.jpg", "img61.jpg")]
    bomb = png_bomb()
    assert len(bomb) < 200_000
    with pytest.raises(Image.DecompressionBombError):  # what used to surface as a 500
        Image.open(io.BytesIO(bomb)).load()

    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        console, sid, did = mt.console, mt.session, mt.delegates[0]
        await console.record_consent(did, given=True, text_version="2026-01")
        await console.enrol_face(did, photos)
        tablet = mt.tablets[did]  # a delegate's own check-in
        attempt = await tablet.start_face_checkin(sid)
        async with client(host, token=tablet.token) as raw:
            resp = await raw.post(
                f"/api/sessions/{sid}/face-checkins/{attempt['id']}/frames", content=bomb
            )
            assert_problem(resp, 422, "face.too_large")
            refused = await raw.post(
                f"/api/delegates/{did}/face", json={"photos": [base64.b64encode(bomb).decode()]}
            )
            assert refused.status_code == 403  # enrolment is the secretary's
        async with client(host, token=console.token) as raw:
            resp = await raw.post(
                f"/api/delegates/{did}/face",
                json={"photos": [base64.b64encode(p).decode() for p in [*photos[:2], bomb]]},
            )
            body = assert_problem(resp, 400, "face.enrol_refused")
            assert "Ảnh 3" in body["detail"] and "40,000,000" in body["detail"]
        await mt.close()

    asyncio.run(scenario())
