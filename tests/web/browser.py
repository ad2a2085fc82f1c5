"""Debian's Chromium, driven by Playwright, trusting one host CA for real (an NSS database under
a HOME of its own): shared by the web tests (``tests/web/conftest.py``) and the screenshots
(``scripts/web_screenshots.py``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def missing_tools() -> str | None:
    """Why the browser cannot run here (None when it can)."""
    if CHROMIUM is None:
        return "Debian's chromium is not installed (scripts/setup.sh installs it)"
    if shutil.which("certutil") is None:
        return "certutil (libnss3-tools) is not installed (scripts/setup.sh installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


def trusting_home(ca_pem: Path, home: Path) -> Path:
    """A HOME whose NSS database (where Chromium on Linux looks) trusts ``ca_pem`` as an
    authority for web sites, and nothing else of ours."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True, exist_ok=True)
    db = f"sql:{nssdb}"
    subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", db, "-n", "meetingapp host CA", "-t", "C,,", "-i", str(ca_pem)],
        check=True,
    )
    return home


def launch(playwright: Any, home: Path) -> Any:
    """Headless Chromium with ``home`` as its HOME (its NSS trust)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        env={**os.environ, "HOME": str(home)},
        args=["--disable-gpu", "--disable-dev-shm-usage"],
    )
