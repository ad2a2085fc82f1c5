"""The parts of the LAN test that run inside a network namespace (``ip netns exec NS python -m
tests.lan_agent ROLE …``): the secretary's console on the host's side, a tablet on the other.

They meet only over the namespaces' own addresses; they coordinate through files in a shared
folder (the file system is common to the namespaces, the network is not)."""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import time
from pathlib import Path

from meetingapp import device_store, lan
from meetingapp.client import LiveSession
from meetingapp.domain import BallotForm, Choice
from meetingapp.localhost import LocalHost
from tests.meeting_api import api_meeting, make_pdf


def wait_file(path: Path, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path.name} never came")
        time.sleep(0.05)
    return json.loads(path.read_text())


def write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False))
    tmp.replace(path)


async def console(host_dir: Path, shared: Path) -> None:
    """Set up a session, print a pairing code, then (once the tablet follows) turn the page,
    open a vote and close it when the tablet's ballot is in."""
    host = LocalHost(host_dir)  # already running: only its host.json is read
    meeting = await api_meeting(host, seats=12, present=10, tablets=0)  # type: ignore[arg-type]
    c = meeting.console
    doc = await c.upload_document(meeting.session, meeting.item, "Tờ trình số 12", make_pdf(4))
    delegate = meeting.delegates[1]
    issued = await c.pairing_code("delegate", delegate)
    write(
        shared / "plan.json",
        {
            "session": meeting.session,
            "delegate": delegate,
            "code": issued["code"],
            "qr": issued["qr"],
            "document": doc["id"],
        },
    )
    ready = await asyncio.to_thread(wait_file, shared / "tablet-ready.json")
    doc_id = ready["document"]
    await c.move_presenter(meeting.session, doc_id, 3)
    motion = await c.open_motion(meeting.session, "Thông qua nghị quyết", BallotForm.ELECTRONIC)
    live = c.live(meeting.session).start()
    await live.wait_for(
        lambda s: delegate in s.world.sessions[meeting.session].motions[motion].ballots, 60
    )
    result = await c.close_motion(meeting.session, motion)
    write(shared / "console-done.json", {"motion": motion, "result": result})
    await live.stop()
    await meeting.close()


async def tablet(shared: Path) -> None:
    """Find the host by mDNS, pair with the code, follow the presenter's page and vote."""
    plan = await asyncio.to_thread(wait_file, shared / "plan.json")
    qr = lan.parse_pairing_uri(plan["qr"])
    started = time.monotonic()

    def ours(h: lan.FoundHost) -> bool:  # the TXT record follows the session a moment later
        return h.fingerprint == qr.fingerprint and h.properties.get("session") == plan["session"]

    found = await asyncio.to_thread(lan.browse, 30, until=lambda hosts: any(map(ours, hosts)))
    seen = time.monotonic() - started
    host = next((h for h in found if ours(h)), None) or next(
        h for h in found if h.fingerprint == qr.fingerprint
    )
    pairing, client = await device_store.pair(
        list(host.urls), host.fingerprint, plan["code"], "Máy tính bảng 02"
    )
    current = await client.get("/api/current-session")
    sid = current["session_id"]
    live = client.live(sid).start()
    await live.wait_for(lambda s: bool(s.world.sessions[sid].documents), 30)
    doc_id = next(iter(live.world.sessions[sid].documents))
    write(shared / "tablet-ready.json", {"document": doc_id})

    def turned(s: LiveSession) -> bool:
        presenter = s.world.sessions[sid].presenter
        return presenter is not None and presenter.page == 3

    await live.wait_for(turned, 60)
    page = live.world.sessions[sid].presenter.page
    await live.wait_for(lambda s: s.world.sessions[sid].open_motion is not None, 60)
    motion = live.world.sessions[sid].open_motion
    receipt = await client.cast_ballot(sid, motion, Choice.YES)
    await live.wait_for(lambda s: s.world.sessions[sid].motions[motion].result is not None, 60)
    write(
        shared / "tablet-done.json",
        {
            "discovered_s": round(seen, 2),
            "host": {"name": host.name, "addresses": list(host.addresses), "txt": host.properties},
            "url": client.url,
            "role": pairing.role,
            "delegate": pairing.delegate_id,
            "session": sid,
            "page": page,
            "receipt": receipt,
            "result_passed": live.world.sessions[sid].motions[motion].result.passed,
            "my_addresses": sorted({i.address for i in lan.interfaces()}),
            "hostname": socket.gethostname(),
        },
    )
    await live.stop()
    await client.close()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["console", "tablet"])
    p.add_argument("--shared", required=True)
    p.add_argument("--host-dir")
    args = p.parse_args()
    shared = Path(args.shared)
    if args.role == "console":
        asyncio.run(console(Path(args.host_dir), shared))
    else:
        asyncio.run(tablet(shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
