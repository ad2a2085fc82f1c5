"""Helpers of the attack tests: raw HTTPS clients against the real host on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx

from tests.hostproc import HostProcess


def client(host: HostProcess, *, token: str | None = None, **kw: Any) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        base_url=host.info["url"], verify=host.ssl(), headers=headers, timeout=120, **kw
    )


async def statuses(
    calls: Iterable[Callable[[], Awaitable[httpx.Response]]], parallel: int = 200
) -> Counter[int]:
    """Run the calls with at most ``parallel`` in flight; count the answers by status."""
    sem = asyncio.Semaphore(parallel)
    counts: Counter[int] = Counter()

    async def one(call: Callable[[], Awaitable[httpx.Response]]) -> None:
        async with sem:
            resp = await call()
            counts[resp.status_code] += 1

    await asyncio.gather(*(one(c) for c in calls))
    return counts


def device_count(host: HostProcess) -> int:
    import sqlite3

    db = sqlite3.connect(f"file:{host.data_dir / 'meetingapp.db'}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM devices").fetchone()[0]
    finally:
        db.close()
