"""The real host on 127.0.0.1 with real HTTPS and WebSocket clients."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from meetingapp.client import HostClient, HostError, TrustError, pinned_context
from meetingapp.domain import AttendanceMethod, BallotForm, Choice, MotionState
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, make_pdf, pair_tablet


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def refused(status: int, code: str, coro) -> HostError:  # type: ignore[no-untyped-def]
    with pytest.raises(HostError) as info:
        await coro
    assert (info.value.status, info.value.code) == (status, code), str(info.value)
    return info.value


def test_unpaired_clients_get_nothing_and_bad_codes_are_limited(host: HostProcess) -> None:
    async def scenario() -> None:
        stranger = HostClient(host.info["url"], host.ssl())
        await refused(401, "auth.required", stranger.state("ses-x"))
        await refused(401, "auth.required", stranger.post("/api/bodies", {}))
        stranger.token = "forged-token"
        await refused(401, "auth.required", stranger.get("/api/me"))
        stranger.token = None
        for _ in range(10):
            await refused(401, "auth.bad_code", stranger.pair("000000", "kẻ lạ"))
        err = await refused(429, "auth.rate_limited", stranger.pair("000000", "kẻ lạ"))
        assert "Thử sai quá nhiều lần" in err.detail
        await stranger.close()

    run(scenario())


def test_the_ca_is_pinned_by_fingerprint(host: HostProcess) -> None:
    url, fp = host.info["url"], host.info["ca_fingerprint"]
    ctx = pinned_context(url, fp)
    assert httpx.get(f"{url}/api/health", verify=ctx).json()["ca_fingerprint"] == fp
    with pytest.raises(TrustError):
        pinned_context(url, "0" * 64)
    with pytest.raises(httpx.ConnectError):  # an ordinary client does not trust the host
        httpx.get(f"{url}/api/health")


def test_roles_and_one_delegate_per_device(host: HostProcess) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=2)
        sid, d0, d1 = mt.session, mt.delegates[0], mt.delegates[1]
        tablet = mt.tablets[d0]
        assert (await tablet.get("/api/me"))["delegate_id"] == d0
        await refused(
            403, "auth.forbidden", tablet.open_motion(sid, "Tự mở", BallotForm.ELECTRONIC)
        )
        await refused(403, "auth.not_yours", tablet.request_floor(sid, d1))
        await refused(403, "auth.forbidden", tablet.pairing_code("secretary"))
        motion = await mt.console.open_motion(
            sid, "Nghị quyết", BallotForm.ELECTRONIC, allow_change=False
        )
        receipt = await tablet.cast_ballot(sid, motion, Choice.YES)
        assert receipt["choice"] == "yes" and len(receipt["receipt"]) == 16
        err = await refused(409, "illegal_transition", tablet.cast_ballot(sid, motion, Choice.NO))
        assert "đại biểu đã biểu quyết" in err.detail
        await refused(403, "auth.forbidden", mt.console.cast_ballot(sid, motion, Choice.YES))
        display = await pair_tablet(host, mt.console, None, role="display", name="máy chiếu")
        await refused(403, "auth.forbidden", display.cast_ballot(sid, motion, Choice.YES))
        await refused(403, "auth.forbidden", display.request_floor(sid, d0))
        result = await mt.console.close_motion(sid, motion)
        assert (result["yes"], result["no"], result["passed"]) == (1, 0, False)
        await display.close()
        await mt.close()

    run(scenario())


def test_pin_login_binds_a_shared_tablet_and_pin_attempts_are_limited(
    host: HostProcess,
) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, present=8, tablets=0)
        shared = await pair_tablet(host, mt.console, None, name="máy dùng chung")
        d9 = mt.delegates[9]
        await refused(403, "auth.not_bound", shared.request_floor(mt.session))
        await refused(401, "auth.bad_pin", shared.login(d9, "0000"))
        await shared.login(d9, mt.pins[d9])
        await shared.check_in(mt.session, method=AttendanceMethod.PIN, pin=mt.pins[d9])
        state = await mt.console.state(mt.session)
        assert state["session"]["attendance"][d9]["method"] == "pin"
        d10 = mt.delegates[10]
        for _ in range(5):
            await refused(401, "auth.bad_pin", shared.login(d10, "9999"))
        await refused(429, "auth.rate_limited", shared.login(d10, mt.pins[d10]))
        await shared.close()
        await mt.close()

    run(scenario())


def test_votes_reach_every_screen_and_named_choices_stay_private_while_open(
    host: HostProcess,
) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, present=10, tablets=3)
        sid = mt.session
        console_live = mt.console.live(sid).start()
        lives = {d: t.live(sid).start() for d, t in mt.tablets.items()}
        for live in [console_live, *lives.values()]:
            await live.wait_for(lambda s: s.world is not None)
        motion = await mt.console.open_motion(sid, "Thông qua kế hoạch", BallotForm.ELECTRONIC)
        choices = [Choice.YES, Choice.YES, Choice.NO]
        for tablet, choice in zip(mt.tablets.values(), choices, strict=True):
            await tablet.cast_ballot(sid, motion, choice)
        await console_live.wait_for(
            lambda s: len(s.world.sessions[sid].motions[motion].ballots) == 3
        )
        d0, d1 = list(mt.tablets)[:2]
        await console_live.wait_for(lambda s: s.progress.get(motion) == 3)
        await lives[d0].wait_for(lambda s: d0 in s.world.sessions[sid].motions[motion].ballots)
        assert motion not in lives[d0].progress  # seat tablets get no running count
        own = lives[d0].world.sessions[sid].motions[motion].ballots
        assert own == {d0: Choice.YES}  # not d1's or d2's choice
        for did in mt.delegates[3:10]:
            await mt.console.post(
                f"/api/sessions/{sid}/check-in",
                {  # already present
                    "delegate_id": did,
                    "method": "manual",
                    "reason": "x",
                },
            ) if False else None
        result = await mt.console.close_motion(sid, motion)
        assert (result["yes"], result["no"], result["not_voting"]) == (2, 1, 7)
        for live in [console_live, *lives.values()]:
            await live.wait_for(
                lambda s: s.world.sessions[sid].motions[motion].state is MotionState.CLOSED
            )
            res = live.world.sessions[sid].motions[motion].result
            assert res is not None and (res.tally.yes, res.passed) == (2, False)
        # after the close, named ballots are public
        fresh = await mt.tablets[d1].state(sid)
        assert len(fresh["session"]["motions"][motion]["ballots"]) == 3
        for live in [console_live, *lives.values()]:
            await live.stop()
        await mt.close()

    run(scenario())


def test_a_tablet_that_drops_mid_vote_resumes_and_its_retry_counts_once(
    host: HostProcess,
) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=2)
        sid = mt.session
        d0, d1 = list(mt.tablets)
        live = mt.tablets[d0].live(sid).start()
        await live.wait_for(lambda s: s.world is not None)
        motion = await mt.console.open_motion(sid, "Biểu quyết", BallotForm.ELECTRONIC)
        await live.drop_connection()
        first = await mt.tablets[d0].cast_ballot(sid, motion, Choice.YES, command_id="cmd-d0-1")
        await mt.tablets[d1].cast_ballot(sid, motion, Choice.NO)
        again = await mt.tablets[d0].cast_ballot(sid, motion, Choice.YES, command_id="cmd-d0-1")
        assert again == first
        await live.wait_for(lambda s: s.reconnects >= 1 and s.connected.is_set())
        await live.wait_for(lambda s: d0 in s.world.sessions[sid].motions[motion].ballots)
        result = await mt.console.close_motion(sid, motion)
        assert (result["yes"], result["no"]) == (1, 1)
        await live.wait_for(lambda s: s.world.sessions[sid].motions[motion].result is not None)
        await live.stop()
        await mt.close()

    run(scenario())


def test_acknowledged_ballots_survive_sigkill_and_clients_resync(tmp_path: Path) -> None:
    proc = HostProcess(tmp_path / "host").start()

    async def before_crash() -> tuple[str, str, list[str], dict[str, str]]:
        mt = await api_meeting(proc, seats=12, present=12, tablets=8)
        motion = await mt.console.open_motion(mt.session, "Trước sự cố", BallotForm.SECRET)
        receipts = {}
        for did, tablet in mt.tablets.items():
            receipts[did] = (await tablet.cast_ballot(mt.session, motion, Choice.YES))["receipt"]
        tokens = [t.token or "" for t in mt.tablets.values()]
        await mt.close()
        return mt.session, motion, tokens, receipts

    sid, motion, tokens, receipts = asyncio.run(before_crash())
    proc.kill()
    proc.start()  # same data directory and port

    async def after_restart() -> None:
        console = proc.client(console=True)
        tablet = HostClient(console.url, proc.ssl(), token=tokens[0])
        live = tablet.live(sid).start()
        await live.wait_for(lambda s: len(s.world.sessions[sid].motions[motion].participants) == 8)
        result = await console.close_motion(sid, motion)
        assert result["yes"] == 8 and result["passed"]  # 8 * 2 > 12
        await live.wait_for(lambda s: s.world.sessions[sid].motions[motion].result is not None)
        await live.stop()
        await tablet.close()
        await console.close()

    try:
        asyncio.run(after_restart())
    finally:
        proc.stop()
    assert len(receipts) == 8


def test_documents_pdf_only_cached_and_followed(host: HostProcess, tmp_path: Path) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        sid, console = mt.session, mt.console
        pdf = make_pdf(pages=4)
        doc = await console.upload_document(
            sid,
            mt.item,
            "Tờ trình số 12/TTr-UBND",
            pdf,
            doc_type="Tờ trình",
            number_symbol="12/TTr-UBND",
        )
        assert doc["pages"] == 4
        err = await refused(
            422,
            "document.not_pdf",
            console.upload_document(sid, mt.item, "Ảnh", b"\x89PNG\r\n\x1a\n fake image"),
        )
        assert "không phải là PDF" in err.detail
        await refused(
            422,
            "document.not_pdf",
            console.upload_document(sid, mt.item, "Hỏng", pdf[: len(pdf) // 3]),
        )
        await refused(  # refused while streaming, before the handler (server.limits)
            413,
            "request.too_large",
            console.upload_document(sid, mt.item, "Lớn", b"%PDF-1.7\n" + b"0" * (51 * 2**20)),
        )
        tablet = next(iter(mt.tablets.values()))
        live = tablet.live(sid).start()
        await live.wait_for(lambda s: doc["id"] in s.world.sessions[sid].documents)
        cache = tmp_path / "tablet-cache"
        path = await tablet.download_document(doc["file_hash"], cache)
        assert path.read_bytes() == pdf
        assert await tablet.download_document(doc["file_hash"], cache) == path  # from cache
        for page in (1, 2, 3):
            await console.move_presenter(sid, doc["id"], page)
            await live.wait_for(
                lambda s, p=page: (
                    s.world.sessions[sid].presenter is not None
                    and s.world.sessions[sid].presenter.page == p
                )
            )
        await refused(422, "invalid_value", console.move_presenter(sid, doc["id"], 5))
        await live.stop()
        await mt.close()

    run(scenario())


def test_floor_queue_through_the_host(host: HostProcess) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=3)
        sid, console = mt.session, mt.console
        t = list(mt.tablets.values())
        r = [await tab.request_floor(sid) for tab in t]
        await console.reorder_floor(sid, [r[2], r[0], r[1]])
        state = await t[0].state(sid)
        assert state["session"]["queue"] == [r[2], r[0], r[1]]
        await t[1].withdraw_floor(sid, r[1])
        await refused(403, "auth.not_yours", t[1].withdraw_floor(sid, r[0]))
        speech = await console.grant_floor(sid, r[2], time_limit_s=180)
        state = await t[0].state(sid)
        assert state["session"]["current_speech"] == speech
        assert state["session"]["speeches"][speech]["time_limit_s"] == 180
        await refused(409, "illegal_transition", console.grant_floor(sid, r[0]))
        await console.end_speech(sid, speech)
        await mt.close()

    run(scenario())


def test_problems_are_readable_in_either_language(host: HostProcess) -> None:
    async def scenario() -> None:
        en = host.client(console=True, lang="en")
        err = await refused(404, "unknown_entity", en.open_session("ses-nope"))
        assert err.detail == "No session “ses-nope”."
        vi = host.client(console=True)
        err = await refused(404, "unknown_entity", vi.open_session("ses-nope"))
        assert err.detail == "Không tìm thấy session “ses-nope”."
        err = await refused(422, "request.invalid", vi.post("/api/bodies", {"kind": "xyz"}))
        assert err.detail.startswith("Yêu cầu không hợp lệ")
        raw = await vi.http.post(
            "/api/bodies",
            content=b"{not json",
            headers={**vi._headers(), "Content-Type": "application/json"},
        )
        assert raw.status_code == 422
        assert raw.headers["content-type"] == "application/problem+json"
        await en.close()
        await vi.close()

    run(scenario())


def test_rules_and_reasons_for_absence_through_the_host(host: HostProcess) -> None:
    """A body's own rule and a reason for absence are set from the console; a seat tablet's
    replica receives both (absence_noted used to be dropped by the client's filter)."""

    async def scenario() -> None:
        mt = await api_meeting(host, seats=12, present=10, tablets=1)
        sid, console = mt.session, mt.console
        seat = next(iter(mt.tablets.values()))
        live = seat.live(sid).start()
        await live.wait_for(lambda s: s.world is not None)
        three_quarters = {
            "name": "three_quarters",
            "numerator": 3,
            "denominator": 4,
            "strict": False,
            "label_vi": "Ít nhất ba phần tư tổng số đại biểu tán thành",
        }
        await console.define_rule(mt.body, three_quarters)
        await refused(403, "auth.forbidden", seat.define_rule(mt.body, three_quarters))
        bad = {**three_quarters, "numerator": 5}
        await refused(422, "invalid_value", console.define_rule(mt.body, bad))
        await refused(404, "unknown_entity", console.define_rule("body-nope", three_quarters))
        absent = mt.delegates[11]
        await console.note_absence(sid, absent, "Đi công tác tỉnh")
        await refused(409, "illegal_transition", console.note_absence(sid, absent, "  "))
        await refused(403, "auth.forbidden", seat.note_absence(sid, absent, "x"))
        await live.wait_for(
            lambda s: (
                s.world.sessions[sid].absences.get(absent) == "Đi công tác tỉnh"
                and "three_quarters" in s.world.rules[mt.body]
            )
        )
        assert live.world is not None
        assert live.world.needed(sid, "three_quarters") == 9  # 3/4 of 12
        assert live.world.needed(sid) == 8  # quorum: 2/3 of 12
        motion = await console.open_motion(
            sid, "Thông qua với ba phần tư", BallotForm.SHOW_OF_HANDS, rule="three_quarters"
        )
        await console.post(
            f"/api/sessions/{sid}/motions/{motion}/hands", {"yes": 8, "no": 2, "abstain": 0}
        )
        result = await console.close_motion(sid, motion)
        assert (result["yes"], result["passed"]) == (8, False)  # 8 < 9
        await live.stop()
        await mt.close()

    run(scenario())
