"""The scripted demo meeting (``meetingapp demo``).

At this stage it runs through the session state machine on a real SQLite file: set-up from a
roster CSV, roll call by manual check-in, a speech, one named electronic vote that passes and
one secret ballot that fails under "more than half of the TOTAL", then closing and verifying
the event log. The host, face check-in, speech and signed minutes join as they are built.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind, Choice, ItemKind, Tally
from meetingapp.i18n import tr
from meetingapp.roster import import_roster
from meetingapp.rules import percent_text
from meetingapp.session import SessionMachine
from meetingapp.store import EventLog, open_db

NAMES = [
    ("Nguyễn Văn An", "Chủ tịch HĐND", "Tổ 1"),
    ("Trần Thị Bích Ngọc", "Phó Chủ tịch HĐND", "Tổ 1"),
    ("Lê Hoàng Dũng", "Trưởng ban Pháp chế", "Tổ 1"),
    ("Phạm Thị Hương", "Trưởng ban Kinh tế - Xã hội", "Tổ 2"),
    ("Hoàng Minh Đức", "Đại biểu", "Tổ 2"),
    ("Vũ Thị Thu Hà", "Đại biểu", "Tổ 2"),
    ("Đặng Quốc Khánh", "Đại biểu", "Tổ 3"),
    ("Bùi Thị Lan", "Đại biểu", "Tổ 3"),
    ("Đỗ Văn Hải", "Đại biểu", "Tổ 3"),
    ("Ngô Thị Mỹ Linh", "Đại biểu", "Tổ 4"),
    ("Dương Văn Thắng", "Đại biểu", "Tổ 4"),
    ("Lý Thị Tuyết", "Đại biểu", "Tổ 4"),
]


@dataclass(frozen=True)
class DemoResult:
    db_path: Path
    session_id: str
    motions: dict[str, Tally]
    passed: dict[str, bool]
    present: int
    total: int
    log_head: str
    log_ok: bool
    signed_pdf: Path
    record_package: Path
    signatures_ok: bool


def write_roster_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã", "Họ và tên", "Chức vụ", "Đơn vị", "Ghế", "PIN"])
        for i, (name, title, unit) in enumerate(NAMES, start=1):
            w.writerow([f"DB{i:02d}", name, title, unit, str(i), f"{1000 + i * 7:04d}"])


def run_demo(
    out_dir: Path, *, lang: str = "vi", say: Callable[[str], None] = print, seed: int = 2026
) -> DemoResult:
    """Run the whole scripted meeting into ``out_dir`` (replacing an earlier demo there)."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path = out_dir / "demo.db"
    for stale in out_dir.glob("demo.db*"):
        stale.unlink()
    db = open_db(db_path)
    m = SessionMachine(db)

    def step(vi: str, en: str) -> None:
        say("• " + (vi if lang == "vi" else en))

    body = m.create_body(
        kind=BodyKind.HDND,
        name="Hội đồng nhân dân xã Tân Phú",
        total_seats=len(NAMES),
        term="2021-2026",
        actor="demo",
    )
    roster_csv = out_dir / "roster.csv"
    write_roster_csv(roster_csv)
    ids = import_roster(m, body, roster_csv, actor="secretary")
    step(
        f"Đã nhập danh sách {len(ids)} đại biểu từ {roster_csv.name}",
        f"Imported {len(ids)} delegates from {roster_csv.name}",
    )

    sid = m.create_session(
        body_id=body,
        number=5,
        title="Kỳ họp thứ Năm",
        place="Hội trường UBND xã",
        chair_panel=[ids[0]],
        secretaries=[ids[2]],
        actor="secretary",
    )
    item1 = m.add_agenda_item(
        sid,
        title="Tờ trình về kế hoạch đầu tư công năm 2027",
        presenter="UBND xã",
        kind=ItemKind.PROPOSAL,
    )
    item2 = m.add_agenda_item(
        sid,
        title="Đề án sáp nhập thôn Đồng Xoài và thôn Bến Cát",
        presenter="UBND xã",
        kind=ItemKind.RESOLUTION,
    )
    m.add_document(
        sid,
        item_id=item1,
        title="Tờ trình kế hoạch đầu tư công năm 2027",
        doc_type="Tờ trình",
        number_symbol="125/TTr-UBND",
    )
    m.open_session(sid, actor="secretary")
    step(
        "Khai mạc kỳ họp thứ Năm, HĐND xã Tân Phú, nhiệm kỳ 2021-2026",
        "Session 5 of the Tân Phú commune People's Council opened",
    )

    m.start_roll_call(sid, actor="secretary")
    absent = {ids[6], ids[11]}
    for did in ids:
        if did not in absent:
            m.check_in(
                sid,
                did,
                method=AttendanceMethod.MANUAL,
                reason="Thư ký điểm danh trực tiếp",
                actor="secretary",
            )
    roll = m.close_roll_call(sid, actor="secretary")
    present, total = roll.payload["present"], roll.payload["total"]
    quorum = tr("quorum.met" if roll.payload["quorum_met"] else "quorum.not_met", lang)
    step(
        f"Điểm danh: có mặt {present}/{total} đại biểu — {quorum}",
        f"Roll call: {present}/{total} present — {quorum}",
    )

    m.start_item(sid, item1, actor="secretary")
    req = m.request_floor(sid, ids[4], actor=ids[4], command_id="demo-floor-1")
    speech = m.grant_floor(sid, req.payload["id"], actor="secretary")
    m.end_speech(sid, speech, actor="secretary")
    step(
        f"Đại biểu {NAMES[4][0]} ({NAMES[4][2]}) phát biểu về nội dung 1",
        f"Delegate {NAMES[4][0]} ({NAMES[4][2]}) spoke on item 1",
    )

    results: dict[str, Tally] = {}
    passed: dict[str, bool] = {}
    voters = [d for d in ids if d not in absent]

    named = m.open_motion(
        sid,
        title="Thông qua kế hoạch đầu tư công năm 2027",
        form=BallotForm.ELECTRONIC,
        actor="secretary",
    )
    named_choices = [Choice.YES] * 8 + [Choice.NO, Choice.ABSTAIN]
    rng.shuffle(named_choices)
    for did, choice in zip(voters, named_choices, strict=True):
        m.cast_ballot(sid, named, did, choice, actor=did, command_id=f"demo-{named}-{did}")
        # a tablet that retries after a dropped connection sends the same command id
        m.cast_ballot(sid, named, did, choice, actor=did, command_id=f"demo-{named}-{did}")
    closed = m.close_motion(sid, named, actor="secretary")
    _report(step, lang, "Biểu quyết điện tử", "Electronic vote", closed.payload)
    results[named], passed[named] = _tally(closed.payload), closed.payload["passed"]
    m.end_item(sid, item1, actor="secretary")

    m.start_item(sid, item2, actor="secretary")
    secret = m.open_motion(
        sid, title="Thông qua đề án sáp nhập thôn", form=BallotForm.SECRET, actor="secretary"
    )
    secret_choices = [Choice.YES] * 6 + [Choice.NO] * 3 + [Choice.ABSTAIN]
    rng.shuffle(secret_choices)
    for did, choice in zip(voters, secret_choices, strict=True):
        m.cast_ballot(sid, secret, did, choice, actor=did, command_id=f"demo-{secret}-{did}")
    closed = m.close_motion(sid, secret, actor="secretary")
    _report(step, lang, "Bỏ phiếu kín", "Secret ballot", closed.payload)
    results[secret], passed[secret] = _tally(closed.payload), closed.payload["passed"]

    m.close_session(sid, actor="secretary")
    report = EventLog(db).verify()
    step(
        tr(
            "log.ok" if report.ok else "log.broken",
            lang,
            count=report.count,
            head=report.head,
            seq=report.broken_seq,
            reason=tr(report.reason_key, lang),
        ),
        tr(
            "log.ok" if report.ok else "log.broken",
            "en",
            count=report.count,
            head=report.head,
            seq=report.broken_seq,
            reason=tr(report.reason_key, "en"),
        ),
    )
    signed, package, signatures_ok = _minutes(m, sid, out_dir, step)
    db.close()
    return DemoResult(
        db_path,
        sid,
        results,
        passed,
        present,
        total,
        report.head,
        report.ok,
        signed,
        package,
        signatures_ok,
    )


