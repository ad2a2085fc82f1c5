"""Live captions: how far behind the speech they are, and what they cost the host.

Starts the real host (``meetingapp serve``, real model) on 127.0.0.1 in a temporary data
directory. Session A: a delegate's tablet streams a speech of ``--seconds`` (real Vietnamese
speech: the VIVOS development clips joined end to end) in 1-second chunks at the pace it is
spoken; the console and another tablet receive the captions. Session B, on the same host: ten
tablets vote over and over (open, ten ballots, close). The same votes run first for
``--baseline`` seconds with no speech (captions idle).

Caption delay: a caption that has heard ``upto`` seconds of the speech and reaches a screen at
wall time T is ``T - (t0 + upto)`` seconds behind the speech (t0: when the delegate started).
Prints JSON: caption count and delay (median, p95, max) per screen, the host's CPU use
(CPU seconds per second, of 2 cores) and ballot acknowledgement latency with and without the
speech, and the host's peak RSS.

    python bench/captions.py [--seconds 180] [--baseline 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from asr.recording import RATE, SAMPLE_BYTES, decode_to_pcm  # noqa: E402
from meetingapp.client import HostClient  # noqa: E402
from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind, Choice  # noqa: E402
from meetingapp.server.captions import LiveCaptions  # noqa: E402
from tests.hostproc import HostProcess  # noqa: E402
from tests.meeting_api import ApiMeeting, api_meeting, pair_tablet  # noqa: E402

SPEECH = ROOT.parent / "shared" / "data" / "speech" / "dev"


# the host's defaults (interval and window), read from a throwaway instance
CAPTIONS = LiveCaptions(lambda: None, Path("."), lambda s, m: None)  # type: ignore[arg-type,return-value]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if values else 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def speech_pcm(seconds: float) -> bytes:
    """Real speech: the VIVOS dev clips one after another (0.3 s apart) up to ``seconds``."""
    gap = b"\0\0" * int(0.3 * RATE)
    parts, size = [], 0
    need = int(seconds * RATE) * SAMPLE_BYTES
    while size < need:
        for clip in sorted(SPEECH.glob("VIVOS*.flac")):
            pcm = decode_to_pcm(clip) + gap
            parts.append(pcm)
            size += len(pcm)
            if size >= need:
                break
    return b"".join(parts)[:need]


async def voting_meeting(host: HostProcess, n: int) -> ApiMeeting:
    """Session B: another body on the same host, ``n`` delegates present with tablets."""
    console = host.client(console=True)
    body = await console.create_body(BodyKind.HDND, "Hội đồng nhân dân xã Biểu Quyết", n)
    ids = await console.add_delegates(
        body, [{"id": f"v{i:03d}", "full_name": f"Đại biểu Bầu {i}"} for i in range(n)]
    )
    sid = await console.create_session(body_id=body, number=1, title="Kỳ họp biểu quyết")
    item = await console.add_item(sid, "Nghị quyết thử")
    await console.open_session(sid)
    await console.start_roll_call(sid)
    for did in ids:
        await console.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="Có mặt")
    await console.close_roll_call(sid)
    await console.start_item(sid, item)
    meeting = ApiMeeting(console, body, sid, item, ids, {})
    for did in ids:
        meeting.tablets[did] = await pair_tablet(host, console, did, name=f"ghế {did}")
    return meeting


async def vote_loop(
    meeting, stop: asyncio.Event, latencies: list[float], rounds: list[int]
) -> None:
    """Open a vote in session B, every tablet votes, close it; again until ``stop``."""
    sid = meeting.session
    while not stop.is_set():
        motion = await meeting.console.open_motion(
            sid, f"Biểu quyết {rounds[0] + 1}", BallotForm.ELECTRONIC
        )

        async def ballot(tablet: HostClient, motion: str = motion) -> None:
            t0 = time.perf_counter()
            await tablet.cast_ballot(sid, motion, Choice.YES)
            latencies.append(time.perf_counter() - t0)

        await asyncio.gather(*(ballot(t) for t in meeting.tablets.values()))
        await meeting.console.close_motion(sid, motion)
        rounds[0] += 1
        await asyncio.sleep(1.0)


async def scenario(args: argparse.Namespace, host: HostProcess) -> dict[str, object]:
    pid = host.proc.pid
    pcm = speech_pcm(args.seconds)
    a = await api_meeting(host, tablets=2)
    b = await voting_meeting(host, 10)
    speaker, listener = list(a.tablets.values())
    screens = {"console": a.console.live(a.session), "tablet": listener.live(a.session)}
    received: dict[str, list[tuple[float, dict]]] = {k: [] for k in screens}
    for name, live in screens.items():
        live.start()
        live.listeners.append(
            lambda m, name=name: (
                received[name].append((time.time(), m)) if m.get("type") == "caption" else None
            )
        )
    for live in screens.values():
        await live.wait_for(lambda s: s.world is not None, timeout=60)

    # baseline: votes only
    lat_base: list[float] = []
    rounds = [0]
    stop = asyncio.Event()
    cpu0, w0 = cpu_seconds(pid), time.perf_counter()
    task = asyncio.create_task(vote_loop(b, stop, lat_base, rounds))
    await asyncio.sleep(args.baseline)
    stop.set()
    await task
    base_cpu = (cpu_seconds(pid) - cpu0) / (time.perf_counter() - w0)
    base_rounds = rounds[0]

    # the speech, with the same votes in session B
    request = await speaker.request_floor(a.session)
    speech = await a.console.grant_floor(a.session, request)
    lat_speech: list[float] = []
    rounds = [0]
    stop = asyncio.Event()
    task = asyncio.create_task(vote_loop(b, stop, lat_speech, rounds))
    step = RATE * SAMPLE_BYTES
    cpu0, w0 = cpu_seconds(pid), time.perf_counter()
    t0 = time.time()
    for index, start in enumerate(range(0, len(pcm), step)):
        chunk = pcm[start : start + step]
        # the chunk is sent once its second has been spoken
        await asyncio.sleep(max(0.0, t0 + (start + len(chunk)) / step - time.time()))
        await speaker.send_audio_chunk(a.session, speech, index, chunk)
    speech_cpu = (cpu_seconds(pid) - cpu0) / (time.perf_counter() - w0)
    stop.set()
    await task
    ended = time.time()
    await a.console.end_speech(a.session, speech)
    await screens["console"].wait_for(
        lambda s: bool(s.world.sessions[a.session].speeches[speech].segments), timeout=900
    )
    final_after = time.time() - ended
    await asyncio.sleep(0.5)

    result: dict[str, object] = {
        "speech_s": round(len(pcm) / step, 1),
        "interval_s": CAPTIONS.interval_s,
        "window_s": CAPTIONS.window_s,
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    for name, got in received.items():
        partial = [(t, m) for t, m in got if not m.get("final") and m["speech_id"] == speech]
        delays = [t - (t0 + m["upto"]) for t, m in partial]
        result[name] = {
            "captions": len(partial),
            "delay_median_s": round(statistics.median(delays), 2) if delays else None,
            "delay_p95_s": round(percentile(delays, 95), 2),
            "delay_max_s": round(max(delays), 2) if delays else None,
            "final_caption": any(m.get("final") for _, m in got),
            "last_partial": partial[-1][1]["text"] if partial else "",
        }
    result["final_transcript_after_end_s"] = round(final_after, 1)
    result["host_cpu_per_s"] = {
        "votes_only": round(base_cpu, 2),
        "votes_and_speech": round(speech_cpu, 2),
    }
    result["ballot_ack_ms"] = {
        "votes_only": {
            "rounds": base_rounds,
            "median": round(statistics.median(lat_base) * 1000, 1) if lat_base else None,
            "p95": round(percentile(lat_base, 95) * 1000, 1),
        },
        "votes_and_speech": {
            "rounds": rounds[0],
            "median": round(statistics.median(lat_speech) * 1000, 1) if lat_speech else None,
            "p95": round(percentile(lat_speech, 95) * 1000, 1),
        },
    }
    result["host_peak_rss_mb"] = round(peak_rss_mb(pid), 1)
    for live in screens.values():
        await live.stop()
    await a.close()
    await b.close()
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seconds", type=float, default=180.0)
    p.add_argument("--baseline", type=float, default=30.0)
    args = p.parse_args()
    os.environ["MEETINGAPP_LIVE_CAPTIONS"] = "on"
    with tempfile.TemporaryDirectory(prefix="captions-") as tmp:
        host = HostProcess(Path(tmp) / "host").start(timeout=300)  # a loaded machine is slow
        try:
            result = asyncio.run(scenario(args, host))
        finally:
            host.stop()
    result["machine"] = f"{os.cpu_count()} CPUs (shared)"
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
