"""Attack: huge bodies before authentication (issue #14, finding 4).

Before: JSON bodies were read whole before authentication with no limit (four parallel 250 MB
bodies took the host to 3 GB); uploads read the whole body before checking its size.
"""

from __future__ import annotations

import asyncio

import httpx

from meetingapp.localhost import PeakRss
from tests.hostproc import HostProcess
from tests.security.common import client

MB = 2**20
TARGETS = (
    "/api/pair",  # JSON, no authentication at all
    "/api/sessions/ses-x/documents?item_id=i&title=t",  # upload, unauthenticated
    "/api/sessions/ses-x/speeches/sp-x/audio-file",  # the largest per-route limit
    "/api/sessions/ses-x/face-checkins/c/frames",
)


async def flood(host: HostProcess, path: str, size: int, *, declared: bool) -> int | None:
    """Send ``size`` bytes; the status the host answered (None if it just cut us off)."""
    chunk = b"{" * MB

    async def body():  # type: ignore[no-untyped-def]
        for _ in range(size // MB):
            yield chunk

    headers = {"Content-Type": "application/json"}
    if declared:
        headers["Content-Length"] = str(size)
    async with client(host) as raw:
        try:
            resp = await raw.post(path, content=body(), headers=headers)
        except (httpx.TransportError, httpx.StreamError):
            return None
        assert resp.headers["content-type"].startswith("application/problem+json")
        return resp.status_code


def test_four_250mb_bodies_leave_host_memory_flat(host: HostProcess) -> None:
    async def scenario() -> list[int | None]:
        return await asyncio.gather(
            *(flood(host, path, 250 * MB, declared=i % 2 == 0) for i, path in enumerate(TARGETS))
        )

    with PeakRss(host.rss_mb) as memory:
        answers = asyncio.run(scenario())
    idle, peak, after = memory.idle, memory.peak, host.rss_mb()
    # every flood was refused (413, or 401 for a route that authenticates before reading) or
    # cut off; the host's memory barely moved
    assert all(a in (None, 401, 413) for a in answers), answers
    assert 413 in answers
    assert peak - idle < 100, (idle, peak, after)
    assert after - idle < 100


def test_a_chunked_body_is_cut_at_the_limit_with_problem_details(host: HostProcess) -> None:
    async def scenario() -> None:
        async with client(host) as raw:

            async def body():  # type: ignore[no-untyped-def]
                for _ in range(3):
                    yield b" " * (600 * 1024)

            resp = await raw.post("/api/pair", content=body(), headers={"Accept-Language": "en"})
            assert resp.status_code == 413
            problem = resp.json()
            assert problem["code"] == "request.too_large" and "1 MB" in problem["detail"]
            small = await raw.post("/api/pair", json={"code": "x", "device_name": "y"})
            assert small.status_code == 401  # an ordinary body still gets through

    asyncio.run(scenario())
