"""One ballot of twelve on a named vote, through the real host: the console, the hall display,
the tablet, the draft minutes, the signed minutes (read back with pdftotext) and the CSV/XLSX
export all show the same counts — and nobody who cast nothing is counted as "Không biểu quyết".

Issue 16 found the console and display saying "Không biểu quyết: 0/12" while the minutes and
bieu-quyet.csv said "Không biểu quyết: 10/12, chiếm 83,33%"."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.certs import make_demo_certs
from exports.signing import load_pkcs12, sign_minutes
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting, pair_tablet
from ui.bridge import Bridge
from ui.delegate import DelegateTablet
from ui.display import PublicDisplay
from ui.secretary import SecretaryConsole

SCREEN = (
    "Tán thành: 1/12 (8,33%)",
    "Không tán thành: 0/12 (0,00%)",
    "Không biểu quyết: 0/12 (0,00%)",
    "Tham gia biểu quyết: 1/12 (8,33%)",
)
MINUTES = (
    "Số đại biểu tham gia biểu quyết: 1/12 đại biểu, chiếm 8,33% tổng số đại biểu.",
    "Tán thành: 1/12 đại biểu, chiếm 8,33% tổng số đại biểu.",
    "Không tán thành: 0/12 đại biểu, chiếm 0,00% tổng số đại biểu.",
    "Không biểu quyết: 0/12 đại biểu, chiếm 0,00% tổng số đại biểu.",
    "Kết quả: Không thông qua",
    "Tán thành (1): Đại biểu Thứ 3",
    "Không biểu quyết (0): —",
)


def pdf_words(pdf: bytes, tmp: Path) -> str:
    """The PDF's text with every run of white space made one space (lines wrap anywhere)."""
    path = tmp / "minutes.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    lines = [x for x in out.replace("\f", "\n").splitlines() if not x.strip().isdigit()]
    return " ".join(" ".join(lines).split())  # no page numbers between the words


def check_minutes(text: str) -> None:
    for line in MINUTES:
        assert line in text, line
    # the 11 who cast nothing are listed apart (10 present and silent, 1 absent)
    silent = ", ".join(sorted(f"Đại biểu Thứ {i}" for i in range(12) if i != 3))  # roster order
    assert f"Không tham gia biểu quyết (11): {silent}" in text
    assert "10/12" not in text and "83,33%" not in text  # the old miscount


