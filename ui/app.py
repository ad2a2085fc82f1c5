"""``meetingapp run``: the desktop/tablet app.

``--demo`` starts a host on this machine (one-laptop mode), loads the demo meeting into it —
delegates, agenda, documents, roll call by face, PIN and hand, one transcribed speech — and opens
a launcher from which every role's window can be opened. ``--host-dir`` connects the console to
a host already running on this machine (``meetingapp serve``)."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from meetingapp import tools_check
from meetingapp.client import HostClient
from ui import qt_vi
from ui.bridge import Bridge, describe
from ui.clerk import ClerkWindow, run_cli
from ui.delegate import DelegateTablet
from ui.display import PublicDisplay
from ui.secretary import SecretaryConsole
from ui.strings import lang, set_language, t
from ui.widgets import STYLE


class Launcher(QMainWindow):
    """Which window is which: one button per role."""

    def __init__(
        self,
        bridge: Bridge,
        session_id: str,
        body_id: str,
        clients: dict[str, Any],
        delegates: list[tuple[str, str]],
        work_dir: Path,
        note: str = "",
    ) -> None:
        super().__init__()
        self.bridge, self.sid, self.body = bridge, session_id, body_id
        self.clients, self.work = clients, work_dir
        self.delegates, self.note = delegates, note
        self.windows: list[QWidget] = []
        self._build()
        self.resize(520, 460)

    def _build(self) -> None:
        delegates, note = self.delegates, self.note
        self.setWindowTitle(t("ui.meetingapp_choose_a_role"))
        col = QVBoxLayout()
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(lang()))
        self.language.currentIndexChanged.connect(self._switch_language)
        col.addWidget(self.language)
        head = QLabel(t("ui.the_demo_meeting_is_ready"))
        head.setObjectName("title")
        col.addWidget(head)
        for text, slot in (
            (t("ui.secretary_console"), self.open_secretary),
            (
                t("ui.clerk_transcripts_minutes"),
                self.open_clerk,
            ),
            (t("ui.hall_display"), self.open_display),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            col.addWidget(b)
        self.delegate = QComboBox()
        for did, name in delegates:
            self.delegate.addItem(name, did)
        tablet = QPushButton(t("ui.delegate_tablet"))
        tablet.clicked.connect(lambda: self.open_tablet())
        if delegates:  # tablets pair themselves; the demo has its own paired ones
            col.addWidget(self.delegate)
            col.addWidget(tablet)
        if note:
            info = QLabel(note)
            info.setWordWrap(True)
            col.addWidget(info)
        col.addStretch()
        root = QWidget()
        root.setLayout(col)
        self.setCentralWidget(root)

    def _switch_language(self) -> None:
        """Windows opened from now on use the chosen language; so does this launcher."""
        set_language(self.language.currentData())
        qt_vi.install(lang())  # Qt's own dialogs too
        self._build()

    def _keep(self, window: QWidget) -> QWidget:
        if isinstance(window, PublicDisplay):
            window.show_on_screen()  # fullscreen on the projector's screen
        else:
            window.show()
        self.windows.append(window)
        return window

    def open_secretary(self) -> SecretaryConsole:
        w = SecretaryConsole(
            self.bridge, self.clients["console"], self.sid, self.body, self.work / "console"
        )
        self._keep(w)
        return w

    def open_clerk(self) -> ClerkWindow:
        w = ClerkWindow(
            self.bridge,
            self.clients["clerk"],
            self.sid,
            self.work / "clerk",
            minutes_client=self.clients["console"],
        )
        self._keep(w)
        return w

    def open_display(self) -> PublicDisplay:
        w = PublicDisplay(self.bridge, self.clients["display"], self.sid)
        self._keep(w)
        return w

    def open_tablet(self, delegate_id: str | None = None) -> DelegateTablet:
        did = delegate_id or self.delegate.currentData()
        client = self.clients["tablets"][did]
        w = DelegateTablet(self.bridge, client, self.sid, did, self.work / "tablet" / did)
        self._keep(w)
        return w

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        for w in self.windows:
            w.close()
        super().closeEvent(event)


async def load_demo(out_dir: Path, lang: str, say: Callable[[str], None]) -> tuple[Any, Any]:
    """Start a host here and play the demo up to the first transcribed speech (on the network
    loop: the window keeps drawing the steps as they come); returns (host, demo)."""
    from meetingapp import demo_script as script
    from meetingapp.demo import Demo, Meter, reset_output
    from meetingapp.localhost import LocalHost

    await asyncio.to_thread(reset_output, out_dir)
    # started on the network thread itself (a second or two at start-up, nothing else runs
    # there yet): a cancel cannot land half-way and leave a host nobody stops
    host = LocalHost(out_dir / "host").start()
    meter = Meter(host)
    try:
        demo = Demo(host, out_dir, lang, say, random.Random(2026), meter)
        demo.console = host.client(console=True, lang=lang)
        await demo.setup()
        await demo.roll_call()
        await demo.console.start_item(demo.sid, demo.items[0])
        speaker, _item, text = script.SPEECHES[0]
        await demo.speech(speaker, text)
        for live in demo.lives.values():
            await live.stop()
        await run_cli("demo-certs", str(out_dir / "chung-thu-demo"))
        ca = await asyncio.to_thread((out_dir / "chung-thu-demo" / "demo-ca.pem").read_bytes)
        await demo.console.trust_ca(demo.body, ca)  # the host accepts the demo CA's signatures
        return host, demo
    except BaseException:
        await asyncio.to_thread(host.stop)  # nothing left running behind a failed start
        raise
    finally:
        meter.close()


def prepare_demo(bridge: Bridge, out_dir: Path, lang: str) -> tuple[Any, Any]:
    """``load_demo``, waited for (scripts and tests)."""
    return bridge.run(load_demo(out_dir, lang, print), timeout=900)  # type: ignore[no-any-return]


DEMO_STEPS = 16  # about as many lines as loading the demo says (the bar stops short of full)


class DemoStart(QWidget):
    """What the user sees while the demo meeting is loaded: each step as it happens, then the
    launcher (or the reason it could not start)."""

    line = Signal(str)  # from the network thread
    ready = Signal(object)  # the launcher

    def __init__(self, bridge: Bridge, out_dir: Path) -> None:
        super().__init__()
        self.bridge, self.out = bridge, out_dir
        self.host: Any = None
        self.launcher: Launcher | None = None
        self.setWindowTitle("meetingapp")
        title = QLabel(t("ui.preparing_the_demo_meeting"))
        title.setObjectName("title")
        self.steps = QPlainTextEdit()
        self.steps.setReadOnly(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, DEMO_STEPS)
        self.progress.setFormat(t("ui.step_v"))
        self.cancel = QPushButton(t("ui.cancel"))
        self.cancel.clicked.connect(self._cancel)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel)
        for w in (title, self.steps):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.line.connect(self._step)
        if notice := tools_check.notice(lang=lang()):  # LibreOffice or poppler missing
            self.steps.appendPlainText(notice)
        self.future: Any = None
        self.resize(760, 420)

    def _step(self, text: str) -> None:
        self.steps.appendPlainText(text)
        self.progress.setValue(min(self.progress.value() + 1, DEMO_STEPS - 1))

    def start(self) -> None:
        self.future = self.bridge.call(
            load_demo(self.out, lang(), self.line.emit), self._loaded, self._failed, always=True
        )

    def _cancel(self) -> None:
        """Stop loading: the host started for it is stopped (load_demo's own clean-up)."""
        if self.future is not None:
            self.future.cancel()
        self.cancel.setEnabled(False)

    def _loaded(self, loaded: tuple[Any, Any]) -> None:
        self.host, demo = loaded
        self.progress.setValue(DEMO_STEPS)
        folder = self.out / "chung-thu-demo"
        note = t("ui.demo_signing_certificates_x_password_dem", folder=folder)
        self.launcher = demo_launcher(self.bridge, demo, self.out / "app", note)
        self.launcher.show()
        self.ready.emit(self.launcher)
        self.close()

    def _failed(self, exc: BaseException) -> None:
        import concurrent.futures

        self.cancel.setEnabled(False)
        if isinstance(exc, asyncio.CancelledError | concurrent.futures.CancelledError):
            self.error.setText(t("ui.loading_the_demo_was_cancelled"))
            return
        self.error.setText(t("ui.could_not_start") + describe(exc))


def demo_launcher(bridge: Bridge, demo: Any, work_dir: Path, note: str = "") -> Launcher:
    """The launcher over the demo's own paired devices (console, clerk, display, tablets)."""
    from meetingapp import demo_script as script

    clients = {
        "console": demo.console,
        "clerk": demo.clerk,
        "display": demo.display,
        "tablets": {demo.ids[i]: t for i, t in demo.tablets.items() if i >= 0},
    }
    delegates = [(demo.ids[i], script.NAMES[i][0]) for i in sorted(demo.tablets) if i >= 0]
    return Launcher(bridge, demo.sid, demo.body, clients, delegates, work_dir, note)


def host_launcher(bridge: Bridge, host_dir: Path, session_id: str) -> Launcher:
    """The console of a host already running on this machine (its data folder)."""
    console = HostClient.from_host_json(host_dir, console=True, lang=lang())
    state = bridge.run(console.state(session_id))
    body = state["session"]["session"]["body_id"]
    clients = {"console": console, "clerk": console, "display": console, "tablets": {}}
    note = tools_check.notice(lang=lang()) or ""  # LibreOffice or poppler missing
    return Launcher(bridge, session_id, body, clients, [], host_dir / "app", note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="meetingapp run")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--out", default="demo-output")
    parser.add_argument("--host-dir")
    parser.add_argument("--session")
    parser.add_argument("--lang", default=None)
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    qt_vi.install(lang())
    bridge = Bridge()
    start: DemoStart | None = None
    plain: Any = None
    try:
        if args.demo:
            start = DemoStart(bridge, Path(args.out))
            start.show()
            start.start()
        elif args.host_dir:
            host_launcher(bridge, Path(args.host_dir), args.session or "").show()
        else:  # the start screen: host here or join (ui/start.py)
            from ui.start import App

            plain = App(bridge)
            plain.run()
        code = app.exec()
    except Exception as exc:  # noqa: BLE001 - said plainly, then the exit code
        sys.stderr.write(describe(exc) + "\n")
        code = 2
    finally:
        bridge.stop()  # a demo still loading is cancelled and stops its host
        if start is not None and start.host is not None:
            start.host.stop()
        if plain is not None:
            plain.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # Qt objects collected by the interpreter at exit have crashed PySide
