"""``meetingapp faces …``: evaluate face check-in on a photo folder, enrol or withdraw a
delegate's face data, calibrate the thresholds (the commands that write take the database's
writer lock, see ``cli_common.machine_on``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from meetingapp import settings
from meetingapp.cli_common import machine_on
from meetingapp.errors import NotFound


def add_faces_parser(sub: Any) -> None:
    s = sub.add_parser("faces", help="face check-in: evaluate, enrol, withdraw, calibrate")
    faces = s.add_subparsers(dest="faces_command", required=True, metavar="ACTION")
    f = faces.add_parser(
        "eval", help="evaluate on a photo folder (identities/, multi_face/, spoof/) and print JSON"
    )
    f.add_argument("dir")
    f.add_argument("--latency", action="store_true", help="also time 640×480 frames")
    f = faces.add_parser("enrol", help="record consent and enrol 3–5 photos of a delegate")
    f.add_argument("db")
    f.add_argument("delegate", help="delegate id")
    f.add_argument("photos", nargs="+", help="3–5 photos (JPEG, PNG, WebP)")
    f.add_argument(
        "--consent",
        required=True,
        metavar="TEXT_VERSION",
        help="version of the consent text the delegate agreed to",
    )
    f.add_argument("--data-dir", help="where the template key lives (default: settings)")
    f = faces.add_parser("withdraw", help="withdraw consent and delete the templates")
    f.add_argument("db")
    f.add_argument("delegate")
    f.add_argument("--data-dir", help="where the template key lives (default: settings)")
    f = faces.add_parser("calibrate", help="thresholds, expected false-match rate, look-alikes")
    f.add_argument("db")
    f.add_argument("--data-dir", help="where the template key lives (default: settings)")
    s.set_defaults(func=cmd_faces)


def cmd_faces(args: argparse.Namespace) -> int:
    import json

    if args.faces_command == "eval":
        from attendance.evaluation import evaluate, frame_latency

        root = Path(args.dir)
        result = evaluate(root, progress=lambda name: print(f"… {name}", file=sys.stderr))
        if args.latency:
            result["latency"] = frame_latency(root)
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    from meetingapp.server.faces import (
        encode_enrolment,
        load_templates,
        store_enrolment,
        vault_for,
        withdraw,
    )

    machine = machine_on(args.db, f"faces {args.faces_command}")
    vault = vault_for(Path(args.data_dir) if args.data_dir else settings.data_dir())
    if args.faces_command == "enrol":
        machine.record_consent(args.delegate, given=True, text_version=args.consent, actor="cli")
        photos = [Path(p).read_bytes() for p in args.photos]
        count = store_enrolment(
            machine, vault, args.delegate, encode_enrolment(photos), actor="cli"
        )
        print(f"{args.delegate}: {count}")
        return 0
    if args.faces_command == "withdraw":
        withdraw(machine, args.delegate, actor="cli")
        return 0
    from attendance.matching import calibrate

    templates = load_templates(machine.db, vault)
    if not templates:
        raise NotFound(kind="face templates", ident=args.db)
    c = calibrate(templates)
    print(
        json.dumps(
            {
                "accept": c.accept,
                "expected_fmr": c.expected_fmr,
                "impostor_pairs": c.impostor_pairs,
                "genuine_accept_rate": c.genuine_accept_rate,
                "lookalikes": [list(x) for x in c.lookalikes],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0