def _minutes(
    m: SessionMachine, sid: str, out_dir: Path, step: Callable[[str, str], None]
) -> tuple[Path, Path, bool]:
    """Draft, finalise, sign (secretary → chair → seal with demo certificates), verify, export."""
    from exports.certs import make_demo_certs
    from exports.signing import load_pkcs12, sign_minutes, signature_reports, signed_name
    from meetingapp.server.minutes import draft_minutes, export_session, finalise_minutes

    minutes_dir = out_dir / "bien-ban"
    for stale in minutes_dir.glob("BB-*"):
        stale.unlink()
    draft = draft_minutes(m, sid, minutes_dir)
    step(
        f"Dự thảo biên bản: {draft.docx.name}, {draft.pdf.name}",
        f"Draft minutes: {draft.docx.name}, {draft.pdf.name}",
    )
    final = finalise_minutes(m, sid, minutes_dir, seal=True)
    step(
        f"Hoàn tất biên bản số {final.number:02d}: {final.pdf.name}",
        f"Minutes no. {final.number:02d} finalised: {final.pdf.name}",
    )
    certs = make_demo_certs(out_dir / "chung-thu-demo")
    signed = signed_name(final.pdf)
    source = final.pdf
    for role, vi, en in (
        ("secretary", "Thư ký", "Secretary"),
        ("chair", "Chủ tọa", "Chair"),
        ("seal", "Văn thư (đóng dấu)", "Seal"),
    ):
        report = sign_minutes(
            source, role, load_pkcs12(certs.p12[role], certs.password), out=signed
        )
        source = signed
        step(
            f"{vi} đã ký số: {report.signer}, {report.signed_at}",
            f"{en} signed: {report.signer}, {report.signed_at}",
        )
    reports = signature_reports(signed.read_bytes(), [certs.ca.read_bytes()])
    ok = bool(reports) and all(r.ok and r.trusted for r in reports)
    step(
        f"Kiểm tra chữ ký: {len(reports)} chữ ký, " + ("HỢP LỆ" if ok else "KHÔNG HỢP LỆ"),
        f"Signature check: {len(reports)} signatures, " + ("VALID" if ok else "NOT VALID"),
    )
    package = export_session(m, sid, out_dir / "ho-so", signed_pdf=signed)
    step(f"Hồ sơ lưu trữ: {package}", f"Record package: {package}")
    return signed, package, ok


def _tally(p: dict[str, object]) -> Tally:
    return Tally(int(p["yes"]), int(p["no"]), int(p["abstain"]))  # type: ignore[call-overload]


def _report(
    step: Callable[[str, str], None], lang: str, form_vi: str, form_en: str, p: dict[str, object]
) -> None:
    total = int(p["total"])  # type: ignore[call-overload]
    parts_vi, parts_en = [], []
    for key in ("yes", "no", "abstain"):
        n = int(p[key])  # type: ignore[call-overload]
        parts_vi.append(f"{tr('choice.' + key, 'vi')}: {n}/{total} ({percent_text(n, total)})")
        parts_en.append(f"{tr('choice.' + key, 'en')}: {n}/{total} ({percent_text(n, total)})")
    verdict = "result.passed" if p["passed"] else "result.failed"
    step(
        f"{form_vi}: " + "; ".join(parts_vi) + f" — Kết quả: {tr(verdict, 'vi')}",
        f"{form_en}: " + "; ".join(parts_en) + f" — Result: {tr(verdict, 'en')}",
    )
