"""Where a packaged (frozen) installation keeps what it ships: the Whisper base model, fonts.

A PyInstaller bundle unpacks nothing: its files sit in one folder (``sys._MEIPASS``), which may
be read-only (``/opt/meetingapp``, ``C:\\Program Files``). Code that looks for a shipped file asks
here first and falls back to the developer layout (the virtual environment, the system) when it
runs from a checkout. What the user adds later (imported models, data) never goes into the
bundle but into the user's folders.
"""

from __future__ import annotations

import sys
from pathlib import Path


def bundle_dir() -> Path | None:
    """The folder of the frozen bundle's files, or None when running from a checkout."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))


def shipped(*parts: str) -> Path | None:
    """A file or folder shipped inside the bundle (``shipped("fonts", "X.ttf")``), if any."""
    root = bundle_dir()
    if root is None:
        return None
    path = root.joinpath(*parts)
    return path if path.exists() else None
