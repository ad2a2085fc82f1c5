"""An attacker's tool: recover secret ballots from a copied database file and its WAL.

Usage: ``python -m tests.security.ballot_attack meetingapp.db`` (the ``-wal`` beside it is read
too). It tries everything that linked a choice to a voter before issue #14:

1. **fingerprints**: ``command_fp`` of each ``secret_ballot_cast`` event against the hash of
   ``["cast_ballot", {session, motion, delegate, choice}]`` for the three choices;
2. **row order**: ballot-box rows paired with the events in seq order (a guess);
3. **WAL history**: the database rebuilt as of every commit still in the WAL (pages of valid
   frames applied to the main file), and each commit's new ``secret_ballot_cast`` events matched
   with the counters or ballot-box rows that changed in the same commit.

It prints JSON: what it determined (delegate → choice, per motion and method) and its guesses.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CHOICES = ("yes", "no", "abstain")


def canonical_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Findings:
    # (motion, delegate) → choice, for each method that *determined* it
    determined: dict[str, dict[tuple[str, str], str]] = field(default_factory=dict)
    guessed: dict[tuple[str, str], str] = field(default_factory=dict)  # row-order pairing
    wal_commits: int = 0

    def add(self, method: str, motion: str, delegate: str, choice: str) -> None:
        self.determined.setdefault(method, {})[(motion, delegate)] = choice

    def all_determined(self) -> dict[tuple[str, str], str]:
        out: dict[tuple[str, str], str] = {}
        for found in self.determined.values():
            out.update(found)
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "determined": {
                m: {f"{k[0]}/{k[1]}": c for k, c in found.items()}
                for m, found in self.determined.items()
            },
            "guessed": {f"{k[0]}/{k[1]}": c for k, c in self.guessed.items()},
            "wal_commits": self.wal_commits,
        }


def _open(image: bytes) -> sqlite3.Connection:
    data = bytearray(image)
    if len(data) >= 100:
        data[18] = data[19] = 1  # read the image as a rollback-journal file (no WAL needed)
    conn = sqlite3.connect(":memory:")
    conn.deserialize(bytes(data))
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _casts(conn: sqlite3.Connection) -> list[tuple[int, str, str, str, str | None]]:
    """(seq, session, motion, delegate, command_fp) of every secret ballot event."""
    if "events" not in _tables(conn):
        return []
    rows = conn.execute(
        "SELECT seq, session_id, payload, command_fp FROM events "
        "WHERE kind = 'secret_ballot_cast' ORDER BY seq"
    ).fetchall()
    out = []
    for seq, sid, payload, fp in rows:
        p = json.loads(payload)
        out.append((seq, sid, p["motion_id"], p["delegate_id"], fp))
    return out


def _counters(conn: sqlite3.Connection) -> Counter[tuple[str, str]]:
    """(motion, choice) → ballots, from whichever tables hold them."""
    counts: Counter[tuple[str, str]] = Counter()
    tables = _tables(conn)
    if "secret_tally" in tables:
        for motion, choice, n in conn.execute("SELECT motion_id, choice, count FROM secret_tally"):
            counts[(motion, choice)] += n
    if "secret_ballot_box" in tables:
        for motion, choice in conn.execute("SELECT motion_id, choice FROM secret_ballot_box"):
            counts[(motion, choice)] += 1
    return counts


def wal_states(main: bytes, wal: bytes) -> list[bytes]:
    """The database image after each commit still in the WAL (valid salts only)."""
    if len(wal) < 32:
        return []
    magic, _version, page_size, _ckpt, salt1, salt2 = struct.unpack(">IIIIII", wal[:24])
    if magic not in (0x377F0682, 0x377F0683):
        return []
    image = bytearray(main)
    pending: dict[int, bytes] = {}
    states = []
    pos = 32
    while pos + 24 + page_size <= len(wal):
        pgno, commit_size, s1, s2 = struct.unpack(">IIII", wal[pos : pos + 16])
        page = wal[pos + 24 : pos + 24 + page_size]
        pos += 24 + page_size
        if (s1, s2) != (salt1, salt2):
            break  # a frame left over from before the last WAL reset
        pending[pgno] = page
        if commit_size:
            size = commit_size * page_size
            if len(image) < size:
                image.extend(b"\0" * (size - len(image)))
            for n, data in pending.items():
                image[(n - 1) * page_size : n * page_size] = data
            del image[size:]
            pending = {}
            states.append(bytes(image))
    return states


def attack(db_path: Path) -> Findings:
    main = db_path.read_bytes()
    wal_path = Path(f"{db_path}-wal")
    wal = wal_path.read_bytes() if wal_path.exists() else b""
    found = Findings()
    states = [main, *wal_states(main, wal)]
    found.wal_commits = len(states) - 1
    last = _open(states[-1])

    # 1. fingerprints
    for _, sid, motion, delegate, fp in _casts(last):
        if not fp:
            continue
        for choice in CHOICES:
            args = {"session": sid, "motion": motion, "delegate": delegate, "choice": choice}
            if hashlib.sha256(canonical_json(["cast_ballot", args]).encode()).hexdigest() == fp:
                found.add("fingerprint", motion, delegate, choice)

    # 2. ballot-box rows in storage order against the events in seq order (a guess)
    if "secret_ballot_box" in _tables(last):
        by_motion: dict[str, list[str]] = {}
        for motion, choice in last.execute("SELECT motion_id, choice FROM secret_ballot_box"):
            by_motion.setdefault(motion, []).append(choice)
        voters: dict[str, list[str]] = {}
        for _, _, motion, delegate, _ in _casts(last):
            voters.setdefault(motion, []).append(delegate)
        for motion, choices in by_motion.items():
            for delegate, choice in zip(voters.get(motion, []), choices, strict=False):
                found.guessed[(motion, delegate)] = choice

    # 3. history: what changed in each commit still readable
    before = _open(states[0])
    seen = {(m, d) for _, _, m, d, _ in _casts(before)}
    counts = _counters(before)
    for image in states[1:]:
        now = _open(image)
        new = [(m, d) for _, _, m, d, _ in _casts(now) if (m, d) not in seen]
        now_counts = _counters(now)
        delta = {k: now_counts[k] - counts[k] for k in now_counts if now_counts[k] != counts[k]}
        for motion in {m for m, _ in new}:
            moved = {c: n for (m, c), n in delta.items() if m == motion and n > 0}
            if len(moved) == 1:  # all of this commit's voters chose the same
                choice = next(iter(moved))
                for m, d in new:
                    if m == motion:
                        found.add("wal_history", motion, d, choice)
        seen |= set(new)
        counts = now_counts
    return found


def main(argv: list[str]) -> int:
    findings = attack(Path(argv[1]))
    print(json.dumps(findings.as_json(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
