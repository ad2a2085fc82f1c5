"""``meetingapp run`` with no arguments: the start screen.

Host a session on this machine (the host listens on the chosen interface and advertises itself
on the LAN), or join one: the hosts found on the LAN by mDNS are listed by name, or an address
is typed in; pair with the code from the console, by scanning the QR code with the camera, or
from a picture of it. The pairing (addresses, pinned CA fingerprint, token, role) is remembered,
so the next start goes straight to the right window; a window that loses the host reconnects by
itself and says so (``Feed.connection``, shown by every role window)."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from meetingapp import device_store, lan, settings
from meetingapp.client import HostClient, HostError
from meetingapp.device_store import Pairing
from ui.bridge import Bridge, describe
from ui.pairing import QrScanner, read_qr_file
from ui.strings import lang, role_label, t


@dataclass
class Hosted:
    """A host started on this machine and the secretary's console client for it."""

    host: Any  # meetingapp.localhost.LocalHost
    console: HostClient


async def start_host(data_dir: Path, bind: str, port: int) -> Hosted:
    """Start ``meetingapp serve`` on ``bind`` (its own process) and connect the local console."""
    from meetingapp.localhost import LocalHost

    host = await asyncio.to_thread(LocalHost(data_dir / "host", port=port, bind=bind).start)
    return Hosted(host, host.client(console=True, lang=lang()))


