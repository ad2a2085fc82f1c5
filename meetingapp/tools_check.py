"""The external programs meetingapp uses but does not ship, found or explained.

LibreOffice turns DOCX into PDF (the minutes: draft, finalise, then signing); poppler's
``pdfsig`` is the independent second check of the signatures in the demo. Both come from the
system (they are large and have their own updates). ``check()`` looks for them on ``PATH`` and
in their usual install folders (Windows puts LibreOffice in Program Files, not on PATH), and puts
a folder found that way on this process's ``PATH`` so every later lookup finds it too. When one
is missing, ``notice()`` says in the user's language what to install and which features wait for
it; everything else keeps working. The app shows it in its first window, the CLI before the
commands that need the tools, and ``meetingapp tools`` on request.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from meetingapp.bundle import bundle_dir
from meetingapp.i18n import current_language, tr


@dataclass(frozen=True)
class Tool:
    key: str  # i18n: tools.<key>.features, tools.<key>.install.<platform>
    label: str
    commands: tuple[str, ...]  # any one of them will do


LIBREOFFICE = Tool("libreoffice", "LibreOffice", ("soffice", "libreoffice"))
POPPLER = Tool("poppler", "poppler (pdfsig)", ("pdfsig",))
TOOLS = (LIBREOFFICE, POPPLER)


@dataclass(frozen=True)
class Found:
    tool: Tool
    path: str | None

    @property
    def ok(self) -> bool:
        return self.path is not None


def _platform() -> str:
    return "windows" if sys.platform == "win32" else "linux"


def known_dirs(tool: Tool) -> list[Path]:
    """Where an installer usually puts the tool when it is not on PATH."""
    dirs: list[Path] = []
    root = bundle_dir()
    if root is not None:  # a copy shipped beside the app (the Windows installer may add one)
        dirs += [root / tool.key / "bin", root / tool.key / "program"]
    if _platform() == "windows":
        for env in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"):
            base = os.environ.get(env)
            if not base:
                continue
            if tool is LIBREOFFICE:
                dirs.append(Path(base) / "LibreOffice" / "program")
            else:
                dirs += [Path(base) / "poppler" / "Library" / "bin", Path(base) / "poppler" / "bin"]
    else:
        if tool is LIBREOFFICE:  # libreoffice.org's own packages: /opt/libreoffice25.8/program
            dirs += sorted(Path("/opt").glob("libreoffice*/program"), reverse=True)
    return dirs


def find(tool: Tool) -> str | None:
    """The tool's executable: on PATH, else in a known folder (then added to PATH)."""
    for name in tool.commands:
        found = shutil.which(name)
        if found:
            return found
    for folder in known_dirs(tool):
        for name in tool.commands:
            found = shutil.which(name, path=str(folder))
            if found:
                os.environ["PATH"] = str(folder) + os.pathsep + os.environ.get("PATH", "")
                return found
    return None


def check() -> list[Found]:
    return [Found(tool, find(tool)) for tool in TOOLS]


def missing_message(tool: Tool, lang: str | None = None) -> str:
    lang = lang or current_language()
    return tr(
        "tools.missing",
        lang,
        tool=tool.label,
        features=tr(f"tools.{tool.key}.features", lang),
        install=tr(f"tools.{tool.key}.install.{_platform()}", lang),
    )


def notice(found: list[Found] | None = None, lang: str | None = None) -> str | None:
    """What to tell the user when a tool is missing (None when all are there)."""
    found = check() if found is None else found
    missing = [f.tool for f in found if not f.ok]
    if not missing:
        return None
    lines = [missing_message(tool, lang) for tool in missing]
    lines.append(tr("tools.rest_works", lang))
    return "\n".join(lines)


def report(found: list[Found] | None = None, lang: str | None = None) -> str:
    """Every tool and where it was found, then the notice if any is missing."""
    found = check() if found is None else found
    lines = [
        tr("tools.found", lang, tool=f.tool.label, path=f.path) for f in found if f.path is not None
    ]
    text = notice(found, lang)
    if text:
        lines.append(text)
    else:
        lines.append(tr("tools.all_found", lang))
    return "\n".join(lines)
