"""The hall display's view (``GET /api/display``), against the real host: what the web display
shows comes from the host's own rules (meetingapp.results, the body's quorum rule), in the
caller's language, and never a running count while a vote is open."""

from __future__ import annotations

import asyncio

from meetingapp.client import HostClient, HostError
from meetingapp.domain import BallotForm, Choice
from meetingapp.i18n import tr
from meetingapp.results import result_texts, vote_result
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet


def test_the_display_view_is_the_hosts_own(host: HostProcess) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, seats=12, present=10, tablets=3)
        sid, console = mt.session, mt.console
        display = await pair_tablet(host, console, None, role="display", name="tv")
        view = await display.get("/api/display")
        assert view["session_id"] == sid and view["title"] == "Kỳ họp thứ Nhất"
        assert view["item"] == tr("ui.item", "vi") + "Nghị quyết về kế hoạch năm"
        assert view["speaker"] is None and view["vote"] is None
        assert view["quorum"]["present"] == 10 and view["quorum"]["met"] is True
        assert view["quorum"]["text"].startswith("Có mặt 10/12")

        # an electronic vote: while open, its title only (no count, even after ballots)
        motion = await console.open_motion(sid, "Kế hoạch năm", BallotForm.ELECTRONIC)
        for (_, tablet), choice in zip(
            mt.tablets.items(), [Choice.YES, Choice.YES, Choice.NO], strict=True
        ):
            await tablet.cast_ballot(sid, motion, choice)
        view = await display.get("/api/display")
        assert view["vote"] == {
            "state": "open",
            "motion_id": motion,
            "title": "Kế hoạch năm",
            "text": tr("ui.voting", "vi") + "Kế hoạch năm",
        }
        await console.close_motion(sid, motion)
        live = console.live(sid).start()
        await live.wait_for(lambda s: s.world is not None and not s.world.sessions[sid].open_motion)
        result = vote_result(live.world.sessions[sid].motions[motion])
        await live.stop()
        view = await display.get("/api/display")
        assert view["vote"]["lines"] == list(result_texts(result, "vi"))
        assert view["vote"]["lines"][0] == "Tán thành: 2/12 (16,67%)"
        assert view["vote"]["passed"] is False and view["vote"]["verdict"] == "KHÔNG THÔNG QUA"
        english = await display.get("/api/display?lang=en")
        assert english["vote"]["lines"] == list(result_texts(result, "en"))
        assert english["vote"]["verdict"] == "NOT PASSED"

        # the floor with a time limit: the view says how long is left
        (_, speaker) = next(iter(mt.tablets.items()))
        speech = await console.grant_floor(sid, await speaker.request_floor(sid), time_limit_s=60)
        view = await display.get("/api/display")
        assert view["speaker"]["speech_id"] == speech
        assert view["speaker"]["text"] == tr("ui.speaking_2", "vi") + "Đại biểu Thứ 0"
        assert 50 < view["speaker"]["left_s"] <= 60

        # a session that does not exist: problem details in the caller's language
        try:
            await display.get("/api/display?session_id=nope")
        except HostError as exc:
            assert exc.status == 404 and "nope" in exc.detail
        else:
            raise AssertionError("an unknown session was answered")
        # only a paired device sees it
        stranger = HostClient(console.url, host.ssl())
        try:
            await stranger.get("/api/display")
        except HostError as exc:
            assert exc.status == 401
        else:
            raise AssertionError("an unpaired client was answered")
        await stranger.close()
        await display.close()
        await mt.close()

    asyncio.run(scenario())
