"""Minutes benchmark: a synthetic 3-hour session (60 delegates, 15 agenda items, 100 speeches,
20 votes) → draft DOCX, PDF through LibreOffice, finalise with signature fields, three
signatures (secretary, chair, seal), verification. Prints JSON with the seconds of each step.

    python bench/minutes.py [--png-dir docs/]   # also renders page 1 and the signature page
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exports.appearance import clean_scan  # noqa: E402
from exports.certs import make_demo_certs  # noqa: E402
from exports.demo_art import seal_scan, signature_scan  # noqa: E402
from exports.docx_minutes import render_docx  # noqa: E402
from exports.pdf import docx_to_pdf  # noqa: E402
from exports.pdfa import pdfa_findings  # noqa: E402
from exports.signing import (  # noqa: E402
    add_signature_fields,
    find_label,
    load_pkcs12,
    sign_minutes,
    signature_reports,
)
from meetingapp.domain import AttendanceMethod, BallotForm, BodyKind, Choice, ItemKind  # noqa: E402
from meetingapp.server.minutes import build_minutes  # noqa: E402
from meetingapp.session import DelegateSpec, SessionMachine  # noqa: E402
from meetingapp.store import open_db  # noqa: E402

TEXT = (
    "ngân sách đầu tư công kế hoạch phát triển kinh tế xã hội nông thôn mới giao thông thủy lợi "
    "y tế giáo dục đề nghị làm rõ nguồn vốn tiến độ giải ngân chất lượng công trình người dân "
    "cử tri phản ánh kiến nghị cơ quan chức năng xem xét"
)
WORDS = TEXT.split()
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "Văn An",
    "Thị Bích",
    "Minh Đức",
    "Thu Hà",
    "Quốc Khánh",
    "Thị Lan",
    "Văn Hải",
    "Mỹ Linh",
    "Văn Thắng",
    "Thị Tuyết",
    "Hữu Nghĩa",
    "Ngọc Ánh",
]


def synthetic_session(db_path: Path, rng: random.Random) -> tuple[SessionMachine, str]:
    t = [dt.datetime(2026, 7, 10, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))]

    def clock() -> str:
        t[0] += dt.timedelta(seconds=20)  # ~540 events over three hours
        return t[0].isoformat(timespec="seconds")

    m = SessionMachine(open_db(db_path), clock=clock)
    body = m.create_body(
        kind=BodyKind.HDND,
        name="Hội đồng nhân dân tỉnh Lâm Đồng",
        total_seats=60,
        term="X, 2021-2026",
    )
    ids = m.add_delegates(
        body,
        [
            DelegateSpec(
                full_name=f"{SURNAMES[i % 10]} {GIVEN[i % 12]} {chr(65 + i // 12)}",
                title="Đại biểu",
                unit=f"Tổ đại biểu {i % 8 + 1}",
                seat=str(i + 1),
            )
            for i in range(60)
        ],
    )
    sid = m.create_session(
        body_id=body,
        number=12,
        title="Kỳ họp thứ Mười hai",
        place="Hội trường Tỉnh ủy",
        chair_panel=[ids[0], ids[1]],
        secretaries=[ids[2]],
    )
    items = [
        m.add_agenda_item(
            sid,
            title=f"Nghị quyết số {i + 1} về {' '.join(rng.sample(WORDS, 5))}",
            presenter="Ủy ban nhân dân tỉnh",
            kind=ItemKind.RESOLUTION,
        )
        for i in range(15)
    ]
    for i, item in enumerate(items):
        m.add_document(
            sid,
            item_id=item,
            title=f"Tờ trình dự thảo nghị quyết {i + 1}",
            doc_type="Tờ trình",
            number_symbol=f"{100 + i}/TTr-UBND",
        )
    m.open_session(sid)
    m.start_roll_call(sid)
    for did in ids[:56]:
        m.check_in(sid, did, method=AttendanceMethod.PIN)
    m.note_absence(sid, ids[57], reason="Đi công tác nước ngoài")
    m.close_roll_call(sid)
    speech_no = 0
    for i, item in enumerate(items):
        m.start_item(sid, item)
        for _ in range(7 if i < 10 else 6):
            if speech_no == 100:
                break
            req = m.request_floor(sid, ids[rng.randrange(56)])
            m.end_speech(sid, m.grant_floor(sid, req.payload["id"]))
            speech_no += 1
        for form in (
            [BallotForm.ELECTRONIC, BallotForm.SECRET] if i < 5 else [BallotForm.ELECTRONIC]
        ):
            motion = m.open_motion(sid, title=f"Thông qua nghị quyết {i + 1}", form=form)
            for did in ids[:56]:
                m.cast_ballot(sid, motion, did, rng.choices(list(Choice), [85, 10, 5])[0])
            m.close_motion(sid, motion)
        m.end_item(sid, item)
    m.close_session(sid)
    return m, sid


def speech_text(rng: random.Random) -> str:
    sentences = [
        " ".join(rng.choices(WORDS, k=rng.randint(12, 25))).capitalize() + "."
        for _ in range(rng.randint(8, 20))
    ]
    return " ".join(sentences)


def render_png(pdf: Path, page: int, out: Path, dpi: int = 70) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(out.with_suffix("")),
        ],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--png-dir", help="write page 1 and the signature page as PNG here")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="bench-minutes-") as tmp_s:
        tmp = Path(tmp_s)
        machine, sid = synthetic_session(tmp / "session.db", rng)
        model = build_minutes(machine.world, sid, number=5, year=2026)
        model = dataclasses.replace(
            model,
            speeches=tuple(dataclasses.replace(sp, text=speech_text(rng)) for sp in model.speeches),
        )
        certs = make_demo_certs(tmp / "certs")
        keys = {role: load_pkcs12(path, "demo") for role, path in certs.p12.items()}
        steps: dict[str, float] = {}

        def timed(name: str, fn, *a, **kw):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            result = fn(*a, **kw)
            steps[name] = round(time.perf_counter() - start, 3)
            return result

        docx = timed("draft_docx_s", render_docx, model, tmp / "BB-05-2026-07-10.docx")
        plain = timed("render_pdfa_s", docx_to_pdf, docx, tmp / "pdf", pdfa=True)
        final = tmp / "BB-05-2026-07-10.pdf"
        timed("signature_fields_s", add_signature_fields, plain, final, seal=True)
        images = {
            "secretary": clean_scan(
                signature_scan(model.secretary.name if model.secretary else "")
            ),
            "chair": clean_scan(signature_scan(model.chairs[0].name)),
            "seal": clean_scan(seal_scan(model.body_name), kind="seal"),
        }
        signed = tmp / "BB-05-2026-07-10.signed.pdf"
        org = model.body_name
        for role, source in (("secretary", final), ("chair", signed), ("seal", signed)):
            timed(
                f"sign_{role}_s",
                sign_minutes,
                source,
                role,
                keys[role],
                out=signed,
                image=images[role],
                organisation=org,
            )
        reports = timed("verify_s", signature_reports, signed.read_bytes(), [certs.ca.read_bytes()])
        info = subprocess.run(["pdfinfo", str(signed)], capture_output=True, text=True).stdout
        pages = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
        if args.png_dir:
            out = Path(args.png_dir)
            out.mkdir(parents=True, exist_ok=True)
            render_png(signed, 1, out / "minutes-page-1.png")
            sig_page = find_label(signed.read_bytes(), "THƯ KÝ").page + 1
            render_png(signed, sig_page, out / "minutes-signature-page.png", dpi=100)
        print(
            json.dumps(
                {
                    "delegates": 60,
                    "agenda_items": 15,
                    "speeches": len(model.speeches),
                    "votes": len(model.motions),
                    "pages": pages,
                    **steps,
                    "total_s": round(sum(steps.values()), 3),
                    "signatures_ok": all(r.ok and r.trusted for r in reports),
                    "pdfa_findings": pdfa_findings(signed.read_bytes()),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
