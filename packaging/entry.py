"""The entry point of the packaged app (PyInstaller bundle, Linux and Windows).

The one executable is the ``meetingapp`` command. It also stands in for ``python -m meetingapp``
and ``python -m ui``: the CLI, the demo and the app start the host and the app window in their
own processes with ``[sys.executable, "-m", …]``, and in a bundle ``sys.executable`` is this
executable. Before anything else it points fontconfig at the fonts shipped in the bundle (the
minutes' Times New Roman metrics with Vietnamese, the signature stamp's Noto Serif), for this
process and for LibreOffice started from it.

``MEETINGAPP_PROBE_FIRST_WINDOW=1`` (for the cold-start measurement only): the app process exits
as soon as its first window is shown.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

MODULES = ("meetingapp", "ui")


def _bundle_root() -> Path:
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))


def prepare_environment(root: Path) -> None:
    conf = root / "fonts.conf"
    if conf.is_file() and "FONTCONFIG_FILE" not in os.environ:
        os.environ["FONTCONFIG_FILE"] = str(conf)
    # The bootloader points LD_LIBRARY_PATH at the bundle for this process; external tools
    # started from here (soffice, pdfsig) must get the system's libraries, not ours.
    if "LD_LIBRARY_PATH_ORIG" in os.environ:
        os.environ["LD_LIBRARY_PATH"] = os.environ.pop("LD_LIBRARY_PATH_ORIG")
    elif getattr(sys, "frozen", False):
        os.environ.pop("LD_LIBRARY_PATH", None)


def split_argv(argv: list[str]) -> tuple[str, list[str]]:
    """``-m MODULE ARGS…`` → (MODULE, ARGS); anything else is the meetingapp command line."""
    if len(argv) >= 2 and argv[0] == "-m":
        if argv[1] not in MODULES:
            raise SystemExit(f"this bundle runs only: {', '.join('-m ' + m for m in MODULES)}")
        return argv[1], argv[2:]
    if argv[:1] == ["-u"]:  # unbuffered is the bundle's default already
        return split_argv(argv[1:])
    return "meetingapp", argv


def _probe_first_window() -> None:
    import time

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class FirstWindow(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
            if event.type() == QEvent.Type.Show and getattr(obj, "isWindow", lambda: False)():
                sys.stdout.write(f"first window shown at {time.time():.3f}\n")
                sys.stdout.flush()
                os._exit(0)
            return False

    app = QApplication.instance() or QApplication(sys.argv[:1])
    probe = FirstWindow(app)
    app.installEventFilter(probe)


def main() -> int:
    multiprocessing.freeze_support()
    prepare_environment(_bundle_root())
    module, args = split_argv(sys.argv[1:])
    sys.argv = [sys.argv[0], *args]
    if module == "ui":
        if os.environ.get("MEETINGAPP_PROBE_FIRST_WINDOW") == "1":
            _probe_first_window()
        from ui.app import main as app_main

        return app_main(args)
    from meetingapp.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
