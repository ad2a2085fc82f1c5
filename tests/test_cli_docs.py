"""The CLI's help and the docs agree: every command and every setting is documented."""

from __future__ import annotations

import argparse
import subprocess
import sys

from meetingapp.cli import build_parser
from meetingapp.settings import SETTINGS
from tests.conftest import REPO


def subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def test_help_lists_every_command_with_its_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "meetingapp", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for name in subcommands():
        assert name in result.stdout
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert all(choice.help for choice in action._choices_actions)


def test_every_command_is_documented() -> None:
    docs = (REPO / "README.md").read_text() + (REPO / "docs" / "cli.md").read_text()
    missing = [c for c in subcommands() if f"meetingapp {c}" not in docs]
    assert missing == []


def test_every_setting_is_documented() -> None:
    docs = (REPO / "docs" / "settings.md").read_text()
    missing = [s.env for s in SETTINGS if s.env not in docs or s.help not in docs]
    assert missing == []