class StartScreen(QMainWindow):
    hosted = Signal(object)  # Hosted
    joined = Signal(object, object)  # Pairing, HostClient
    _found = Signal(list)  # from zeroconf's thread

    def __init__(self, bridge: Bridge, data_dir: Path | None = None, *, browse: bool = True):
        super().__init__()
        self.bridge = bridge
        self.data_dir = data_dir or settings.data_dir()
        self.setWindowTitle("meetingapp")
        self.browser: lan.Browser | None = None
        self.selected: lan.FoundHost | None = None
        self.confirm_fingerprint = self._ask_fingerprint  # tests answer it themselves

        title = QLabel(t("ui.paperless_meeting_start"))
        title.setObjectName("title")

        host_box = QGroupBox(t("ui.host_a_session_on_this_machine"))
        self.interface = QComboBox()
        for iface in lan.lan_interfaces():
            self.interface.addItem(f"{iface.name} — {iface.address}", iface.address)
        self.interface.addItem(t("ui.this_machine_only"), "127.0.0.1")
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(8443)
        self.host_btn = QPushButton(t("ui.host_a_session_here"))
        self.host_btn.clicked.connect(self.host_here)
        hl = QVBoxLayout(host_box)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("ui.network")))
        row.addWidget(self.interface, 1)
        row.addWidget(QLabel(t("ui.port")))
        row.addWidget(self.port)
        hl.addLayout(row)
        hl.addWidget(self.host_btn)

        join_box = QGroupBox(t("ui.join_a_session"))
        self.hosts = QListWidget()
        self.hosts.itemClicked.connect(self._pick)
        self.searching = QLabel(t("ui.looking_for_hosts_on_the_lan"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(t("ui.or_type_an_address_e_g_192_168_1_10_8443"))
        self.address.textEdited.connect(self._typed)
        self.code = QLineEdit()
        self.code.setPlaceholderText(t("ui.pairing_code_console"))
        self.code.setMaxLength(16)
        self.device_name = QLineEdit(socket.gethostname())
        self.pair_btn = QPushButton(t("ui.pair_with_the_code"))
        self.pair_btn.clicked.connect(self.pair_with_code)
        self.scan_btn = QPushButton(t("ui.scan_the_qr_code"))
        self.scan_btn.clicked.connect(self.scan)
        self.file_btn = QPushButton(t("ui.open_a_qr_picture"))
        self.file_btn.clicked.connect(self._open_qr_file)
        self.fingerprint = QLabel("")
        self.scanner: QrScanner | None = None
        jl = QVBoxLayout(join_box)
        jl.addWidget(self.searching)
        jl.addWidget(self.hosts, 1)
        jl.addWidget(self.address)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("ui.device_name")))
        row.addWidget(self.device_name, 1)
        jl.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.pair_btn)
        jl.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.scan_btn)
        row.addWidget(self.file_btn)
        jl.addLayout(row)
        jl.addWidget(self.fingerprint)

        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        col = QVBoxLayout()
        col.addWidget(title)
        col.addWidget(host_box)
        col.addWidget(join_box, 1)
        col.addWidget(self.message)
        root = QWidget()
        root.setLayout(col)
        self.setCentralWidget(root)
        self.resize(620, 720)
        self._found.connect(self._show_hosts)
        if browse:
            self.start_browsing()

    # --- hosting ------------------------------------------------------------------------------

    def host_here(self) -> None:
        bind, port = self.interface.currentData(), self.port.value()
        self._busy(t("ui.starting_the_host"))

        def done(hosted: Hosted) -> None:
            device_store.save(
                Pairing(
                    url=hosted.console.url,
                    urls=[hosted.console.url],
                    fingerprint=hosted.host.info["ca_fingerprint"],
                    token="",  # the console's token stays in the host's own 0600 file
                    role="host",
                    device_id="console-local",
                    extra={"bind": bind, "port": hosted.host.port},
                ),
                self.data_dir,
            )
            self._busy("")
            self.hosted.emit(hosted)

        self.bridge.call(start_host(self.data_dir, bind, port), done, self._failed)

    # --- finding hosts ------------------------------------------------------------------------

    def start_browsing(self) -> None:
        try:
            self.browser = lan.Browser(on_change=self._found.emit).start()
        except OSError as exc:  # no multicast on this network: typing the address still works
            self.searching.setText(t("ui.cannot_browse") + str(exc))

    def _show_hosts(self, hosts: list[lan.FoundHost]) -> None:
        self.hosts.clear()
        for h in hosts:
            what = " — ".join(x for x in (h.body or h.name, h.title) if x)
            where = ", ".join(h.addresses)
            item = QListWidgetItem(f"{what}\n{where}:{h.port}")
            item.setData(256, h)
            self.hosts.addItem(item)
        self.searching.setText(
            t("ui.x_host_s_found", count=len(hosts))
            if hosts
            else t("ui.looking_for_hosts_on_the_lan")
        )

    def _pick(self, item: QListWidgetItem) -> None:
        self.selected = item.data(256)
        if self.selected is not None:
            self.address.setText(self.selected.urls[0] if self.selected.urls else "")
            self.fingerprint.setText(
                t("ui.certificate_fingerprint")
                + device_store.short_fingerprint(self.selected.fingerprint)
            )

    def _typed(self, _text: str) -> None:
        self.selected = None
        self.fingerprint.setText("")

    # --- pairing ------------------------------------------------------------------------------

    def pair_with_code(self) -> None:
        code = self.code.text().strip()
        selected = self.selected
        if selected is not None and selected.fingerprint:
            # the mDNS record is not authenticated: the person compares the fingerprint with
            # the console's, as for a typed address (a QR code carries it, so needs no check)
            if self.confirm_fingerprint(selected.fingerprint):
                self._pair(list(selected.urls), selected.fingerprint, code)
            return
        try:
            url = device_store.normalise_url(self.address.text())
        except ValueError:
            self._failed(t("ui.choose_a_host_or_type_its_address"))
            return

        def check(fp: str) -> None:
            if self.confirm_fingerprint(fp):
                self._pair([url], fp, code)
            else:
                self._busy("")

        self._busy(t("ui.connecting"))
        self.bridge.call(
            asyncio.to_thread(device_store.fetch_fingerprint, url), check, self._failed
        )

    def _ask_fingerprint(self, fp: str) -> bool:
        """An address typed by hand: the person compares the fingerprint with the console's."""
        answer = QMessageBox.question(
            self,
            t("ui.check_the_host"),
            t("ui.the_host_s_certificate_fingerprint_x_doe", fp=device_store.short_fingerprint(fp)),
        )
        return answer == QMessageBox.StandardButton.Yes

    def pair_with_qr(self, text: str) -> None:
        try:
            info = lan.parse_pairing_uri(text)
        except ValueError:
            self._failed(t("ui.this_is_not_a_meetingapp_pairing_code"))
            return
        self.code.setText(info.code)
        self._pair(list(info.urls), info.fingerprint, info.code)

    def pair_with_qr_file(self, path: Path) -> None:
        def read(text: str | None) -> None:
            if text:
                self.pair_with_qr(text)
            else:
                self._failed(t("ui.no_qr_code_found_in_the_picture"))

        self.bridge.call(asyncio.to_thread(read_qr_file, path), read, self._failed)

    def _open_qr_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, t("ui.qr_picture"), "", "Images (*.png *.jpg *.jpeg *.bmp *.webp)"
        )
        if path:
            self.pair_with_qr_file(Path(path))

    def scan(self) -> None:
        if self.scanner is None:
            self.scanner = QrScanner(self.bridge)
            self.scanner.found.connect(self.pair_with_qr)
            self.centralWidget().layout().insertWidget(2, self.scanner)
        if not self.scanner.start():
            self._failed(self.scanner.prompt.text())

    def _pair(self, urls: list[str], fingerprint: str, code: str) -> None:
        name = self.device_name.text().strip() or socket.gethostname()
        self._busy(t("ui.pairing"))

        def done(result: tuple[Pairing, HostClient]) -> None:
            pairing, client = result
            device_store.save(pairing, self.data_dir)
            self._busy(t("ui.paired_x", role=role_label(pairing.role)))
            self.joined.emit(pairing, client)

        self.bridge.call(
            device_store.pair(urls, fingerprint, code, name, lang=lang()), done, self._failed
        )

    # --- feedback -----------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self.message.setObjectName("")
        self.message.setText(text)
        for b in (self.pair_btn, self.host_btn, self.scan_btn, self.file_btn):
            b.setEnabled(not text)

    def _failed(self, exc: BaseException | str) -> None:
        self._busy("")
        self.message.setObjectName("error")
        self.message.setText(exc if isinstance(exc, str) else describe(exc))

    def closeEvent(self, event: Any) -> None:  # noqa: N802 — Qt's name
        if self.scanner is not None:
            self.scanner.stop()
        if self.browser is not None:
            browser, self.browser = self.browser, None
            browser.stop()
        super().closeEvent(event)


