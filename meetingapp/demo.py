"""The scripted demo meeting (``meetingapp demo``): one complete People's Council session played
through every real part.

The host runs in its own process on 127.0.0.1 (``meetingapp serve``); the secretary's console,
the clerk, the hall display and one tablet per delegate are real HTTPS + WebSocket clients. Faces
are checked by face_recognition, speeches are streamed as audio and transcribed by the bundled
Whisper model, the minutes are rendered by LibreOffice and signed with pyHanko, and the result is
checked with pyHanko and poppler's ``pdfsig``. Each step prints what happened, its wall time and
the peak memory of the demo and of the host.

Steps 2–4 (tablets and roll call, the presenter's document, speeches) are in ``demo_hall.py``.
"""

from __future__ import annotations

import asyncio
import csv
import random
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meetingapp import demo_script as script
from meetingapp import tools_check
from meetingapp.client import HostClient, LiveSession
from meetingapp.demo_hall import HallSteps, camera_frames, enrolment_photos
from meetingapp.domain import BallotForm, BodyKind, Choice, ItemKind
from meetingapp.i18n import tr
from meetingapp.localhost import LocalHost, rss_mb
from meetingapp.results import result_texts, vote_result
from meetingapp.roster import delegates_from_file

Say = Callable[[str], None]

__all__ = ["Demo", "DemoResult", "Meter", "Say", "camera_frames", "enrolment_photos"]


@dataclass
class StepFigure:
    name: str
    seconds: float
    demo_peak_mb: float
    host_peak_mb: float


@dataclass
class DemoResult:
    out_dir: Path
    db_path: Path
    session_id: str
    present: int
    total: int
    quorum_met: bool
    face_checked_in: str
    motions: dict[str, dict[str, Any]]
    speeches: list[dict[str, Any]]
    dropped_ballots: int  # ballots of the tablet that dropped, as counted by the host
    log_head: str
    log_ok: bool
    signed_pdf: Path
    record_package: Path
    signatures_ok: bool
    pdfsig_ok: bool | None  # None: poppler's pdfsig is not installed, not checked
    steps: list[StepFigure] = field(default_factory=list)


