"""Vote load: N simulated tablets voting over real HTTPS and WebSocket connections.

Starts the real host (``meetingapp serve``) on 127.0.0.1 in a temporary data directory, pairs
N tablets, connects each one's event stream, opens an electronic vote and lets every tablet vote
at a random moment within ``--spread`` seconds. A fraction (``--drop``) of the tablets lose both
their event stream and their in-flight ballot request, then retry with the same command id.
Prints JSON: acknowledgement latency percentiles, time from the close to the result on every
client, lost and duplicated ballots, and the host's peak RSS.

``--browser 0.5``: half the tablets speak the web page's protocol (``meetingapp/web/``) rather
than the Qt client's: they pair with the CSRF header and get their token only as the HttpOnly
cookie, send every command with that cookie, the ``X-Meetingapp-Csrf`` header and the page's
``Origin``/``Sec-Fetch-Site`` (what Chromium adds), and open the event stream with the cookie
and ``Origin`` instead of a token in the URL. The figures then come per protocol as well.

    python bench/vote_load.py --tablets 500
    python bench/vote_load.py --tablets 500 --browser 0.5
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import random
import resource
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from meetingapp.client import HostClient, HostError, LiveSession  # noqa: E402
from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind, Choice  # noqa: E402
from meetingapp.store import open_db  # noqa: E402
from tests.hostproc import HostProcess  # noqa: E402

COOKIE = "__Host-meetingapp"  # meetingapp.server.web.COOKIE


class BrowserTablet(HostClient):
    """A tablet that speaks exactly what the web page sends (meetingapp/web/common/web.js):
    no bearer token anywhere; the HttpOnly cookie, the CSRF header and the page's origin."""

    cookie = ""

    def _headers(self) -> dict[str, str]:
        headers = {
            "Accept-Language": self.lang,
            "X-Meetingapp-Csrf": "1",
            "Origin": self.url,
            "Sec-Fetch-Site": "same-origin",
        }
        if self.cookie:
            headers["Cookie"] = f"{COOKIE}={self.cookie}"
        return headers

    def stream_headers(self) -> dict[str, str]:
        return {"Cookie": f"{COOKIE}={self.cookie}", "Origin": self.url}

    async def pair(self, code: str, device_name: str) -> dict[str, object]:
        resp = await self.http.post(
            "/api/pair",
            json={"code": code, "device_name": device_name},
            headers=self._headers(),
        )
        if resp.status_code >= 400:
            raise HostError(resp.status_code, "pair", resp.text[:200])
        answer = resp.json()
        assert "token" not in answer, "a web page never sees its token"
        jar: SimpleCookie = SimpleCookie()
        jar.load(resp.headers["set-cookie"])
        self.cookie = jar[COOKIE].value
        self.http.cookies.clear()  # sent by hand, as above, on every request and reconnection
        return dict(answer)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def setup(host: HostProcess, n: int) -> tuple[HostClient, str, str, list[str]]:
    console = host.client(console=True)
    body = await console.create_body(BodyKind.HDND, "Hội đồng nhân dân tỉnh Thử Tải", n)
    ids: list[str] = []
    for start in range(0, n, 500):
        ids += await console.add_delegates(
            body,
            [
                {"id": f"d{i:04d}", "full_name": f"Đại biểu {i:04d}", "unit": f"Tổ {i % 20}"}
                for i in range(start, min(n, start + 500))
            ],
        )
    sid = await console.create_session(body_id=body, number=1, title="Kỳ họp thử tải")
    item = await console.add_item(sid, "Nghị quyết thử tải")
    await console.open_session(sid)
    await console.start_roll_call(sid)
    sem = asyncio.Semaphore(32)

    async def check_in(did: str) -> None:
        async with sem:
            await console.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="thử tải")

    await asyncio.gather(*(check_in(d) for d in ids))
    await console.close_roll_call(sid)
    await console.start_item(sid, item)
    return console, body, sid, ids


async def pair_all(
    host: HostProcess, console: HostClient, ids: list[str], browsers: set[int]
) -> list[HostClient]:
    ctx = host.ssl()
    sem = asyncio.Semaphore(32)

    async def pair(i: int, did: str) -> HostClient:
        async with sem:
            code = (await console.pairing_code("delegate", did))["code"]
            kind = BrowserTablet if i in browsers else HostClient
            tablet = kind(console.url, ctx, timeout=60)
            await tablet.pair(code, f"tablet {did}")
            return tablet

    return list(await asyncio.gather(*(pair(i, d) for i, d in enumerate(ids))))


async def vote(
    tablet: HostClient,
    live: LiveSession,
    sid: str,
    motion: str,
    choice: Choice,
    delay: float,
    drop: bool,
) -> tuple[float, dict[str, object]]:
    await asyncio.sleep(delay)
    command_id = f"bench-{id(tablet):x}-{motion}"
    start = time.perf_counter()
    if drop:
        await live.drop_connection()
        attempt = asyncio.create_task(tablet.cast_ballot(sid, motion, choice, command_id))
        await asyncio.sleep(random.uniform(0, 0.01))
        attempt.cancel()  # the connection goes away with the request in flight
        await tablet.http.aclose()
        tablet.http = type(tablet.http)(base_url=tablet.url, verify=tablet.ssl, timeout=60)
    receipt = await tablet.cast_ballot(sid, motion, choice, command_id)
    return time.perf_counter() - start, receipt


