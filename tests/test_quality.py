"""Layering, lint, format and types are part of the test suite (CI runs nothing else)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    other = shutil.which(name)
    assert other, f"{name} is not installed; run the README's setup"
    return other


@pytest.mark.parametrize(
    "command",
    [
        ["lint-imports"],
        ["ruff", "check", "--output-format", "concise", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["import-linter", "ruff-check", "ruff-format", "mypy"],
)
def test_code_quality(command: list[str]) -> None:
    result = subprocess.run(
        [tool(command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_ui_imports_pyside6() -> None:
    """A direct check beside import-linter, so a misconfigured contract cannot hide it."""
    offenders = [
        str(p.relative_to(REPO))
        for pkg in ("meetingapp", "asr", "attendance", "exports")
        for p in (REPO / pkg).rglob("*.py")
        if "PySide6" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