class Meter:
    """Wall time and peak resident memory (demo and host) of each step, sampled every 50 ms."""

    def __init__(self, host: LocalHost) -> None:
        self.host = host
        self.steps: list[StepFigure] = []
        self._peaks = [0.0, 0.0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self._peaks[0] = max(self._peaks[0], rss_mb())
            self._peaks[1] = max(self._peaks[1], self.host.rss_mb())

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self._peaks = [rss_mb(), self.host.rss_mb()]
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self._peaks[0] = max(self._peaks[0], rss_mb())
        self._peaks[1] = max(self._peaks[1], self.host.rss_mb())
        self.steps.append(StepFigure(name, round(seconds, 2), *(round(p) for p in self._peaks)))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def reset_output(out_dir: Path) -> None:
    """Remove an earlier demo's files (only those the demo writes)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("host", "bien-ban", "ho-so", "tai-lieu", "chung-thu-demo", "app", "report.json"):
        target = out_dir / stale
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)


class Demo(HallSteps):
    def __init__(
        self,
        host: LocalHost,
        out_dir: Path,
        lang: str,
        say: Say,
        rng: random.Random,
        meter: Meter,
    ) -> None:
        self.host = host
        self.out = out_dir
        self.lang = lang
        self.say = say
        self.rng = rng
        self.meter = meter
        self.tablets: dict[int, HostClient] = {}
        self.lives: dict[int, LiveSession] = {}
        self.ids: list[str] = []

    async def run(self) -> DemoResult:
        self.console = self.host.client(console=True, lang=self.lang)
        try:
            with self.meter.step("1 set-up"):
                self.heading(1, "Chuẩn bị kỳ họp", "Preparing the session")
                await self.setup()
            with self.meter.step("2 tablets and roll call"):
                self.heading(2, "Ghép máy tính bảng và điểm danh", "Pairing tablets, roll call")
                roll = await self.roll_call()
            with self.meter.step("3 documents"):
                self.heading(3, "Tài liệu theo người trình bày", "Following the presenter")
                await self.follow_document()
            speeches: list[dict[str, Any]] = []
            motions: dict[str, dict[str, Any]] = {}
            dropped = 0
            for item_index, item_id in enumerate(self.items):
                title = script.AGENDA[item_index][0]
                self.heading(4 + item_index, f"Nội dung {item_index + 1}: {title}", title)
                await self.console.start_item(self.sid, item_id)
                with self.meter.step(f"4 speeches, item {item_index + 1}"):
                    for speaker, agenda_index, text in script.SPEECHES:
                        if agenda_index == item_index:
                            speeches.append(await self.speech(speaker, text))
                with self.meter.step(f"5 vote, item {item_index + 1}"):
                    for agenda_index, title, form, choices in script.MOTIONS:
                        if agenda_index == item_index:
                            payload, counted = await self.vote(title, form, choices)
                            motions[title] = payload
                            dropped += counted
                await self.console.end_item(self.sid, item_id)
            await self.console.close_session(self.sid)
            with self.meter.step("6 minutes, signatures, record"):
                self.heading(6, "Biên bản, ký số, hồ sơ", "Minutes, signatures, record")
                signed, package, ok, pdfsig_ok = await self.minutes()
            return DemoResult(
                self.out,
                self.host.data_dir / "meetingapp.db",
                self.sid,
                roll["present"],
                roll["total"],
                roll["quorum_met"],
                self.ids[script.FACE],
                motions,
                speeches,
                dropped,
                "",
                False,
                signed,
                package,
                ok,
                pdfsig_ok,
            )
        finally:
            for live in self.lives.values():
                await live.stop()
            for client in [*self.tablets.values(), self.console]:
                await client.close()

    # --- 1 ---------------------------------------------------------------------------------

    async def setup(self) -> None:
        c = self.console
        self.body = await c.create_body(
            BodyKind.HDND, script.BODY_NAME, len(script.NAMES), script.TERM
        )
        roster_csv = self.out / "roster.csv"
        with roster_csv.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["Mã", "Danh xưng", "Họ và tên", "Chức vụ", "Đơn vị", "Ghế", "PIN"])
            for i, (name, title, unit) in enumerate(script.NAMES):
                honorific = script.HONORIFICS[i]
                w.writerow(
                    [f"DB{i + 1:02d}", honorific, name, title, unit, str(i + 1), script.pin_of(i)]
                )
        self.ids = await c.add_delegates(self.body, delegates_from_file(roster_csv))
        self.step_say(
            f"{script.BODY_NAME}: nhập {len(self.ids)} đại biểu từ {roster_csv.name}",
            f"{script.BODY_NAME}: {len(self.ids)} delegates imported from {roster_csv.name}",
        )
        self.sid = await c.create_session(
            body_id=self.body,
            number=script.SESSION_NUMBER,
            title=script.SESSION_TITLE,
            place=script.PLACE,
            chair_panel=[self.ids[script.CHAIR]],
            secretaries=[self.ids[script.SECRETARY]],
        )
        self.items = [
            await c.add_item(self.sid, title, presenter, ItemKind(kind))
            for title, presenter, kind in script.AGENDA
        ]
        docs_dir = self.out / "tai-lieu"
        self.documents: list[tuple[str, str, int]] = []  # id, sha256, pages
        pdfs = await asyncio.to_thread(make_documents, docs_dir)
        for (agenda_index, title, doc_type, symbol, _pages), pdf in zip(
            script.DOCUMENTS, pdfs, strict=True
        ):
            doc = await c.upload_document(
                self.sid, self.items[agenda_index], title, pdf.read_bytes(), doc_type, symbol
            )
            self.documents.append((doc["id"], doc["file_hash"], int(doc["pages"])))
            self.step_say(
                f"Tài liệu {symbol}: {pdf.name}, {doc['pages']} trang (máy chủ đếm)",
                f"Document {symbol}: {pdf.name}, {doc['pages']} pages (counted by the host)",
            )
        await c.open_session(self.sid)
        self.step_say(
            f"Khai mạc {script.SESSION_TITLE}, {len(self.items)} nội dung",
            f"{script.SESSION_TITLE} opened, {len(self.items)} agenda items",
        )

    # --- 5 ---------------------------------------------------------------------------------

    async def vote(self, title: str, form: str, choices: list[str]) -> tuple[dict[str, Any], int]:
        sid, c = self.sid, self.console
        motion = await c.open_motion(sid, title, BallotForm(form))
        voters = [i for i in sorted(self.tablets) if i >= 0]
        shuffled = list(choices)
        self.rng.shuffle(shuffled)
        dropped_counted = 0

        async def cast(i: int, choice: str) -> None:
            tablet = self.tablets[i]
            await asyncio.sleep(self.rng.uniform(0, 0.5))
            command_id = f"demo-{motion}-{i}"
            if i == script.DROPPER and form == "electronic":
                await self.lives[i].drop_connection()
                attempt = asyncio.create_task(
                    tablet.cast_ballot(sid, motion, Choice(choice), command_id)
                )
                await asyncio.sleep(0.005)
                attempt.cancel()  # the Wi-Fi goes with the ballot in flight
                await tablet.http.aclose()
                tablet.http = type(tablet.http)(base_url=tablet.url, verify=tablet.ssl, timeout=60)
            receipt = await tablet.cast_ballot(sid, motion, Choice(choice), command_id)
            if not receipt.get("seq"):
                raise RuntimeError(f"no receipt for {self.ids[i]}: {receipt}")

        await asyncio.gather(*(cast(i, ch) for i, ch in zip(voters, shuffled, strict=True)))
        console = self.lives[-1]
        if form == "secret":
            await console.wait_for(lambda s: s.progress.get(motion, 0) == len(voters))
            self.step_say(
                f"Bỏ phiếu kín: máy thư ký thấy {console.progress[motion]} phiếu đã nhận "
                "(không thấy lựa chọn)",
                f"Secret ballot: the console sees {console.progress[motion]} ballots received "
                "(not the choices)",
            )
        result = await c.close_motion(sid, motion)
        display = self.lives[-2]
        await display.wait_for(lambda s: self.rec(s).motions[motion].result is not None)
        assert display.world is not None
        shown = display.world.sessions[sid].motions[motion].result
        if form == "electronic":
            await console.wait_for(
                lambda s: self.ids[script.DROPPER] in self.rec(s).motions[motion].ballots
            )
            assert console.world is not None
            ballots = console.world.sessions[sid].motions[motion].ballots
            dropped_counted = sum(1 for d in ballots if d == self.ids[script.DROPPER])
            self.step_say(
                f"Máy tính bảng của {script.NAMES[script.DROPPER][0]} mất kết nối khi đang gửi "
                f"phiếu, gửi lại cùng mã lệnh: phiếu được tính {dropped_counted} lần",
                f"{script.NAMES[script.DROPPER][0]}'s tablet dropped its connection mid-vote "
                f"and retried with the same command id: counted {dropped_counted} time(s)",
            )
        figures = vote_result(display.world.sessions[sid].motions[motion])  # as every screen
        parts = {lang: "; ".join(result_texts(figures, lang)) for lang in ("vi", "en")}
        verdict = "result.passed" if result["passed"] else "result.failed"
        label_vi = "Biểu quyết điện tử (công khai)" if form == "electronic" else "Bỏ phiếu kín"
        label_en = "Electronic named vote" if form == "electronic" else "Secret ballot"
        self.step_say(
            f"{label_vi} «{title}»: {parts['vi']} — {tr(verdict, 'vi')} (màn hình hội trường: "
            f"{'THÔNG QUA' if shown and shown.passed else 'KHÔNG THÔNG QUA'})",
            f"{label_en} «{title}»: {parts['en']} — {tr(verdict, 'en')} "
            f"(hall display: {'PASSED' if shown and shown.passed else 'NOT PASSED'})",
        )
        return {k: result[k] for k in ("yes", "no", "abstain", "total", "passed")} | {
            "form": form
        }, dropped_counted

    # --- 6 ---------------------------------------------------------------------------------

    async def minutes(self) -> tuple[Path, Path, bool, bool | None]:
        from exports.appearance import load_image
        from exports.certs import DEMO_PEOPLE, make_demo_certs
        from exports.signing import load_pkcs12, sign_minutes, signature_reports, signed_name
        from meetingapp.package import verify_package

        sid, clerk, c = self.sid, self.clerk, self.console
        minutes_dir = self.out / "bien-ban"
        minutes_dir.mkdir(parents=True, exist_ok=True)
        draft = await clerk.draft_minutes(sid)
        for kind in ("docx", "pdf"):
            data = await clerk.minutes_file(draft[kind]["sha256"], kind)
            (minutes_dir / f"du-thao-{draft[kind]['name']}").write_bytes(data)
        self.step_say(
            f"Thư ký tổng hợp lập dự thảo: {draft['docx']['name']}, {draft['pdf']['name']}",
            f"The clerk drafted the minutes: {draft['docx']['name']}, {draft['pdf']['name']}",
        )
        final = await c.finalise_minutes(sid, seal=True)
        pdf = minutes_dir / final["pdf"]["name"]
        pdf.write_bytes(await clerk.minutes_file(final["pdf"]["sha256"]))
        (minutes_dir / final["docx"]["name"]).write_bytes(
            await clerk.minutes_file(final["docx"]["sha256"], "docx")
        )
        self.step_say(
            f"Hoàn tất biên bản số {final['number']:02d}: {pdf.name}",
            f"Minutes no. {final['number']:02d} finalised: {pdf.name}",
        )
        certs = await asyncio.to_thread(make_demo_certs, self.out / "chung-thu-demo")
        await c.trust_ca(self.body, certs.ca.read_bytes())  # the body trusts the demo CA
        images = await asyncio.to_thread(demo_signature_images, self.out)
        self.step_say(
            "Ảnh chữ ký (mực xanh) và con dấu (đỏ, 38 mm) nhập từ bản quét: "
            + ", ".join(p.name for p in images.values()),
            "Signature images (blue ink) and the seal (red, 38 mm) imported from scans: "
            + ", ".join(p.name for p in images.values()),
        )
        signed = signed_name(pdf)
        source = pdf
        for role, vi, en in (
            ("secretary", "Thư ký", "Secretary"),
            ("chair", "Chủ tọa", "Chair"),
            ("seal", "Văn thư (con dấu)", "Records office (seal)"),
        ):
            key = load_pkcs12(certs.p12[role], certs.password)
            # pyHanko's synchronous API runs an event loop of its own: sign in a worker thread
            report = await asyncio.to_thread(
                sign_minutes,
                source,
                role,
                key,
                out=signed,
                image=load_image(images[role]),
                organisation=DEMO_PEOPLE["seal"],
            )
            source = signed
            stored = await clerk.upload_signed_minutes(sid, signed.read_bytes())
            self.step_say(
                f"{vi} ký số trên máy của mình: {report.signer}, {report.signed_at}; máy chủ "
                f"kiểm tra và lưu bản ký ({', '.join(stored['fields'])})",
                f"{en} signed on their own machine: {report.signer}, {report.signed_at}; the "
                f"host checked and kept the signed copy ({', '.join(stored['fields'])})",
            )
        reports = await asyncio.to_thread(
            signature_reports, signed.read_bytes(), [certs.ca.read_bytes()]
        )
        ok = len(reports) == 3 and all(r.ok and r.trusted for r in reports)
        pdfsig_ok = await asyncio.to_thread(pdfsig_valid, signed, 3)
        skipped = {lang: tr("tools.pdfsig_skipped", lang) for lang in ("vi", "en")}
        self.step_say(
            f"Kiểm tra chữ ký (pyHanko): {len(reports)} chữ ký, "
            + ("HỢP LỆ" if ok else "KHÔNG HỢP LỆ")
            + "; pdfsig: "
            + (skipped["vi"] if pdfsig_ok is None else "HỢP LỆ" if pdfsig_ok else "KHÔNG HỢP LỆ"),
            f"Signature check (pyHanko): {len(reports)} signatures, "
            + ("VALID" if ok else "NOT VALID")
            + "; pdfsig: "
            + (skipped["en"] if pdfsig_ok is None else "VALID" if pdfsig_ok else "NOT VALID"),
        )
        name, data = await clerk.record_package(sid)
        record_dir = self.out / "ho-so"
        record_dir.mkdir(parents=True, exist_ok=True)
        package = record_dir / name
        package.write_bytes(data)
        checked = await asyncio.to_thread(verify_package, package, [certs.ca.read_bytes()])
        self.step_say(
            f"Hồ sơ lưu trữ tải về từ máy chủ: {package} — {checked.message('vi')}",
            f"Record package downloaded from the host: {package} — {checked.message('en')}",
        )
        return signed, package, ok and checked.ok, pdfsig_ok


# --- demo material --------------------------------------------------------------------------


def demo_signature_images(folder: Path) -> dict[str, Path]:
    """Scans of the demo signers' handwritten signatures and of the body's seal (drawn here),
    imported as a real scan is: paper transparent, ink blue or red, sizes normalised."""
    from exports.appearance import import_image
    from exports.certs import DEMO_PEOPLE
    from exports.demo_art import seal_scan, signature_scan

    scans = folder / "chu-ky" / "ban-quet"
    scans.mkdir(parents=True, exist_ok=True)
    out = {}
    for role, name in DEMO_PEOPLE.items():
        scan = scans / f"{role}.jpg"
        if role == "seal":
            scan.write_bytes(seal_scan(name))
            out[role] = import_image(scan, folder, name, kind="seal")
        else:
            scan.write_bytes(signature_scan(name))
            out[role] = import_image(scan, folder, name)
    return out


def make_documents(out_dir: Path) -> list[Path]:
    """The agenda documents as DOCX, rendered to PDF by LibreOffice."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    from exports.pdf import docx_to_pdf

    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for n, (_item, title, _type, symbol, pages) in enumerate(script.DOCUMENTS, start=1):
        doc = Document()
        style = doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
        for p, paragraphs in enumerate(pages):
            for text in paragraphs:
                doc.add_paragraph(text)
            doc.add_paragraph(f"{symbol} — {title} — trang {p + 1}/{len(pages)}")
            if p < len(pages) - 1:
                doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        docx = out_dir / f"tai-lieu-{n}.docx"
        doc.save(str(docx))
        pdfs.append(docx_to_pdf(docx, out_dir))
    return pdfs


def pdfsig_valid(pdf: Path, expected: int) -> bool | None:
    """poppler's pdfsig: every signature's digest and signature must be valid (None: no pdfsig
    here, the check waits for poppler-utils; pyHanko's check still counts)."""
    exe = tools_check.find(tools_check.POPPLER)
    if exe is None:
        return None
    out = subprocess.run([exe, str(pdf)], capture_output=True, text=True, timeout=60).stdout
    return out.count("Signature Validation: Signature is Valid.") == expected
