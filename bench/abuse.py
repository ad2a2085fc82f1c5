"""Abuse: the real host under attack while it works (issue #14).

Starts the real host (``meetingapp serve``) on 127.0.0.1 and measures, printing JSON:

1. ``body_flood``: host RSS before, at peak and after four parallel 250 MB bodies (two with a
   Content-Length, two chunked) sent without authentication;
2. ``pin_guessing``: wrong PINs sent as fast as possible from paired tablets for ``--guess-s``
   seconds — how many reached the PIN check (401) per minute, the rest refused (429);
3. ``pairing_guessing``: pairing codes guessed from many loopback source addresses
   (127.x.y.z) for ``--guess-s`` seconds — how many were checked per minute; intruders paired;
4. ``vote_under_flood``: ``--tablets`` tablets vote (bench/vote_load.py's machinery) while a
   separate process floods the host with bad requests (wrong codes and PINs, deep and oversized
   JSON, unknown routes): acknowledgement p50/p99, lost and doubled ballots, flood rate.

    python bench/abuse.py --tablets 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import vote_load  # noqa: E402

from meetingapp.client import context_for_ca  # noqa: E402
from meetingapp.domain import BallotForm, Choice  # noqa: E402
from meetingapp.localhost import PeakRss  # noqa: E402
from meetingapp.server.auth import CODE_ALPHABET, CODE_LENGTH  # noqa: E402
from meetingapp.server.ratelimit import PAIR_LIMITS, PIN_LIMITS  # noqa: E402
from meetingapp.store import open_db  # noqa: E402
from tests.hostproc import HostProcess  # noqa: E402

MB = 2**20


def _ssl(host_dir: Path):  # type: ignore[no-untyped-def]
    info = json.loads((host_dir / "host.json").read_text())
    return info["url"], context_for_ca(Path(info["ca_cert"]).read_bytes(), info["ca_fingerprint"])


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# --- 1 ---------------------------------------------------------------------------------------


async def body_flood(host: HostProcess) -> dict[str, object]:
    url, ctx = _ssl(host.data_dir)
    paths = ["/api/pair", "/api/bodies", "/api/sessions", "/api/pair"]

    async def one(i: int) -> str:
        async def body():  # type: ignore[no-untyped-def]
            chunk = b"[" * MB
            for _ in range(250):
                yield chunk

        headers = {"Content-Type": "application/json"}
        if i % 2 == 0:
            headers["Content-Length"] = str(250 * MB)
        async with httpx.AsyncClient(base_url=url, verify=ctx, timeout=120) as c:
            try:
                return str((await c.post(paths[i], content=body(), headers=headers)).status_code)
            except httpx.HTTPError as exc:
                return type(exc).__name__

    started = time.perf_counter()
    with PeakRss(host.rss_mb) as memory:
        answers = await asyncio.gather(*(one(i) for i in range(4)))
    idle, peak = memory.idle, memory.peak
    return {
        "bodies": "4 x 250 MB",
        "answers": answers,
        "seconds": round(time.perf_counter() - started, 2),
        "host_rss_mb": {"idle": round(idle, 1), "peak": round(peak, 1), "after": host.rss_mb()},
    }


# --- 2, 3 ------------------------------------------------------------------------------------


async def pin_guessing(host: HostProcess, seconds: float) -> dict[str, object]:
    url, ctx = _ssl(host.data_dir)
    console, _body, sid, ids = await vote_load.setup(host, 40)
    tablets = await vote_load.pair_all(host, console, ids[:8])  # the attacker's devices
    counts: Counter[int] = Counter()
    rng = random.Random(2)
    deadline = time.monotonic() + seconds

    async def attacker(token: str) -> None:
        async with httpx.AsyncClient(
            base_url=url, verify=ctx, timeout=60, headers={"Authorization": f"Bearer {token}"}
        ) as c:
            while time.monotonic() < deadline:
                victim = rng.choice(ids)
                resp = await c.post(
                    "/api/login", json={"delegate_id": victim, "pin": f"{rng.randrange(10**4):04d}"}
                )
                counts[resp.status_code] += 1

    started = time.monotonic()
    await asyncio.gather(*(attacker(t.token or "") for t in tablets for _ in range(8)))
    minutes = (time.monotonic() - started) / 60
    for t in tablets:
        await t.close()
    await console.close()
    checked = counts[401] + counts[404] + counts[200]
    glob = PIN_LIMITS["global"]
    return {
        "seconds": round(minutes * 60, 1),
        "guesses": sum(counts.values()),
        "checked": checked,
        "checked_per_min": round(checked / minutes, 1),
        "steady_max_checked_per_min": round(glob.attempts / (glob.window_s / 60), 1),
        "refused_429": counts[429],
        "sent_per_min": round(sum(counts.values()) / minutes),
        "statuses": dict(counts),
    }


async def pairing_guessing(host: HostProcess, seconds: float) -> dict[str, object]:
    url, ctx = _ssl(host.data_dir)
    counts: Counter[int] = Counter()
    rng = random.Random(3)
    deadline = time.monotonic() + seconds

    async def from_address(i: int) -> None:
        addr = f"127.{10 + i // 250}.{i % 250}.{1 + i % 200}"
        transport = httpx.AsyncHTTPTransport(local_address=addr, verify=ctx)
        async with httpx.AsyncClient(base_url=url, transport=transport, timeout=60) as c:
            while time.monotonic() < deadline:
                resp = await c.post("/api/pair", json={"code": _code(rng), "device_name": "x"})
                counts[resp.status_code] += 1

    started = time.monotonic()
    await asyncio.gather(*(from_address(i) for i in range(300)))
    minutes = (time.monotonic() - started) / 60
    glob = PAIR_LIMITS["global"]
    return {
        "seconds": round(minutes * 60, 1),
        "steady_max_checked_per_min": round(glob.attempts / (glob.window_s / 60), 1),
        "addresses": 300,
        "guesses": sum(counts.values()),
        "checked": counts[401] + counts[200],
        "checked_per_min": round((counts[401] + counts[200]) / minutes, 1),
        "sent_per_min": round(sum(counts.values()) / minutes),
        "intruders_paired": counts[200],
    }


# --- 4 ---------------------------------------------------------------------------------------


def _flood_process(host_dir: str, token: str, delegate: str, stop_at: float, out) -> None:  # type: ignore[no-untyped-def]
    async def run() -> Counter[str]:
        url, ctx = _ssl(Path(host_dir))
        counts: Counter[str] = Counter()
        rng = random.Random(4)
        deep = b"[" * 40_000 + b"]" * 40_000

        async def worker(i: int) -> None:
            transport = httpx.AsyncHTTPTransport(local_address=f"127.99.{i}.1", verify=ctx)
            async with httpx.AsyncClient(base_url=url, transport=transport, timeout=60) as c:
                while time.time() < stop_at:
                    kind = i % 5
                    try:
                        if kind == 0:
                            r = await c.post(
                                "/api/pair", json={"code": _code(rng), "device_name": "x"}
                            )
                        elif kind == 1:
                            r = await c.post(
                                "/api/login",
                                json={"delegate_id": delegate, "pin": "0000"},
                                headers={"Authorization": f"Bearer {token}"},
                            )
                        elif kind == 2:
                            r = await c.post(
                                "/api/bodies",
                                content=deep,
                                headers={"Content-Type": "application/json"},
                            )
                        elif kind == 3:
                            r = await c.post("/api/pair", content=b"{" * (3 * MB))
                        else:
                            r = await c.get(f"/api/nothing/{rng.randrange(10**6)}")
                        counts[str(r.status_code)] += 1
                    except httpx.HTTPError as exc:
                        counts[type(exc).__name__] += 1

        await asyncio.gather(*(worker(i) for i in range(40)))
        return counts

    out.put(dict(asyncio.run(run())))


async def vote_under_flood(host: HostProcess, n: int, spread: float) -> dict[str, object]:
    console, _body, sid, ids = await vote_load.setup(host, n)
    tablets = await vote_load.pair_all(host, console, ids)
    lives = [t.live(sid) for t in tablets]
    for live in lives:
        live.start()
    await asyncio.gather(*(lv.wait_for(lambda s: s.world is not None, timeout=300) for lv in lives))
    motion = await console.open_motion(sid, "Biểu quyết khi bị tấn công", BallotForm.ELECTRONIC)
    await asyncio.gather(
        *(lv.wait_for(lambda s: motion in s.world.sessions[sid].motions, 60) for lv in lives)
    )
    flood_s = spread + 30
    queue: multiprocessing.Queue = multiprocessing.Queue()
    flood = multiprocessing.Process(
        target=_flood_process,
        args=(str(host.data_dir), tablets[0].token, ids[0], time.time() + flood_s, queue),
    )
    flood.start()
    await asyncio.sleep(3)  # the flood is running before the first ballot
    rng = random.Random(5)
    choices = [rng.choice(list(Choice)) for _ in ids]
    outcomes = await asyncio.gather(
        *(
            vote_load.vote(t, lv, sid, motion, c, rng.uniform(0, spread), False)
            for t, lv, c in zip(tablets, lives, choices, strict=True)
        )
    )
    latencies = [o[0] * 1000 for o in outcomes]
    result = await console.close_motion(sid, motion)
    counts = queue.get(timeout=flood_s + 60)
    flood.join(timeout=30)
    for lv in lives:
        await lv.stop()
    for t in tablets:
        await t.close()
    await console.close()
    host.stop()
    db = open_db(host.data_dir / "meetingapp.db", create=False)
    stored = dict(
        db.execute(
            "SELECT delegate_id, count(*) FROM named_ballots WHERE motion_id = ? "
            "GROUP BY delegate_id",
            [motion],
        ).fetchall()
    )
    return {
        "tablets": n,
        "ack_ms": {
            "p50": round(vote_load.percentile(latencies, 50), 1),
            "p99": round(vote_load.percentile(latencies, 99), 1),
            "max": round(max(latencies), 1),
        },
        "lost_ballots": sum(1 for d in ids if d not in stored),
        "duplicated_ballots": sum(c - 1 for c in stored.values() if c > 1),
        "tally_matches": [result["yes"], result["no"], result["abstain"]]
        == [choices.count(c) for c in (Choice.YES, Choice.NO, Choice.ABSTAIN)],
        "flood_requests": sum(v for v in counts.values()),
        "flood_per_s": round(sum(counts.values()) / flood_s, 1),
        "flood_statuses": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tablets", type=int, default=500)
    parser.add_argument("--spread", type=float, default=3.0)
    parser.add_argument("--guess-s", type=float, default=30.0, help="seconds of each guessing")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="abuse-") as tmp:
        for name, run in (
            ("body_flood", lambda h: body_flood(h)),
            ("pin_guessing", lambda h: pin_guessing(h, args.guess_s)),
            ("pairing_guessing", lambda h: pairing_guessing(h, args.guess_s)),
            ("vote_under_flood", lambda h: vote_under_flood(h, args.tablets, args.spread)),
        ):
            host = HostProcess(Path(tmp) / name).start()
            try:
                figures[name] = asyncio.run(run(host))
            finally:
                host.stop()
            print(f"{name} done", file=sys.stderr, flush=True)
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
