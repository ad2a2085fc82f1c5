"""``meetingapp minutes|finalise|sign|signature-image|verify|export|verify-package``: the
minutes from a database, their signatures and the record package."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from meetingapp import settings
from meetingapp.cli_common import machine_on, session_id_of
from meetingapp.errors import NotFound
from meetingapp.i18n import LANGUAGES, current_language


def add_minutes_parsers(sub: Any) -> None:
    s = sub.add_parser("minutes", help="compile the draft minutes (DOCX + PDF) / lập dự thảo")
    s.add_argument("db", help="SQLite file")
    s.add_argument("--session", help="session id (needed when there are several)")
    s.add_argument("--out", default=".", help="output folder")
    s.add_argument("--annex-lang", choices=LANGUAGES, default="vi", help="annex headings")
    s.set_defaults(func=cmd_minutes)

    s = sub.add_parser("finalise", help="number, freeze and prepare the minutes for signing")
    s.add_argument("db", help="SQLite file")
    s.add_argument("--session", help="session id (needed when there are several)")
    s.add_argument("--out", default=".", help="output folder")
    s.add_argument("--docx", help="the clerk's reviewed DOCX (default: compile afresh)")
    s.add_argument("--seal", action="store_true", help="add the organisation-seal field")
    s.add_argument("--annex-lang", choices=LANGUAGES, default="vi", help="annex headings")
    s.set_defaults(func=cmd_finalise)

    s = sub.add_parser("sign", help="sign finalised minutes (secretary → chair → seal) / ký số")
    s.add_argument("pdf", help="BB-…pdf (finalised) or BB-….signed.pdf (partly signed)")
    s.add_argument("--role", required=True, choices=["secretary", "chair", "seal"])
    key = s.add_mutually_exclusive_group(required=True)
    key.add_argument("--p12", help="PKCS#12 file (.p12/.pfx)")
    key.add_argument("--pkcs11-lib", help="PKCS#11 module of a USB token or SoftHSM2")
    s.add_argument("--password-env", help="read the .p12 password from this variable")
    s.add_argument("--token-label", help="PKCS#11 token label")
    s.add_argument("--key-label", help="PKCS#11 key (and certificate) label")
    s.add_argument("--pin-env", help="read the token PIN from this variable")
    s.add_argument("--tsa", help="RFC 3161 timestamp server URL (PAdES B-T); none: B-B")
    s.add_argument("--out", help="where to write (default: BB-….signed.pdf beside it)")
    s.add_argument(
        "--image",
        help="signature (or seal) PNG; default: the one imported with signature-image for "
        "the certificate's name, else a text stamp",
    )
    s.add_argument("--text-stamp", action="store_true", help="a text stamp even if an image exists")
    s.add_argument("--organisation", help="name printed under the seal (default: certificate's)")
    s.add_argument("--data-dir", help="where imported images are kept (default: settings)")
    s.set_defaults(func=cmd_sign)

    s = sub.add_parser(
        "signature-image",
        help="import a scanned signature or seal for signing / nhập ảnh chữ ký, con dấu",
    )
    s.add_argument("scan", help="scan or photo of the signature (or seal) on white paper")
    s.add_argument(
        "--name",
        required=True,
        help="the signer as in their certificate (or the body, for the seal)",
    )
    s.add_argument("--seal", action="store_true", help="a seal: red, at its real size")
    s.add_argument("--seal-mm", type=float, default=38.0, help="seal diameter in mm (36–40)")
    s.add_argument("--preview", help="where to write the preview PNG (default: beside it)")
    s.add_argument("--data-dir", help="where images are kept (default: settings)")
    s.set_defaults(func=cmd_signature_image)

    s = sub.add_parser("verify", help="verify the signatures of a PDF / kiểm tra chữ ký số")
    s.add_argument("pdf", help="signed PDF")
    s.add_argument("--trust", action="append", default=[], help="trusted CA certificate (PEM)")
    s.add_argument("--json", action="store_true", help="one JSON object per signature")
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser("export", help="transcripts, votes, attendance and the record ZIP")
    s.add_argument("db", help="SQLite file")
    s.add_argument("--session", help="session id (needed when there are several)")
    s.add_argument("--out", default=".", help="output folder")
    s.add_argument("--signed", help="the signed minutes PDF to put in the record package")
    s.add_argument(
        "--data-dir",
        help="the host's data folder: adds the signed minutes, the DOCX and the recordings",
    )
    s.set_defaults(func=cmd_export)

    s = sub.add_parser(
        "verify-package",
        help="check a record package offline: signatures, log chain, every file / kiểm tra hồ sơ",
    )
    s.add_argument("zip", help="the record package (…-ho-so.zip)")
    s.add_argument("--trust", action="append", default=[], help="trusted CA certificate (PEM)")
    s.set_defaults(func=cmd_verify_package)


def cmd_minutes(args: argparse.Namespace) -> int:
    from meetingapp.server.minutes import draft_minutes

    machine = machine_on(args.db, "minutes")
    files = draft_minutes(
        machine, session_id_of(machine, args.session), Path(args.out), annex_lang=args.annex_lang
    )
    print(files.docx)
    print(files.pdf)
    return 0


def cmd_finalise(args: argparse.Namespace) -> int:
    from meetingapp.server.minutes import finalise_minutes

    machine = machine_on(args.db, "finalise")
    files = finalise_minutes(
        machine,
        session_id_of(machine, args.session),
        Path(args.out),
        edited_docx=Path(args.docx) if args.docx else None,
        seal=args.seal,
        annex_lang=args.annex_lang,
    )
    print(f"Số {files.number:02d}/{files.year}: {files.pdf}")
    return 0


def _secret(env: str | None, prompt: str) -> str:
    if env:
        value = os.environ.get(env)
        if value is None:
            raise NotFound(kind="environment variable", ident=env)
        return value
    import getpass

    return getpass.getpass(prompt)


def cmd_sign(args: argparse.Namespace) -> int:
    from exports.appearance import load_image, profile_path
    from exports.signing import load_pkcs11, load_pkcs12, sign_minutes, signed_name

    if args.p12:
        signer = load_pkcs12(Path(args.p12), _secret(args.password_env, "Mật khẩu / password: "))
    else:
        pin = _secret(args.pin_env, "PIN: ")
        signer = load_pkcs11(
            args.pkcs11_lib, token_label=args.token_label, key_label=args.key_label, pin=pin
        )
    out = Path(args.out) if args.out else signed_name(Path(args.pdf))
    image = None
    if args.image:
        image = load_image(Path(args.image))
    elif not args.text_stamp and signer.signing_cert is not None:
        who = signer.signing_cert.subject.native.get("common_name", "")
        data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()
        kept = profile_path(data_dir, who) if who else None
        if kept is not None and kept.exists():  # the image imported with signature-image
            image = load_image(kept)
    report = sign_minutes(
        Path(args.pdf),
        args.role,
        signer,
        out=out,
        timestamp_url=args.tsa,
        image=image,
        organisation=args.organisation or "",
    )
    print(f"{report.field}: {report.signer} — {report.signed_at} → {out}")
    return 0


def cmd_signature_image(args: argparse.Namespace) -> int:
    from exports.appearance import Kind, import_image, load_image, preview

    data_dir = Path(args.data_dir) if args.data_dir else settings.data_dir()
    kind: Kind = "seal" if args.seal else "signature"
    stored = import_image(Path(args.scan), data_dir, args.name, kind=kind, seal_mm=args.seal_mm)
    print(stored)
    shown = Path(args.preview) if args.preview else stored.with_suffix(".preview.png")
    preview(load_image(stored), kind=kind).save(shown)
    vi = current_language() == "vi"
    print(("Xem trước để xác nhận: " if vi else "Preview to confirm: ") + str(shown))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from exports.signing import signature_reports

    trust = [Path(p).read_bytes() for p in args.trust]
    reports = signature_reports(Path(args.pdf).read_bytes(), trust)
    if args.json:  # for the app's plain-language report
        import dataclasses
        import json

        print(json.dumps([dataclasses.asdict(r) for r in reports], ensure_ascii=False))
        return 0 if reports and all(r.ok for r in reports) else 1
    vi = current_language() == "vi"
    yes, no = ("có", "không") if vi else ("yes", "no")
    for r in reports:
        print(f"{r.field}: {r.signer} — {r.signed_at}")
        print(
            f"  {'nguyên vẹn' if vi else 'intact'}: {yes if r.intact else no}; "
            f"{'chữ ký hợp lệ' if vi else 'valid'}: {yes if r.valid else no}; "
            f"{'tin cậy' if vi else 'trusted'}: {yes if r.trusted else no}; "
            f"{'thay đổi sau khi ký' if vi else 'changes after signing'}: {r.modification}"
        )
    ok = bool(reports) and all(r.ok for r in reports)
    if not reports:
        print("Không có chữ ký số." if vi else "No signatures.")
    if not trust:
        print(
            "(Chưa kiểm tra độ tin cậy: thêm --trust CA.pem)"
            if vi
            else "(Trust not checked: add --trust CA.pem)"
        )
    verdict = ("HỢP LỆ" if ok else "KHÔNG HỢP LỆ") if vi else ("VALID" if ok else "NOT VALID")
    print(("Kết luận: " if vi else "Verdict: ") + verdict)
    return 0 if ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    from meetingapp.server.minutes import export_session
    from meetingapp.store.files import FileStore

    machine = machine_on(args.db, None)  # reads only: allowed beside a running host
    package = export_session(
        machine,
        session_id_of(machine, args.session),
        Path(args.out),
        signed_pdf=Path(args.signed) if args.signed else None,
        files=FileStore(Path(args.data_dir) / "files") if args.data_dir else None,
    )
    print(package)
    return 0


def cmd_verify_package(args: argparse.Namespace) -> int:
    from meetingapp.package import verify_package

    trust = [Path(p).read_bytes() for p in args.trust]
    report = verify_package(Path(args.zip), trust)
    lang = current_language()
    if report.ok:
        print(report.message(lang))
        if not trust:
            print(
                "(Chưa kiểm tra độ tin cậy của chứng thư: thêm --trust CA.pem)"
                if lang == "vi"
                else "(Certificate trust not checked: add --trust CA.pem)"
            )
        return 0
    print(report.message(lang), file=sys.stderr)
    return 1
