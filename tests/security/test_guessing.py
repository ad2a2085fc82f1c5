"""Attack: guessing PINs and pairing codes (issue #14, findings 2 and 5).

Before: 1,000 parallel PIN guesses were all let through to scrypt (the lock-out was checked
before an ``await`` and counted after it); 15,000 pairing guesses from 1,500 loopback
addresses paired intruders, the limit being per address only.
"""

from __future__ import annotations

import asyncio
import math
import random
import time

import httpx
import pytest

from meetingapp.server.auth import CODE_ALPHABET, CODE_LENGTH
from meetingapp.server.ratelimit import PAIR_LIMITS, PIN_LIMITS
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.security.common import client, device_count, statuses


def test_a_thousand_parallel_pin_guesses_check_at_most_the_limit(host: HostProcess) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        attacker = next(iter(mt.tablets.values()))  # a paired delegate tablet
        me = (await attacker.get("/api/me"))["delegate_id"]
        victim = mt.delegates[5]
        async with client(
            host, token=attacker.token, limits=httpx.Limits(max_connections=100)
        ) as raw:
            guesses = [f"{p:04d}" for p in random.sample(range(10_000), 1_000)]
            guesses = [g for g in guesses if g != mt.pins[victim]][:999] + [mt.pins[victim]]

            def guess(pin: str):  # type: ignore[no-untyped-def]
                return lambda: raw.post("/api/login", json={"delegate_id": victim, "pin": pin})

            counts = await statuses([guess(g) for g in guesses], parallel=200)
            # only the allowed number reached the PIN check; everything else was 429
            checked = counts[401] + counts[200]
            assert checked <= PIN_LIMITS["delegate"].attempts, counts
            assert counts[429] >= 1_000 - PIN_LIMITS["delegate"].attempts, counts
            # the right PIN, tried now, is refused too: the delegate is locked, not guessed
            late = await raw.post(
                "/api/login", json={"delegate_id": victim, "pin": mt.pins[victim]}
            )
            assert late.status_code == 429
            assert late.headers["content-type"].startswith("application/problem+json")
            me_after = (await raw.get("/api/me")).json()["delegate_id"]
            assert me_after == me or counts[200] == 1  # rebound only by a PIN within the limit
        await mt.close()

    asyncio.run(scenario())


@pytest.mark.slow
def test_pairing_guesses_from_1500_addresses_pair_no_intruder(host: HostProcess) -> None:
    async def scenario() -> None:
        console = host.client(console=True)
        live = [(await console.pairing_code("clerk"))["code"] for _ in range(5)]
        before = device_count(host)
        rng = random.Random(14)
        tried = 0
        counts_all: dict[int, int] = {}

        async def from_address(i: int) -> None:
            nonlocal tried
            addr = f"127.{1 + i // 250}.{i % 250}.{1 + (i * 7) % 250}"
            transport = httpx.AsyncHTTPTransport(local_address=addr, verify=host.ssl())
            async with httpx.AsyncClient(
                base_url=host.info["url"], transport=transport, timeout=120
            ) as raw:
                for _ in range(10):
                    code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                    resp = await raw.post(
                        "/api/pair", json={"code": code, "device_name": "kẻ xâm nhập"}
                    )
                    counts_all[resp.status_code] = counts_all.get(resp.status_code, 0) + 1
                    tried += 1

        sem = asyncio.Semaphore(64)

        async def limited(i: int) -> None:
            async with sem:
                await from_address(i)

        started = time.monotonic()
        await asyncio.gather(*(limited(i) for i in range(1_500)))
        windows = math.ceil((time.monotonic() - started) / PAIR_LIMITS["global"].window_s)
        assert tried == 15_000
        assert counts_all.get(200, 0) == 0, counts_all  # no intruder
        # at most the global budget of guesses per minute was checked at all; the rest: 429
        budget = PAIR_LIMITS["global"].attempts * (windows + 1)
        assert counts_all.get(401, 0) <= budget, (counts_all, windows)
        assert device_count(host) == before
        # the live codes were not burnt by the flood (single-use: each works exactly once)
        assert all(len(c.replace("-", "")) == CODE_LENGTH for c in live)
        await console.close()

    asyncio.run(scenario())
