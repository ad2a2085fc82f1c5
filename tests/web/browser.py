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


def launch(playwright: Any, home: Path, camera: Path | None = None) -> Any:
    """Headless Chromium with ``home`` as its HOME (its NSS trust). Its camera is Chromium's
    own test pattern (no face), or plays ``camera`` (a .y4m video, ``y4m_video``) in a loop.
    ``playwright``: the sync Playwright, or a running browser's ``browser_type``."""
    args = [
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
    ]
    if camera is not None:
        args.append(f"--use-file-for-fake-video-capture={camera}")
    chromium = getattr(playwright, "chromium", playwright)  # Playwright, or its BrowserType
    return chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        env={**os.environ, "HOME": str(home)},
        args=args,
    )


def y4m_video(frames: list[bytes], out: Path, fps: int = 4) -> Path:
    """JPEG frames as an uncompressed YUV4MPEG2 (4:2:0) video, what Chromium's fake camera
    plays."""
    import io

    from PIL import Image

    images = [Image.open(io.BytesIO(f)).convert("RGB") for f in frames]
    w, h = images[0].size
    w, h = w - w % 2, h - h % 2
    with out.open("wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for image in images:
            y, cb, cr = image.resize((w, h)).convert("YCbCr").split()
            f.write(b"FRAME\n")
            f.write(y.tobytes())
            f.write(cb.resize((w // 2, h // 2)).tobytes())
            f.write(cr.resize((w // 2, h // 2)).tobytes())
    return out
