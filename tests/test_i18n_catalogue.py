"""The one text catalogue (meetingapp/i18n.py + meetingapp/i18n_ui.py): every key in both
languages with the same named placeholders; every text the app shows is a key of it, used with
exactly its placeholders; the catalogue exports for translators (CSV and PO, and the CLI)."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from pathlib import Path

from meetingapp.i18n import LANGUAGES, MESSAGES, placeholders, tr
from tests.conftest import REPO


def test_every_key_has_both_languages_and_the_same_placeholders() -> None:
    problems = []
    for key, entry in MESSAGES.items():
        if set(entry) != set(LANGUAGES) or not all(entry[lang].strip() for lang in LANGUAGES):
            problems.append(f"{key}: languages {sorted(entry)}")
        elif placeholders(entry["vi"]) != placeholders(entry["en"]):
            problems.append(f"{key}: {placeholders(entry['vi'])} != {placeholders(entry['en'])}")
    assert problems == []


def _calls() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted((REPO / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                found.append((path.name, node.lineno, node))
    return found


def test_the_app_shows_only_catalogue_texts_with_their_placeholders() -> None:
    problems = []
    used = 0
    for name, line, call in _calls():
        if call.func.id == "L":  # type: ignore[attr-defined]
            problems.append(f"{name}:{line}: inline text pair instead of a catalogue key")
        if call.func.id != "t" or not call.args:  # type: ignore[attr-defined]
            continue
        first = call.args[0]
        if isinstance(first, ast.Constant):
            key = first.value
            used += 1
            if key not in MESSAGES:
                problems.append(f"{name}:{line}: unknown key {key}")
                continue
            given = {k.arg for k in call.keywords}
            wanted = placeholders(MESSAGES[key]["vi"])
            if given != wanted:
                problems.append(f"{name}:{line}: {key} given {given}, needs {wanted}")
        elif isinstance(first, ast.JoinedStr):  # t(f"ui.recorder.{state}"): a family of keys
            prefix = first.values[0]
            assert isinstance(prefix, ast.Constant), f"{name}:{line}"
            if not any(k.startswith(prefix.value) for k in MESSAGES):
                problems.append(f"{name}:{line}: no key starts with {prefix.value}")
    assert problems == []
    assert used > 150  # the windows' texts really come from the catalogue


def test_labels_are_defined_once_and_used_by_every_screen() -> None:
    from ui import strings

    for role in ("delegate", "clerk", "chair", "display", "secretary", "seal"):
        assert strings.role_label(role) == tr(f"role.{role}", "vi")
    for form in ("electronic", "secret", "show_of_hands"):
        assert strings.form_label(form) == tr(f"form.{form}", "vi")
    for state in ("draft", "finalised", "signed_secretary", "signed_chair", "sealed"):
        assert strings.minutes_state_label(state) == tr(f"minutes_state.{state}", "vi")
    # an internal command name never reaches a person
    from meetingapp.errors import InvalidTransition

    err = InvalidTransition("finalise_minutes", "reason.minutes_final")
    assert err.message("vi").startswith("Không thể hoàn tất biên bản:")
    assert "finalise_minutes" not in err.message("vi") + err.message("en")


def test_export_for_translators(tmp_path: Path) -> None:
    out = tmp_path / "catalogue.csv"
    done = subprocess.run(
        [sys.executable, "-m", "meetingapp", "i18n", "export", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["key"] for r in rows} == set(MESSAGES)
    row = next(r for r in rows if r["key"] == "reason.no_quorum")
    assert row["vi"].startswith("chưa đủ số đại biểu") and row["placeholders"] == "present total"
    po = tmp_path / "catalogue.po"
    subprocess.run(
        [sys.executable, "-m", "meetingapp", "i18n", "export", str(po)], check=True, timeout=60
    )
    text = po.read_text(encoding="utf-8")
    assert text.count("msgctxt ") == len(MESSAGES)
    assert 'msgctxt "ui.link.lost"\nmsgid "● Host lost"\nmsgstr "● Mất kết nối máy chủ"' in text