# --- the window a paired device opens -------------------------------------------------------


async def session_of(client: HostClient) -> tuple[str, str]:
    """(session id, body id) of the session the host says to follow now."""
    current = await client.get("/api/current-session")
    sid = current.get("session_id")
    if not sid:
        raise NoSessionYet()
    state = await client.state(sid)
    return sid, state["session"]["session"]["body_id"]


class NoSessionYet(Exception):
    def __str__(self) -> str:
        return t("ui.the_host_has_no_session_yet_the_secretar")


def role_window(
    bridge: Bridge, pairing: Pairing, client: HostClient, sid: str, body: str, work: Path
) -> QWidget:
    """The window of the paired role (each one shows its link to the host: online,
    reconnecting, lost — ``Feed.connection``)."""
    from ui.clerk import ClerkWindow
    from ui.delegate import DelegateTablet
    from ui.display import PublicDisplay
    from ui.secretary import SecretaryConsole

    window: QWidget
    if pairing.role == "delegate" and pairing.delegate_id:
        window = DelegateTablet(bridge, client, sid, pairing.delegate_id, work / "tablet")
    elif pairing.role in ("secretary", "chair"):
        window = SecretaryConsole(bridge, client, sid, body, work / "console")
    elif pairing.role == "clerk":
        window = ClerkWindow(bridge, client, sid, work / "clerk")
    else:
        window = PublicDisplay(bridge, client, sid)
    return window


class App:
    """What ``meetingapp run`` shows without ``--demo``: the remembered role's window, or the
    start screen; then the set-up or role window."""

    def __init__(self, bridge: Bridge, data_dir: Path | None = None, *, browse: bool = True):
        self.bridge = bridge
        self.data_dir = data_dir or settings.data_dir()
        self.browse = browse
        self.start: StartScreen | None = None
        self.windows: list[QWidget] = []
        self.hosted: Hosted | None = None
        self.client: HostClient | None = None

    def run(self) -> None:
        pairing = device_store.load(self.data_dir)
        if pairing is None:
            self.show_start()
        elif pairing.role == "host":
            bind, port = pairing.extra.get("bind", "127.0.0.1"), pairing.extra.get("port", 8443)
            self.bridge.call(
                start_host(self.data_dir, bind, port), self.on_hosted, self._remembered_failed
            )
        else:
            self.bridge.call(
                device_store.reconnect(pairing, lang=lang()),
                lambda client: self.on_joined(pairing, client),
                self._remembered_failed,
            )

    def show_start(self, message: str = "") -> StartScreen:
        if self.start is None:
            self.start = StartScreen(self.bridge, self.data_dir, browse=self.browse)
            self.start.hosted.connect(self.on_hosted)
            self.start.joined.connect(self.on_joined)
        if message:
            self.start._failed(message)
        self.start.show()
        return self.start

    def _remembered_failed(self, exc: BaseException) -> None:
        self.show_start(t("ui.could_not_resume_the_last_pairing") + describe(exc))

    def on_hosted(self, hosted: Hosted) -> None:
        from ui.setup import SetupWindow

        self.hosted = hosted
        window = SetupWindow(self.bridge, hosted.console, self.data_dir / "app")
        window.show()
        self.windows.append(window)
        if self.start is not None:
            self.start.close()

    def on_joined(self, pairing: Pairing, client: HostClient) -> None:
        self.client = client
        work = self.data_dir / "app"

        def opened(where: tuple[str, str]) -> None:
            sid, body = where
            window = role_window(self.bridge, pairing, client, sid, body, work)
            window.show()
            self.windows.append(window)
            if self.start is not None:
                self.start.close()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, HostError) and exc.status == 401:
                device_store.forget(self.data_dir)  # revoked: pair again
            if isinstance(exc, NoSessionYet):  # try again in a moment
                QTimer.singleShot(3000, lambda: self.on_joined(pairing, client))
            self.show_start(describe(exc) if not isinstance(exc, NoSessionYet) else str(exc))

        self.bridge.call(session_of(client), opened, failed)

    def stop(self) -> None:
        for w in self.windows:
            w.close()
        if self.hosted is not None:
            self.hosted.host.stop()
