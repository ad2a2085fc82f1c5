"""The seat's view on the host (no browser): the same rules as the Qt tablet, ballot secrecy, the
QR's URL, page images rendered once."""

from __future__ import annotations

import asyncio
import itertools
import re
from pathlib import Path

import pytest

from meetingapp import lan
from meetingapp.domain import BallotForm, Choice
from meetingapp.server.documents import PageImages, page_width
from meetingapp.server.seat import delegate_actions, seat_view
from tests.helpers import make_meeting
from tests.meeting_api import make_pdf
from tests.web.conftest import run_async

# letters only Vietnamese uses (with their diacritics): none may appear in the pages' code
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def test_the_seat_allows_exactly_what_the_qt_tablet_allows() -> None:
    from ui import actions as A

    checked = 0
    for session, present, active, queued, has_floor, form, voted, may_change in itertools.product(
        ("scheduled", "open", "closed"),
        *[(False, True)] * 4,
        (None, "electronic", "secret", "show_of_hands"),
        (False, True),
        (False, True),
    ):
        qt = A.allowed(
            "delegate",
            A.Snapshot(
                session=session,
                present=present,
                active_item=active,
                queued=queued,
                has_floor=has_floor,
                motion_form=form,
                voted=voted,
                may_change=may_change,
            ),
        )
        web = delegate_actions(
            session=session,
            present=present,
            active_item=active,
            queued=queued,
            has_floor=has_floor,
            motion_form=form,
            voted=voted,
            may_change=may_change,
        )
        assert web == qt & {A.CHECK_IN, A.REQUEST_FLOOR, A.WITHDRAW, A.VOTE}
        checked += 1
    assert checked == 3 * 16 * 4 * 4


def test_the_view_carries_only_the_delegates_own_ballot(tmp_path: Path) -> None:
    mt = make_meeting(tmp_path, seats=6, present=6)
    m, sid = mt.machine, mt.session
    me, other = mt.delegates[0], mt.delegates[1]
    named = m.open_motion(sid, title="Kế hoạch", form=BallotForm.ELECTRONIC)
    m.cast_ballot(sid, named, me, Choice.NO, command_id="cmd-me-named")
    m.cast_ballot(sid, named, other, Choice.YES, command_id="cmd-other-named")
    view = seat_view(m.world, sid, me, "vi")
    assert view["vote"]["my_choice"] == "no" and view["vote"]["voted"]
    assert "yes" not in repr(view["vote"])  # the other delegate's ballot is not there
    assert "vote" in view["allowed"]  # may change until the close
    m.close_motion(sid, named)
    secret = m.open_motion(sid, title="Bầu", form=BallotForm.SECRET)
    m.cast_ballot(sid, secret, me, Choice.ABSTAIN, command_id="cmd-me-secret")
    view = seat_view(m.world, sid, me, "en")
    assert view["vote"]["voted"] and view["vote"]["my_choice"] is None
    assert view["vote"]["form_label"] == "Secret ballot"
    assert view["last_result"]["title"] == "Kế hoạch"
    assert view["last_result"]["lines"][0].startswith("In favour: 1/6")
    assert len({len(p) + len(c) for c, p in view["pads"].items()}) == 1


def test_the_qr_opens_the_web_seat_and_still_pairs_the_qt_tablet() -> None:
    fp = "ab" * 32
    uri = lan.pairing_uri(["https://10.0.0.5:8443", "https://[fd00::5]:8443"], fp, "ABCDE12345")
    assert uri.startswith("https://10.0.0.5:8443/seat/#")
    info = lan.parse_pairing_uri(uri)
    assert info.urls == ("https://10.0.0.5:8443", "https://[fd00::5]:8443")
    assert (info.fingerprint, info.code) == (fp, "ABCDE12345")
    old = "meetingapp://pair?url=https%3A%2F%2F10.0.0.5%3A8443&fp=" + fp + "&code=X"
    assert lan.parse_pairing_uri(old).code == "X"  # cards printed before still scan
    for bad in ("https://evil.example/other#url=https://x&fp=" + fp, "http://x/seat/#fp=" + fp):
        with pytest.raises(ValueError):
            lan.parse_pairing_uri(bad)


def test_page_images_are_rendered_once_for_every_tablet(tmp_path: Path) -> None:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(make_pdf(2))
    images = PageImages(tmp_path / "pages")
    made = []
    real = images._make
    images._make = lambda path, key: made.append(key) or real(path, key)  # type: ignore[method-assign]

    async def many() -> list[bytes]:
        return await asyncio.gather(*[images.get(pdf, "h" * 64, 2, 800) for _ in range(50)])

    results = run_async(many)  # in any order with the browser tests
    assert made == [("h" * 64, 2, 800)]
    assert len(set(results)) == 1 and results[0][:4] == b"RIFF"  # WebP
    assert (tmp_path / "pages" / ("h" * 64) / "2-800.webp").exists()
    assert [page_width(w) for w in (1, 480, 481, 1280, 5000)] == [480, 480, 800, 1280, 1920]


def test_the_pages_hold_no_label_of_their_own() -> None:
    """Every text key the pages use is served from the catalogue, and no file of the seat (or
    the shared code) carries a Vietnamese label of its own (a second copy would drift)."""
    from meetingapp.server.web import WEB_DIR, page_texts

    served = set(page_texts("vi"))
    used: set[str] = set()
    for path in WEB_DIR.rglob("*"):
        if path.suffix not in (".js", ".html"):
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'data-t="([\w.]+)"', text))
        used |= set(re.findall(r'\bt\("([\w.]+)"', text))
        if path.parent.name not in ("seat", "common"):
            continue  # the other pages' own tests speak for them
        for line in text.splitlines():
            code = line.split("//", 1)[0]
            assert not VIETNAMESE.search(code), f"{path.name}: {line.strip()}"
    assert used and used <= served, sorted(used - served)
    # families used with a variable part: t(`choice.${…}`), t(`role.${…}`), t(`item_state.${…}`)
    for family in ("choice.", "role.", "item_state."):
        assert any(k.startswith(family) for k in served)