@pytest.mark.slow
def test_one_ballot_of_twelve_reads_the_same_everywhere(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    mt = bridge.run(api_meeting(host, seats=12, present=11, tablets=0))
    voter = mt.delegates[3]
    tablet_client = bridge.run(pair_tablet(host, mt.console, voter, name="ghế 4"))
    display_client = bridge.run(pair_tablet(host, mt.console, None, role="display", name="tv"))
    clerk = bridge.run(pair_tablet(host, mt.console, None, role="clerk", name="văn phòng"))
    console = SecretaryConsole(bridge, mt.console, mt.session, mt.body)
    display = PublicDisplay(bridge, display_client, mt.session)
    tablet = DelegateTablet(bridge, tablet_client, mt.session, voter, tmp_path / "tablet")
    for w in (console, display, tablet):
        qtbot.addWidget(w)
    qtbot.waitUntil(lambda: console.motion_rule.count() > 0, timeout=10000)
    # the quorum and the votes needed come from the body's rules: 2/3 of 12, more than half of 12
    assert "Có mặt 11/12 — cần 8 để đủ số tối thiểu" in console.quorum_text.text()
    qtbot.waitUntil(lambda: "Có mặt 11/12 đại biểu (cần 8)" in display.quorum.text(), timeout=10000)
    assert console.motion_rule.currentData() == "majority_of_total"

    console.motion_title.setText("Nghị quyết về kế hoạch đầu tư công")
    console.motion_form.setCurrentIndex(console.motion_form.findData("electronic"))
    console._open_motion()
    qtbot.waitUntil(lambda: tablet.vote_buttons["yes"].isEnabled(), timeout=10000)
    qtbot.waitUntil(lambda: "cần 7 phiếu tán thành" in console.ballot_count.text(), timeout=10000)
    tablet.vote_buttons["yes"].click()  # the one ballot, from the delegate's tablet

    def receipt() -> None:
        text = (tablet.receipt.text(), tablet.status.text())
        assert "Đã ghi nhận: Tán thành" in text[0], text

    qtbot.waitUntil(receipt, timeout=30000)  # a loaded 2-core machine: give it time
    qtbot.waitUntil(lambda: "Đã nhận 1 phiếu" in console.ballot_count.text(), timeout=10000)
    console._close_motion(confirmed=True)  # the confirmation dialog is the secretary's "yes"
    qtbot.waitUntil(lambda: "KHÔNG THÔNG QUA" in display.result.text(), timeout=10000)
    qtbot.waitUntil(lambda: "KHÔNG THÔNG QUA" in console.result.text(), timeout=10000)
    qtbot.waitUntil(lambda: "KHÔNG THÔNG QUA" in tablet.motion_title.text(), timeout=10000)
    for shown in (console.result.text(), display.result.text(), tablet.motion_title.text()):
        for line in SCREEN:  # the hall display's items are unbreakable (no-break spaces)
            assert line in shown.replace("\u00a0", " "), (line, shown)

    async def minutes() -> tuple[bytes, bytes, bytes]:
        # the draft while the session is still open: the same counts, and no invented closing
        draft = await clerk.draft_minutes(mt.session)
        draft_pdf = await clerk.minutes_file(draft["pdf"]["sha256"])
        await mt.console.close_session(mt.session)
        final = await mt.console.finalise_minutes(mt.session)
        pdf = tmp_path / final["pdf"]["name"]
        pdf.write_bytes(await clerk.minutes_file(final["pdf"]["sha256"]))
        # a certificate naming the session's secretary, from a CA the body trusts (the host
        # checks both before it keeps a signed copy)
        people = {"secretary": "Đại biểu Thứ 1", "chair": "Đại biểu Thứ 0"}
        certs = await asyncio.to_thread(make_demo_certs, tmp_path / "certs", people=people)
        await mt.console.trust_ca(mt.body, certs.ca.read_bytes())
        signed = tmp_path / "signed.pdf"
        key = load_pkcs12(certs.p12["secretary"], "demo")
        await asyncio.to_thread(sign_minutes, pdf, "secretary", key, out=signed)
        await clerk.upload_signed_minutes(mt.session, signed.read_bytes())
        _, package = await clerk.record_package(mt.session)
        return draft_pdf, signed.read_bytes(), package

    draft_pdf, signed_pdf, package = bridge.run(minutes(), timeout=600)
    draft_text = pdf_words(draft_pdf, tmp_path)
    check_minutes(draft_text)
    assert "kết thúc vào hồi" not in draft_text
    assert "Dự thảo lập khi kỳ họp đang diễn ra" in draft_text
    signed_text = pdf_words(signed_pdf, tmp_path)
    check_minutes(signed_text)
    assert "Kỳ họp kết thúc vào hồi" in signed_text

    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        assert zf.read("manifest.json")  # the record package, with the signed copy in it
        assert any(n.endswith(".signed.pdf") for n in zf.namelist())
        rows = list(csv.reader(io.StringIO(zf.read("bieu-quyet.csv").decode("utf-8-sig"))))
        xlsx = load_workbook(io.BytesIO(zf.read("ket-qua.xlsx")))["Biểu quyết"]
    header = rows[0]
    expected = {
        "Tán thành": "1",
        "Không tán thành": "0",
        "Không biểu quyết": "0",
        "Tham gia biểu quyết": "1",
        "Không tham gia biểu quyết": "11",
        "Tổng số đại biểu": "12",
        "Tỷ lệ tán thành": "8,33%",
        "Tỷ lệ không biểu quyết": "0,00%",
        "Tỷ lệ tham gia biểu quyết": "8,33%",
        "Kết quả": "Không thông qua",
    }
    assert {k: rows[1][header.index(k)] for k in expected} == expected
    sheet = [[str(c.value) for c in row] for row in xlsx.iter_rows()]
    assert sheet[0] == header and {k: sheet[1][header.index(k)] for k in expected} == expected

    for w in (console, display, tablet):
        w.feed.stop()
    for c in (tablet_client, display_client, clerk):
        bridge.run(c.close())
    bridge.run(mt.close())
