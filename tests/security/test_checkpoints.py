"""Attack: rewrite the event log after the fact (issue #14, finding 7), caught without the
minutes: the host signs checkpoints of the chain head, every screen keeps a copy."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

from meetingapp.checkpoints import EVERY_EVENTS
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.security.test_signed_minutes import cli, rewrite_from


def test_a_rewritten_log_fails_the_checkpoints_a_tablet_kept(
    host: HostProcess, tmp_path: Path
) -> None:
    kept: list[dict[str, Any]] = []

    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        sid = mt.session
        tablet = next(iter(mt.tablets.values()))
        live = tablet.live(sid).start()
        live.listeners.append(lambda m: kept.append(m) if m.get("type") == "checkpoint" else None)
        await live.wait_for(lambda s: s.world is not None)
        for _ in range(EVERY_EVENTS + 5):
            request = await mt.console.request_floor(sid, mt.delegates[2])
            await mt.console.withdraw_floor(sid, request)
        await asyncio.sleep(0.5)
        await live.stop()
        await mt.close()

    asyncio.run(scenario())
    assert kept, "no checkpoint reached the tablet"
    tablet_copy = tmp_path / "tablet-checkpoints.jsonl"
    tablet_copy.write_text("".join(json.dumps(c) + "\n" for c in kept))
    host.stop()
    ca = Path(host.info["ca_cert"])
    copy = tmp_path / "copy.db"
    for suffix in ("", "-wal"):
        src = host.data_dir / f"meetingapp.db{suffix}"
        if src.exists():
            shutil.copy(src, f"{copy}{suffix}")
    for file in (host.data_dir / "checkpoints.jsonl", tablet_copy):
        ok = cli("verify-log", str(copy), "--checkpoints", str(file), "--ca", str(ca))
        assert ok.returncode == 0 and "signed checkpoints" in ok.stdout, ok.stdout + ok.stderr

    rewrite_from(copy, 20, {"title": "Kỳ họp đã bị sửa"})
    assert cli("verify-log", str(copy)).returncode == 0  # consistent chain: the old check passes
    caught = cli("verify-log", str(copy), "--checkpoints", str(tablet_copy), "--ca", str(ca))
    assert caught.returncode == 1 and "rewritten" in caught.stderr
    # a checkpoint "re-signed" by someone without the host's CA key is refused
    forged = dict(kept[-1], hash="0" * 64)
    bad = tmp_path / "forged.jsonl"
    bad.write_text(json.dumps(forged) + "\n")
    refused = cli("verify-log", str(copy), "--checkpoints", str(bad), "--ca", str(ca))
    assert refused.returncode == 1 and "not validly signed" in refused.stderr
