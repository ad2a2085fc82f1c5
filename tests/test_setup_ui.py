"""The secretary's set-up screens against the real host, from an empty data directory: body and
term, roster with preview and row errors, session with chair and secretaries, agenda with types,
presenters and numbered documents, the printed pairing sheet (a tablet pairs from a card read
off the PDF), PIN check-in at the console, and the console opened for the session."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from meetingapp import device_store, lan, qr
from meetingapp.client import HostClient
from meetingapp.tablet_trust import fingerprint_lines
from tests.hostproc import HostProcess
from tests.meeting_api import make_pdf
from ui.bridge import Bridge
from ui.secretary import SecretaryConsole
from ui.setup import SetupWindow

ROSTER_BAD = "Họ và tên,Chức vụ,Ghế,PIN\nNguyễn Thị Lan,Chủ tịch HĐND,1,1234\n,Đại biểu,2,12\n"
ROSTER = "\n".join(
    ["Họ và tên,Chức vụ,Tổ đại biểu,Ghế,PIN"]
    + [
        f"{name},{title},Tổ {i % 3 + 1},{i + 1},{2000 + i}"
        for i, (name, title) in enumerate(
            [
                ("Nguyễn Thị Lan", "Chủ tịch HĐND"),
                ("Trần Văn Hùng", "Phó Chủ tịch HĐND"),
                ("Lê Thị Hoa", "Đại biểu"),
                ("Phạm Quốc Việt", "Đại biểu"),
                ("Hoàng Minh Đức", "Đại biểu"),
                ("Võ Thị Mai", "Đại biểu"),
                ("Đặng Văn Sơn", "Đại biểu"),
            ]
        )
    ]
)


@pytest.mark.slow
def test_set_up_a_session_from_an_empty_host(  # type: ignore[no-untyped-def]
    qtbot, bridge: Bridge, host: HostProcess, tmp_path: Path
) -> None:
    console = host.client(console=True)
    w = SetupWindow(bridge, console, tmp_path / "app")
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: "Chưa có cơ quan" in w.body_summary.text(), timeout=10000)
    assert w.link.text() == "● Đã kết nối"  # never a standing "Đang kết nối lại…"

    # 1. body and term (an empty name is refused, nothing created)
    w.create_body()
    qtbot.waitUntil(lambda: w.status.text() != "", timeout=10000)
    w.body_name.setText("Hội đồng nhân dân xã Tân Hà")
    w.seats.setValue(7)
    w.term.setText("2021-2026")
    w.create_body_btn.click()
    qtbot.waitUntil(lambda: "Tân Hà" in w.body_summary.text(), timeout=10000)
    assert not w.create_body_btn.isEnabled()

    # 2. roster: a bad file shows its rows and every error, and cannot be imported
    bad = tmp_path / "bad.csv"
    bad.write_text(ROSTER_BAD, encoding="utf-8")
    w.preview_file(bad)
    qtbot.waitUntil(lambda: "dòng 3" in w.row_errors.text().lower(), timeout=10000)
    assert w.preview.rowCount() == 2 and not w.import_btn.isEnabled()
    good = tmp_path / "ds.csv"
    good.write_text(ROSTER, encoding="utf-8")
    w.preview_file(good)
    qtbot.waitUntil(lambda: w.import_btn.isEnabled(), timeout=10000)
    assert w.preview.rowCount() == 7 and w.preview.item(1, 0).text() == "Trần Văn Hùng"
    w.import_btn.click()
    qtbot.waitUntil(lambda: w.roster.rowCount() == 7, timeout=10000)
    assert w.chair.count() == 7

    # 3. session
    w.session_title.setText("Kỳ họp thứ Mười (kỳ họp thường lệ cuối năm 2026)")
    w.place.setText("Hội trường UBND xã Tân Hà")
    w.chair.setCurrentIndex(0)
    w.secretaries.item(2).setCheckState(w.secretaries.item(2).checkState().Checked)
    w.number.setValue(10)
    w.create_session()
    qtbot.waitUntil(lambda: w.session_pick.count() == 1, timeout=10000)
    qtbot.waitUntil(lambda: w.open_console_btn.isEnabled(), timeout=10000)

    # 4. agenda: typed items with presenters, a numbered document
    for kind, title, presenter in (
        ("report", "Báo cáo tình hình kinh tế - xã hội năm 2026", "Chủ tịch UBND xã"),
        ("resolution", "Dự thảo nghị quyết dự toán ngân sách năm 2027", "Phó Chủ tịch UBND xã"),
        ("qa", "Chất vấn và trả lời chất vấn", ""),
    ):
        w.item_kind.setCurrentIndex(w.item_kind.findData(kind))
        w.item_title.setText(title)
        w.presenter.setText(presenter)
        n = w.agenda.rowCount()
        w.add_item()
        qtbot.waitUntil(lambda n=n: w.agenda.rowCount() == n + 1, timeout=10000)
    # reorder, amend, remove: a fourth item moved up, renamed, then taken off again
    w.item_title.setText("Nội dung tạm")
    w.add_item()
    qtbot.waitUntil(lambda: w.agenda.rowCount() == 4, timeout=10000)
    w.agenda.selectRow(3)
    w.move_item(-1)
    qtbot.waitUntil(lambda: w.agenda.item(2, 2).text() == "Nội dung tạm", timeout=10000)
    assert w.agenda.item(3, 2).text() == "Chất vấn và trả lời chất vấn"
    w.agenda.selectRow(2)
    w.item_title.setText("Báo cáo thẩm tra")
    w.presenter.setText("Trưởng ban Kinh tế - Xã hội")
    w.amend_item()
    qtbot.waitUntil(lambda: w.agenda.item(2, 2).text() == "Báo cáo thẩm tra", timeout=10000)
    assert w.agenda.item(2, 3).text() == "Trưởng ban Kinh tế - Xã hội"
    w.agenda.selectRow(2)
    w.remove_item()
    qtbot.waitUntil(lambda: w.agenda.rowCount() == 3, timeout=10000)
    assert [w.agenda.item(r, 0).text() for r in range(3)] == ["1", "2", "3"]
    assert w.agenda.item(2, 2).text() == "Chất vấn và trả lời chất vấn"
    assert w.agenda.item(1, 1).text() == "Dự thảo nghị quyết"
    assert w.agenda.item(1, 3).text() == "Phó Chủ tịch UBND xã"
    pdf = tmp_path / "to-trinh.pdf"
    pdf.write_bytes(make_pdf(2))
    w.doc_item.setCurrentIndex(1)
    w.doc_title.setText("Tờ trình dự toán ngân sách")
    w.doc_type.setText("Tờ trình")
    w.doc_number.setText("125/TTr-UBND")
    w.upload_document(pdf)
    qtbot.waitUntil(lambda: w.doc_list.count() == 1, timeout=15000)
    assert "125/TTr-UBND" in w.doc_list.item(0).text()

    sid = w._session_id()
    state = bridge.run(console.state(sid))
    rec = state["session"]
    assert rec["session"]["number"] == 10 and rec["session"]["place"].endswith("Tân Hà")
    assert len(rec["session"]["chair_panel"]) == 1 and len(rec["session"]["secretaries"]) == 1
    kinds = [i["kind"] for i in sorted(rec["items"].values(), key=lambda i: i["order"])]
    assert kinds == ["report", "resolution", "qa"]
    doc = next(iter(rec["documents"].values()))
    assert (doc["doc_type"], doc["number_symbol"]) == ("Tờ trình", "125/TTr-UBND")

    # 5. the pairing sheet: one card per delegate; a tablet pairs from a card read off the PDF
    sheet = tmp_path / "phieu.pdf"
    w.print_sheet(sheet)
    qtbot.waitUntil(lambda: "7" in w.sheet_result.text(), timeout=30000)
    doc_pdf = pdfium.PdfDocument(str(sheet))
    assert len(doc_pdf) == 2  # six cards a page
    page = doc_pdf[1].render(scale=2).to_pil()
    import io

    buf = io.BytesIO()
    page.save(buf, "PNG")
    text = qr.decode(buf.getvalue())  # the seventh card, alone on page 2
    assert text is not None
    card = lan.parse_pairing_uri(text)
    pairing, tablet = bridge.run(
        device_store.pair(list(card.urls), card.fingerprint, card.code, "Máy 07")
    )
    assert pairing.role == "delegate" and pairing.delegate_id
    names = {d["id"]: d["full_name"] for d in w.body()["delegates"]}  # type: ignore[index]
    assert names[pairing.delegate_id] == "Đặng Văn Sơn"
    bridge.run(tablet.close())

    # the steps for browser tablets: the sheet with the host's CA fingerprint (tablet_trust)
    trust = tmp_path / "tin-cay.pdf"
    w.print_trust_sheet(trust)
    qtbot.waitUntil(lambda: "tin-cay.pdf" in w.sheet_result.text(), timeout=30000)
    trust_text = "".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(trust))
    assert fingerprint_lines(host.info["ca_fingerprint"])[0] in trust_text

    # PIN check-in at the console for a delegate without a tablet
    bridge.run(console.open_session(sid))
    bridge.run(console.start_roll_call(sid))
    w.pin_delegate.setCurrentIndex(3)
    w.pin_code.setText("9999")
    w.pin_check_in()
    qtbot.waitUntil(lambda: "PIN" in w.status.text(), timeout=10000)
    w.pin_code.setText("2003")
    w.pin_check_in()
    qtbot.waitUntil(lambda: "đã điểm danh" in w.pin_result.text(), timeout=10000)
    att = bridge.run(console.state(sid))["session"]["attendance"]
    delegate = w.pin_delegate.currentData()
    assert att[delegate]["present"] and att[delegate]["method"] == "pin"

    # an absence with its reason, a delegate leaving early (a blank reason is refused)
    w.absent_delegate.setCurrentIndex(6)
    w.absent_reason.setText("Đi công tác")
    w.note_absence()
    qtbot.waitUntil(lambda: "Đã ghi" in w.status.text(), timeout=10000)
    w.absent_delegate.setCurrentIndex(3)
    w.leave_early()
    qtbot.waitUntil(
        lambda: w.status.text() != "" and "Đã ghi" not in w.status.text(), timeout=10000
    )
    w.absent_reason.setText("Ốm")
    w.leave_early()
    qtbot.waitUntil(lambda: "Đã ghi" in w.status.text(), timeout=10000)
    rec = bridge.run(console.state(sid))["session"]
    assert rec["absences"] == {w.absent_delegate.itemData(6): "Đi công tác"}
    assert rec["attendance"][delegate]["present"] is False
    assert rec["attendance"][delegate]["reason"] == "Ốm"

    opened = w.open_console()
    assert isinstance(opened, SecretaryConsole)
    qtbot.waitUntil(lambda: opened.feed.world is not None, timeout=10000)
    # the vote opens under the rule chosen from the body's rules (two thirds of all)
    qtbot.waitUntil(lambda: opened.motion_rule.count() >= 2, timeout=10000)
    assert opened.motion_rule.currentData() == "majority_of_total"
    assert "Quá nửa" in opened.motion_rule.currentText()
    from meetingapp.domain import AttendanceMethod

    for i in (0, 1, 2, 4, 5):  # five of seven present: the quorum (two thirds) is met
        did = w.absent_delegate.itemData(i)
        bridge.run(console.check_in(sid, did, method=AttendanceMethod.MANUAL, reason="Có mặt"))
    bridge.run(console.close_roll_call(sid))
    items = sorted(opened.feed.record().items.values(), key=lambda i: i.order)
    bridge.run(console.start_item(sid, items[1].id))
    opened.motion_rule.setCurrentIndex(opened.motion_rule.findData("two_thirds_of_total"))
    opened.motion_title.setText("Thông qua Nghị quyết dự toán")
    opened._open_motion()
    qtbot.waitUntil(lambda: opened.feed.record().open_motion is not None, timeout=10000)
    motion = opened.feed.record().motions[opened.feed.record().open_motion]
    assert motion.rule == "two_thirds_of_total"
    w.close()
    bridge.run(console.close())


def test_pairing_sheet_api_refuses_bad_requests(host: HostProcess) -> None:
    async def run() -> None:
        async with host.client(console=True) as console:
            from meetingapp.client import HostError

            with pytest.raises(HostError) as no_body:
                await console.post("/api/pairing-sheet", {})
            assert no_body.value.status == 404
            with pytest.raises(HostError) as too_long:
                await console.post("/api/pairing-sheet", {"ttl_min": 100000})
            assert too_long.value.status == 422
            tablet = HostClient(console.url, host.ssl())
            with pytest.raises(HostError) as anon:
                await tablet.post("/api/pairing-sheet", {})
            assert anon.value.status == 401
            await tablet.close()

    asyncio.run(run())
