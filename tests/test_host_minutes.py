"""Minutes through the real host: draft, finalise, download, sign on the signer's machine,
upload the signed copy (checked before it is stored)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from exports.certs import make_demo_certs
from exports.signing import load_pkcs12, sign_minutes
from meetingapp.client import HostClient, HostError
from meetingapp.package import verify_package
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet


async def fetch(client: HostClient, sha256: str, kind: str = "pdf") -> bytes:
    resp = await client.http.get(
        f"/api/minutes-files/{sha256}", params={"kind": kind}, headers=client._headers()
    )
    assert resp.status_code == 200, resp.text
    return resp.content


@pytest.mark.slow
def test_minutes_through_the_host(host: HostProcess, tmp_path: Path) -> None:
    # the certificates name the session's secretary and chair (the host checks this)
    certs = make_demo_certs(
        tmp_path / "certs",
        people={"secretary": "Đại biểu Thứ 1", "chair": "Đại biểu Thứ 0"},
    )

    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        console, sid = mt.console, mt.session
        clerk = await pair_tablet(host, console, None, role="clerk", name="văn phòng")
        tablet = next(iter(mt.tablets.values()))
        with pytest.raises(HostError) as info:
            await tablet.post(f"/api/sessions/{sid}/minutes/draft")
        assert info.value.status == 403
        draft = await clerk.post(f"/api/sessions/{sid}/minutes/draft")
        assert (await fetch(clerk, draft["pdf"]["sha256"])).startswith(b"%PDF")
        assert (await fetch(clerk, draft["docx"]["sha256"], "docx"))[:2] == b"PK"
        with pytest.raises(HostError) as info:
            await console.post(f"/api/sessions/{sid}/minutes/finalise")
        assert info.value.code == "illegal_transition"  # the session is still open
        await console.close_session(sid)
        final = await console.request(
            "POST",
            f"/api/sessions/{sid}/minutes/finalise",
            content=b"",
            content_type="application/octet-stream",
        )
        assert final["number"] == 1 and final["pdf"]["name"].startswith("BB-01-")
        with pytest.raises(HostError):
            await console.request(
                "POST",
                f"/api/sessions/{sid}/minutes/finalise",
                content=b"",
                content_type="application/octet-stream",
            )

        await console.trust_ca(mt.body, certs.ca.read_bytes())
        pdf = tmp_path / final["pdf"]["name"]
        pdf.write_bytes(await fetch(clerk, final["pdf"]["sha256"]))
        signed = tmp_path / "signed.pdf"
        # pyHanko's synchronous API runs its own event loop: sign off the test's loop, as the
        # app's worker threads do
        await asyncio.to_thread(
            sign_minutes, pdf, "secretary", load_pkcs12(certs.p12["secretary"], "demo"), out=signed
        )
        up = await clerk.request(
            "POST",
            f"/api/sessions/{sid}/minutes/signed",
            content=signed.read_bytes(),
            content_type="application/octet-stream",
        )
        assert up["fields"] == ["ThuKy"] and up["signers"] == ["Đại biểu Thứ 1"]
        await asyncio.to_thread(
            sign_minutes, signed, "chair", load_pkcs12(certs.p12["chair"], "demo")
        )
        up = await console.request(
            "POST",
            f"/api/sessions/{sid}/minutes/signed",
            content=signed.read_bytes(),
            content_type="application/octet-stream",
        )
        assert up["fields"] == ["ThuKy", "ChuToa"]
        state = await console.state(sid)
        assert state["session"]["minutes"]["state"] == "signed_chair"
        assert state["session"]["minutes"]["signed_sha256"] == up["sha256"]
        with pytest.raises(HostError) as info:  # not the finalised minutes
            await console.request(
                "POST",
                f"/api/sessions/{sid}/minutes/signed",
                content=await fetch(clerk, draft["pdf"]["sha256"]),
                content_type="application/octet-stream",
            )
        assert info.value.code == "minutes.not_this"
        tampered = bytearray(signed.read_bytes())
        tampered[len(pdf.read_bytes()) + 400] ^= 1
        with pytest.raises(HostError) as info:
            await console.request(
                "POST",
                f"/api/sessions/{sid}/minutes/signed",
                content=bytes(tampered),
                content_type="application/octet-stream",
            )
        assert info.value.code == "minutes.bad_signatures"
        # the record package from the host proves itself: signed minutes, DOCX, log chain
        name, package = await clerk.record_package(sid)
        (tmp_path / name).write_bytes(package)
        report = await asyncio.to_thread(verify_package, tmp_path / name, [certs.ca.read_bytes()])
        assert report.ok, report.message("en")
        assert report.params["signatures"] == 2
        await clerk.close()
        await mt.close()

    asyncio.run(scenario())
