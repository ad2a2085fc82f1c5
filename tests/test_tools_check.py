"""External tools (LibreOffice, poppler) found or explained: with a PATH that lacks one, the CLI
and the app say in Vietnamese (or English) what to install and which features wait, and the rest
keeps working. The PATHs here are real folders holding links to the real tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from meetingapp import tools_check
from meetingapp.demo import pdfsig_valid

REAL_PDFSIG = shutil.which("pdfsig")
REAL_SOFFICE = shutil.which("soffice")
needs_tools = pytest.mark.skipif(
    not (REAL_PDFSIG and REAL_SOFFICE), reason="needs soffice and pdfsig (scripts/setup.sh)"
)
elsewhere = pytest.mark.skipif(
    any(Path("/opt").glob("libreoffice*/program/soffice")),
    reason="a LibreOffice in /opt would be found without PATH",
)


def bin_dir(tmp_path: Path, *tools: str) -> Path:
    """A folder with links to the named real tools only: a PATH without the others."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    for name in tools:
        real = shutil.which(name)
        assert real, name
        (folder / name).symlink_to(real)
    return folder


def cli(*args: str, path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meetingapp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": path},
    )


@needs_tools
def test_everything_found_on_a_normal_path() -> None:
    found = {f.tool.key: f.path for f in tools_check.check()}
    assert found == {"libreoffice": REAL_SOFFICE, "poppler": REAL_PDFSIG}
    assert tools_check.notice() is None
    result = cli("tools", path=os.environ["PATH"])
    assert result.returncode == 0, result.stderr
    assert "✓ LibreOffice" in result.stdout and "Đã có đủ công cụ ngoài" in result.stdout


@needs_tools
@elsewhere
def test_without_libreoffice_the_cli_says_what_to_install_and_what_waits(tmp_path: Path) -> None:
    path = str(bin_dir(tmp_path, "pdfsig"))
    result = cli("tools", path=path)
    assert result.returncode == 3
    out = result.stdout
    assert "✓ poppler (pdfsig)" in out
    assert "Thiếu LibreOffice" in out and "sudo apt-get install libreoffice-writer-nogui" in out
    assert "lập dự thảo, hoàn tất và ký số biên bản" in out  # what waits
    assert "Mọi chức năng khác vẫn hoạt động" in out  # what does not
    english = cli("--lang", "en", "tools", path=path)
    assert "LibreOffice is missing" in english.stdout and "Everything else works" in english.stdout

    # the demo needs it for its PDFs: it says so and starts nothing
    out_dir = tmp_path / "demo"
    demo = cli("demo", "--out", str(out_dir), path=path)
    assert demo.returncode == 3
    assert "Cuộc họp mẫu cần LibreOffice" in demo.stderr
    assert "Thiếu LibreOffice" in demo.stderr  # the notice came first
    assert not out_dir.exists()

    # a command that does not need it says nothing about it and works
    certs = cli("demo-certs", str(tmp_path / "certs"), path=path)
    assert certs.returncode == 0 and "LibreOffice" not in certs.stderr
    assert (tmp_path / "certs" / "demo-ca.pem").is_file()


@needs_tools
def test_without_poppler_the_pdfsig_check_waits_and_is_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(bin_dir(tmp_path, "soffice")))
    notice = tools_check.notice(lang="vi")
    assert notice is not None and "Thiếu poppler (pdfsig)" in notice
    assert "sudo apt-get install poppler-utils" in notice and "LibreOffice" not in notice
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert pdfsig_valid(pdf, 2) is None  # not checked, rather than "not valid"


def test_a_tool_in_its_usual_folder_is_found_and_put_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows installs LibreOffice in Program Files, not on PATH: found there, then on PATH for
    every later lookup (exports.pdf uses shutil.which)."""
    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    exe = program / "soffice"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(tools_check, "known_dirs", lambda tool: [program])
    assert tools_check.find(tools_check.LIBREOFFICE) == str(exe)
    assert os.environ["PATH"].split(os.pathsep)[0] == str(program)
    assert shutil.which("soffice") == str(exe)


@needs_tools
@elsewhere
def test_the_app_shows_the_notice_in_its_first_window(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import DemoStart
    from ui.bridge import Bridge
    from ui.strings import set_language

    set_language("vi")
    monkeypatch.setenv("PATH", str(bin_dir(tmp_path, "pdfsig")))
    bridge = Bridge()
    try:
        start = DemoStart(bridge, tmp_path / "demo")  # shown, not started: no host needed
        qtbot.addWidget(start)
        start.show()
        text = start.steps.toPlainText()
        assert "Thiếu LibreOffice" in text and "libreoffice-writer-nogui" in text
    finally:
        bridge.stop()
