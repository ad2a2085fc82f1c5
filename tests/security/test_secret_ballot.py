"""Attack: recover secret ballots from a copy of the host's files (issue #14, finding 1).

Before: ``command_fp = sha256(["cast_ballot", {…, choice}])`` beside the delegate's id gave away
every secret ballot (three hashes per ballot), and the WAL kept one page version per commit.
Now the fingerprint leaves the choice out, the choice only moves a per-motion counter, and the
host truncates the WAL after each secret ballot before acknowledging it. The attacker's tool
(``tests/security/ballot_attack.py``) is shown to work where a mitigation is missing (control),
then to recover nothing from the real host's files.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import shutil
import zipfile
from pathlib import Path

from meetingapp.domain import BallotForm, Choice
from meetingapp.i18n import tr
from tests.helpers import make_meeting
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting
from tests.security.ballot_attack import attack

CHOICES = [Choice.YES, Choice.NO, Choice.ABSTAIN]


def copy_files(src: Path, dst: Path) -> Path:
    """What a thief copies: the database file and its write-ahead log, as they are now."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")
    return dst


def test_control_the_attack_reads_ballots_from_an_untruncated_wal(tmp_path: Path) -> None:
    """Without the host's WAL truncation (the state machine alone), each commit's counter
    change names the voter's choice: the attack tool has teeth."""
    mt = make_meeting(tmp_path, seats=12, present=12)
    m, sid = mt.machine, mt.session
    motion = m.open_motion(sid, title="Bầu Trưởng ban", form=BallotForm.SECRET)
    rng = random.Random(1)
    truth = {}
    for d in mt.delegates:
        truth[(motion, d)] = rng.choice(CHOICES).value
        m.cast_ballot(sid, motion, d, Choice(truth[(motion, d)]), command_id=f"cmd-{d}-xyz")
    found = attack(copy_files(mt.db_path, tmp_path / "thief" / "copy.db"))
    assert found.wal_commits >= len(mt.delegates)
    assert found.determined["wal_history"] == truth  # every ballot recovered
    assert "fingerprint" not in found.determined  # …but never from the fingerprints


def test_secret_ballots_cannot_be_recovered_from_the_hosts_files(
    host: HostProcess, tmp_path: Path
) -> None:
    n = 16
    rng = random.Random(14)
    truth: dict[tuple[str, str], str] = {}
    copies: list[Path] = []
    wire: set[tuple[int, int]] = set()
    db = host.data_dir / "meetingapp.db"

    async def scenario() -> tuple[str, str, bytes]:
        mt = await api_meeting(host, seats=n, present=n, tablets=n)
        sid = mt.session
        for round_ in range(2):
            motion = await mt.console.open_motion(
                sid, f"Bỏ phiếu kín số {round_ + 1}", BallotForm.SECRET, allow_change=False
            )
            items = list(mt.tablets.items())
            if round_ == 0:  # one by one: each ballot its own commit (the attacker's best case)
                for i, (did, tablet) in enumerate(items):
                    truth[(motion, did)] = rng.choice(CHOICES).value
                    sizes: list[int] = []

                    async def size(request, sizes=sizes):  # type: ignore[no-untyped-def]
                        sizes.append(len(request.content))

                    tablet.http.event_hooks["request"].append(size)
                    receipt = await tablet.cast_ballot(sid, motion, Choice(truth[(motion, did)]))
                    tablet.http.event_hooks["request"].remove(size)
                    # what a LAN observer sees of the encrypted exchange: the same sizes
                    # whatever the choice (the receipt's only varying part is its seq number)
                    wire.add((sizes[0], len(json.dumps(receipt)) - len(str(receipt["seq"]))))
                    if i % 5 == 4:  # copied while the host runs, after an acknowledgement
                        copies.append(copy_files(db, tmp_path / f"live-{round_}-{i}" / "c.db"))
            else:  # all at once, as in a real vote
                for did, _ in items:
                    truth[(motion, did)] = rng.choice(CHOICES).value
                await asyncio.gather(
                    *(t.cast_ballot(sid, motion, Choice(truth[(motion, d)])) for d, t in items)
                )
                copies.append(copy_files(db, tmp_path / "live-burst" / "c.db"))
            result = await mt.console.close_motion(sid, motion)
            expected = [
                sum(1 for (m, _), c in truth.items() if m == motion and c == x.value)
                for x in CHOICES
            ]
            assert [result["yes"], result["no"], result["abstain"]] == expected
        name, package = await mt.console.record_package(sid)
        await mt.close()
        return sid, name, package

    sid, name, package = asyncio.run(scenario())
    assert len(wire) == 1, wire  # request and receipt sizes do not depend on the choice
    host.kill()  # the laptop is switched off or stolen mid-meeting: SIGKILL, no clean close
    copies.append(copy_files(db, tmp_path / "stolen" / "c.db"))
    for copy in copies:
        found = attack(copy)
        assert found.all_determined() == {}, (copy, found.as_json())
        assert found.guessed == {}  # no per-ballot rows to pair with anything
    # the record package (its event log and every export in it) says who took part in a
    # secret ballot, never with a choice
    labels = [f'"{c.value}"' for c in CHOICES] + [tr(f"choice.{c.value}", "vi") for c in CHOICES]
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        for member in z.namelist():
            text = z.read(member).decode("utf-8", "replace")
            for motion, did in truth:
                for line in text.splitlines():
                    if did in line and motion in line:
                        assert not any(lab in line for lab in labels), (member, line)
    # the host's own output (its log) never names a choice
    out = host.proc.stdout.read().decode() if host.proc and host.proc.stdout else ""
    assert not any(did in out for (_, did) in truth), out[-2000:]
