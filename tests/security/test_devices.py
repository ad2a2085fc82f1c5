"""A lost tablet or a token that lives for ever (issue #14, finding 9: "tokens never expire and
devices cannot be revoked")."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3

import pytest

from meetingapp.client import HostError
from meetingapp.server.auth import TOKEN_TTL_DAYS
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet


async def unauthorised(coro) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HostError) as info:
        await coro
    assert (info.value.status, info.value.code) == (401, "auth.required")


def test_revocation_expiry_and_repairing(host: HostProcess) -> None:
    async def scenario() -> tuple[str, str]:
        mt = await api_meeting(host, tablets=2)
        console, sid = mt.console, mt.session
        (d0, lost), (d1, kept) = list(mt.tablets.items())
        listed = {d["delegate_id"]: d for d in await console.devices() if d["delegate_id"]}
        assert set(listed) >= {d0, d1}
        until = dt.datetime.fromisoformat(listed[d0]["expires_at"])
        assert abs((until - dt.datetime.now(dt.UTC)).days - TOKEN_TTL_DAYS) <= 1
        with pytest.raises(HostError) as info:  # only the secretary manages devices
            await kept.devices()
        assert info.value.status == 403

        live = lost.live(sid).start()
        await live.wait_for(lambda s: s.world is not None)
        lost_id = listed[d0]["device_id"]
        dropped = live.reconnects
        await console.revoke_device(lost_id, "máy tính bảng bị mất")
        await unauthorised(lost.get("/api/me"))
        request = await console.request_floor(sid, d1)  # the revoked stream closes on it
        await asyncio.sleep(1.5)
        assert live.reconnects > dropped  # closed, and every reconnect is refused
        assert request not in live.world.sessions[sid].floor  # it saw nothing more
        assert (await kept.get("/api/me"))["delegate_id"] == d1  # others unaffected
        # re-pairing: a fresh code gives the delegate's new tablet a new identity and token
        again = await pair_tablet(host, console, d0, name="ghế thay thế")
        me = await again.get("/api/me")
        assert me["delegate_id"] == d0 and me["device_id"] != lost_id
        await unauthorised(lost.get("/api/me"))
        await live.stop()
        await again.close()
        token = kept.token or ""
        await mt.close()
        return lost_id, token

    lost_id, kept_token = asyncio.run(scenario())
    db = sqlite3.connect(host.data_dir / "meetingapp.db")
    kinds = [r[0] for r in db.execute("SELECT kind FROM events WHERE kind = 'device_revoked'")]
    assert kinds == ["device_revoked"]
    db.close()

    # a token older than TOKEN_TTL_DAYS no longer works (the host started again on the file)
    host.stop()
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=TOKEN_TTL_DAYS + 1)).isoformat()
    db = sqlite3.connect(host.data_dir / "meetingapp.db")
    db.execute("UPDATE devices SET created_at = ? WHERE device_id != 'console-local'", [old])
    db.commit()
    db.close()
    host.start()

    async def after_restart() -> None:
        console = host.client(console=True)
        kept = host.client()
        kept.token = kept_token
        await unauthorised(kept.get("/api/me"))
        assert (await console.get("/api/me"))["role"] == "secretary"  # the local console stays
        listed = await console.devices()
        assert all(d["expired"] for d in listed if d["device_id"] != "console-local")
        await kept.close()
        await console.close()

    asyncio.run(after_restart())