async def scenario(args: argparse.Namespace, host: HostProcess) -> dict[str, object]:
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    console, _body, sid, ids = await setup(host, args.tablets)
    browsers = set(rng.sample(range(len(ids)), round(len(ids) * args.browser)))
    tablets = await pair_all(host, console, ids, browsers)
    lives = [t.live(sid) for t in tablets]
    for live in lives:
        live.start()
    await asyncio.gather(
        *(live.wait_for(lambda s: s.world is not None, timeout=300) for live in lives)
    )
    setup_s = time.perf_counter() - t0
    gc.collect()
    gc.freeze()  # the load generator's own GC pauses would show up as host latency

    motion = await console.open_motion(
        sid, "Biểu quyết thử tải", BallotForm.ELECTRONIC, allow_change=False
    )
    await asyncio.gather(
        *(
            live.wait_for(lambda s: motion in s.world.sessions[sid].motions, timeout=60)
            for live in lives
        )
    )
    choices = [rng.choices([Choice.YES, Choice.NO, Choice.ABSTAIN], [80, 15, 5])[0] for _ in ids]
    droppers = set(rng.sample(range(len(ids)), round(len(ids) * args.drop)))
    vote_start = time.perf_counter()
    outcomes = await asyncio.gather(
        *(
            vote(t, lv, sid, motion, c, rng.uniform(0, args.spread), i in droppers)
            for i, (t, lv, c) in enumerate(zip(tablets, lives, choices, strict=True))
        )
    )
    voting_s = time.perf_counter() - vote_start
    latencies = [o[0] * 1000 for o in outcomes]
    direct = [lat for i, lat in enumerate(latencies) if i not in droppers]
    by_protocol = {
        name: [lat for i, lat in enumerate(latencies) if (i in browsers) == is_browser]
        for name, is_browser in (("qt_bearer", False), ("browser_cookie", True))
    }

    close_at = time.perf_counter()
    result = await console.close_motion(sid, motion)
    seen_at: list[float] = []

    async def result_seen(live: LiveSession) -> None:
        await live.wait_for(
            lambda s: s.world.sessions[sid].motions[motion].result is not None, timeout=60
        )
        seen_at.append(time.perf_counter() - close_at)

    await asyncio.gather(*(result_seen(lv) for lv in lives))
    reconnects = sum(lv.reconnects for lv in lives)
    for lv in lives:
        await lv.stop()
    for t in tablets:
        await t.close()
    await console.close()

    receipts_ok = all(o[1].get("receipt") for o in outcomes)
    expected = {c: choices.count(c) for c in Choice}
    tally = {Choice.YES: result["yes"], Choice.NO: result["no"], Choice.ABSTAIN: result["abstain"]}
    rss = peak_rss_mb(host.proc.pid) if host.proc else float("nan")
    host.stop()
    db = open_db(host.data_dir / "meetingapp.db", create=False)
    rows = db.execute(
        "SELECT delegate_id, count(*) FROM named_ballots WHERE motion_id = ? GROUP BY delegate_id",
        [motion],
    ).fetchall()
    stored = {r[0]: r[1] for r in rows}
    lost = sum(1 for did in ids if did not in stored)
    duplicated = sum(c - 1 for c in stored.values() if c > 1)
    lost_by = {
        name: sum(1 for i, did in enumerate(ids) if (i in browsers) == b and did not in stored)
        for name, b in (("qt_bearer", False), ("browser_cookie", True))
    }
    doubled_by = {
        name: sum(
            stored.get(did, 0) - 1
            for i, did in enumerate(ids)
            if (i in browsers) == b and stored.get(did, 0) > 1
        )
        for name, b in (("qt_bearer", False), ("browser_cookie", True))
    }
    return {
        "tablets": len(ids),
        "browser_protocol_tablets": len(browsers),
        "dropped_and_retried": len(droppers),
        "spread_s": args.spread,
        "ack_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
            "p99": round(percentile(latencies, 99), 1),
            "max": round(max(latencies), 1),
            "p99_without_dropped": round(percentile(direct, 99), 1),
            "mean": round(statistics.fmean(latencies), 1),
        },
        "ack_ms_by_protocol": {
            name: {
                "n": len(lats),
                "p50": round(percentile(lats, 50), 1),
                "p99": round(percentile(lats, 99), 1),
                "max": round(max(lats), 1),
                "lost": lost_by[name],
                "doubled": doubled_by[name],
            }
            for name, lats in by_protocol.items()
            if lats
        },
        "every_ballot_has_a_receipt": receipts_ok,
        "voting_wall_s": round(voting_s, 2),
        "result_on_every_client_s": {
            "max": round(max(seen_at), 3),
            "p50": round(percentile(seen_at, 50), 3),
        },
        "lost_ballots": lost,
        "duplicated_ballots": duplicated,
        "tally_matches_acknowledged": all(tally[c] == expected[c] for c in Choice),
        "stream_reconnects": reconnects,
        "host_peak_rss_mb": round(rss, 1),
        "setup_s": round(setup_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tablets", type=int, default=500)
    parser.add_argument("--drop", type=float, default=0.10, help="share of tablets that drop")
    parser.add_argument("--spread", type=float, default=3.0, help="seconds over which all vote")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--browser",
        type=float,
        default=0.0,
        help="share of tablets that speak the web page's protocol (cookie + CSRF header)",
    )
    parser.add_argument("--log", help="write the client library's log here")
    args = parser.parse_args()
    if args.log:
        logging.basicConfig(filename=args.log, level=logging.INFO)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # ~3 sockets per tablet
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    with tempfile.TemporaryDirectory(prefix="vote-load-") as tmp:
        host = HostProcess(Path(tmp) / "host").start()
        try:
            figures = asyncio.run(scenario(args, host))
        finally:
            host.stop()
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
