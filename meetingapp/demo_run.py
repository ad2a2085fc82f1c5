"""``meetingapp demo``: plays the demo meeting (``meetingapp.demo``) through a host started
here, then checks the event log of the host's database and prints the figures of each step."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from meetingapp.demo import Demo, DemoResult, Meter, Say, reset_output
from meetingapp.i18n import tr
from meetingapp.localhost import LocalHost


def run_demo(out_dir: Path, *, lang: str = "vi", say: Say = print, seed: int = 2026) -> DemoResult:
    """Run the whole scripted meeting into ``out_dir`` (replacing an earlier demo there)."""
    reset_output(out_dir)
    started = time.perf_counter()
    host = LocalHost(out_dir / "host").start()
    meter = Meter(host)
    try:
        demo = Demo(host, out_dir, lang, say, random.Random(seed), meter)
        result = asyncio.run(demo.run())
    finally:
        meter.close()
        host.stop()
    result.steps = meter.steps
    _final_checks(result, demo.step_say)
    total = time.perf_counter() - started
    _print_figures(result, total, say, lang)
    report = {
        "session_id": result.session_id,
        "present": result.present,
        "total": result.total,
        "motions": result.motions,
        "speeches": result.speeches,
        "log_head": result.log_head,
        "log_ok": result.log_ok,
        "signatures_ok": result.signatures_ok,
        "pdfsig_ok": result.pdfsig_ok,
        "signed_pdf": str(result.signed_pdf),
        "record_package": str(result.record_package),
        "steps": [asdict(s) for s in result.steps],
        "total_seconds": round(total, 1),
    }
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return result


def _final_checks(result: DemoResult, step: Callable[[str, str], None]) -> None:
    """After the host has stopped: the event log's hash chain and the annex's hash."""
    from meetingapp.store import EventLog, open_db

    db = open_db(result.db_path, create=False)
    try:
        report = EventLog(db).verify()
    finally:
        db.close()
    result.log_ok, result.log_head = report.ok, report.head
    vi, en = (
        tr(
            "log.ok" if report.ok else "log.broken",
            lang,
            count=report.count,
            head=report.head,
            seq=report.broken_seq,
            reason=tr(report.reason_key, lang),
        )
        for lang in ("vi", "en")
    )
    step(vi, en)


def _print_figures(result: DemoResult, total: float, say: Say, lang: str) -> None:
    vi = lang == "vi"
    say("")
    say("Thời gian và bộ nhớ từng bước:" if vi else "Time and memory per step:")
    say(f"  {'bước' if vi else 'step':32} {'giây' if vi else 's':>7} {'demo MB':>8} {'host MB':>8}")
    for s in result.steps:
        say(f"  {s.name:32} {s.seconds:7.2f} {s.demo_peak_mb:8.0f} {s.host_peak_mb:8.0f}")
    say(f"  {'tổng' if vi else 'total':32} {total:7.1f}")
    verdict = result.signatures_ok and result.pdfsig_ok is not False and result.log_ok
    say("")
    if vi:
        say("KẾT QUẢ KIỂM TRA: " + ("HỢP LỆ" if verdict else "KHÔNG HỢP LỆ"))
        say(f"Biên bản đã ký: {result.signed_pdf}")
        say(f"Hồ sơ lưu trữ:  {result.record_package}")
        say(f"Cơ sở dữ liệu:  {result.db_path}")
    else:
        say("VERIFICATION: " + ("VALID" if verdict else "NOT VALID"))
        say(f"Signed minutes: {result.signed_pdf}")
        say(f"Record package: {result.record_package}")
        say(f"Database:       {result.db_path}")
