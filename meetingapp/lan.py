"""The host on a council's LAN: which addresses it is reachable at, and DNS-SD/mDNS.

A commune's switch or Wi-Fi access point is all the network there is — no DNS server, no
internet, no configuration. The host advertises itself as ``_meetingapp._tcp`` (multicast DNS,
python-zeroconf) on the interface it serves, with the body, the session and the CA fingerprint in
the TXT record; tablets browse for it, list the hosts by name and pair. The pairing QR carries the
real addresses (never ``0.0.0.0`` or loopback when the host serves the LAN).

Qt-free and server-free: the host advertises with it, the app and the tests browse with it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import ifaddr

from meetingapp.errors import InvalidValue

log = logging.getLogger(__name__)

SERVICE_TYPE = "_meetingapp._tcp.local."
WILDCARDS = {"0.0.0.0", "::", ""}  # noqa: S104 - names of "every address", compared, not bound


@dataclass(frozen=True)
class Interface:
    name: str
    address: str  # IPv4 or IPv6 (no scope)
    prefix: int

    @property
    def loopback(self) -> bool:
        return ipaddress.ip_address(self.address).is_loopback

    @property
    def link_local(self) -> bool:
        return ipaddress.ip_address(self.address).is_link_local


def interfaces() -> list[Interface]:
    """Every address of every interface of this machine (this network namespace)."""
    found = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            addr = ip.ip if isinstance(ip.ip, str) else ip.ip[0]
            found.append(Interface(adapter.nice_name, addr, ip.network_prefix))
    return found


def lan_interfaces() -> list[Interface]:
    """Addresses other machines can reach: IPv4 first, no loopback, no link-local IPv6."""
    usable = [i for i in interfaces() if not i.loopback and not i.link_local]
    return sorted(usable, key=lambda i: (":" in i.address, i.name, i.address))


def resolve_bind(bind: str) -> str:
    """``--bind`` takes an address or an interface name (``eth0``, ``wlan0``): the address to
    listen on. An interface with several addresses: its first IPv4 one."""
    try:
        ipaddress.ip_address(bind)
        return bind
    except ValueError:
        pass
    if bind in WILDCARDS:
        return "0.0.0.0"  # noqa: S104 - the user asked for every interface
    if bind == "localhost":
        return "127.0.0.1"
    mine = [i for i in interfaces() if i.name == bind]
    if not mine:
        names = sorted({i.name for i in interfaces()})
        raise InvalidValue(field="bind", detail=f"{bind} ∉ {', '.join(names)}")
    mine.sort(key=lambda i: (":" in i.address, i.link_local))
    return mine[0].address


def is_loopback(bind: str) -> bool:
    return bind not in WILDCARDS and ipaddress.ip_address(bind).is_loopback


def reachable_addresses(bind: str) -> list[str]:
    """The addresses a tablet can use to reach a host listening on ``bind``."""
    if bind in WILDCARDS:
        want_v6 = ":" in bind
        return [i.address for i in lan_interfaces() if want_v6 or ":" not in i.address]
    return [bind]


def url_for(address: str, port: int) -> str:
    host = f"[{address}]" if ":" in address else address
    return f"https://{host}:{port}"


# --- the pairing URI (what the QR code carries) ---------------------------------------------


@dataclass(frozen=True)
class PairingInfo:
    urls: tuple[str, ...]
    fingerprint: str
    code: str = ""


def pairing_uri(urls: Iterable[str], fingerprint: str, code: str) -> str:
    """What the QR code on a pairing card carries: the web seat's address on the host
    (``https://<host>/seat/``), so a tablet's camera app opens the delegate's seat in the browser
    with the code filled in, and after ``#`` the host's addresses, its CA fingerprint and the
    code for the Qt tablet. The part after ``#`` never leaves the tablet (no request, no log)."""
    urls = list(urls)
    query = [("url", u) for u in urls] + [("fp", fingerprint), ("code", code)]
    return f"{urls[0]}/seat/#" + urlencode(query)


def parse_pairing_uri(text: str) -> PairingInfo:
    """Read a scanned QR code (``https://<host>/seat/#url=…&fp=…&code=…``, or the
    ``meetingapp://pair?…`` of cards printed before); a clear error for anything else."""
    parts = urlsplit(text.strip())
    if parts.scheme == "meetingapp":
        fields = parts.query
    elif parts.scheme == "https" and parts.path.rstrip("/") == "/seat":
        fields = parts.fragment
    else:
        raise InvalidValue(field="qr", detail=text[:80])
    query = parse_qs(fields)
    urls = tuple(u for u in query.get("url", []) if u.startswith("https://"))
    fingerprint = (query.get("fp") or [""])[0].lower()
    if not urls or len(fingerprint) != 64:
        raise InvalidValue(field="qr", detail=text[:80])
    return PairingInfo(urls, fingerprint, (query.get("code") or [""])[0])


# --- DNS-SD advertisement (the host) ----------------------------------------------------------


def _service_name(label: str) -> str:
    clean = "".join(c for c in label if c not in ".\\").strip() or "meetingapp"
    while len(clean.encode()) > 63:  # a DNS label: 63 bytes (Vietnamese letters take 2-3)
        clean = clean[:-1]
    return f"{clean}.{SERVICE_TYPE}"


def _txt(props: dict[str, str]) -> dict[str, bytes]:
    # a TXT string is at most 255 bytes: cut long Vietnamese names on a character boundary
    out = {}
    for key, value in props.items():
        raw = value.encode()
        while len(raw) + len(key) + 1 > 255:
            value = value[:-1]
            raw = value.encode()
        out[key] = raw
    return out


class Advertiser:
    """Announces the host as ``_meetingapp._tcp`` on the addresses it serves; ``update`` changes
    the TXT record (a new body or session) without a new name."""

    def __init__(self, addresses: list[str], port: int, label: str) -> None:
        self.addresses = [a for a in addresses if not ipaddress.ip_address(a).is_loopback]
        self.port = port
        self.label = label
        self._zc: Any = None
        self._info: Any = None
        self._lock = threading.Lock()

    def _service(self, props: dict[str, str]) -> Any:
        from zeroconf import ServiceInfo

        server = socket.gethostname().split(".")[0] + f"-meetingapp-{self.port}.local."
        return ServiceInfo(
            SERVICE_TYPE,
            _service_name(self.label),
            port=self.port,
            properties=_txt(props),
            server=server,
            parsed_addresses=self.addresses,
        )

    def start(self, props: dict[str, str]) -> None:
        from zeroconf import IPVersion, Zeroconf

        if not self.addresses:
            return
        v6 = any(":" in a for a in self.addresses)
        v4 = any(":" not in a for a in self.addresses)
        version = IPVersion.All if v4 and v6 else IPVersion.V6Only if v6 else IPVersion.V4Only
        with self._lock:
            self._zc = Zeroconf(interfaces=self.addresses, ip_version=version)
            self._info = self._service(props)
            # a second host with the same name on the LAN: zeroconf picks "name (2)"
            self._zc.register_service(self._info, allow_name_change=True)
        log.info("advertised %s on %s", self._info.name, ", ".join(self.addresses))

    def update(self, props: dict[str, str], label: str | None = None) -> None:
        """New TXT values; a new ``label`` (the body got its name) re-registers the service
        under that name."""
        with self._lock:
            if self._zc is None or self._info is None:
                return
            if label is not None and label != self.label:
                self._zc.unregister_service(self._info)
                self.label = label
                self._info = self._service(props)
                self._zc.register_service(self._info, allow_name_change=True)
                return
            info = self._service(props)
            info.name = self._info.name  # keep the name won at registration
            self._zc.update_service(info)
            self._info = info

    def stop(self) -> None:
        with self._lock:
            zc, self._zc = self._zc, None
            if zc is not None:
                try:
                    if self._info is not None:
                        zc.unregister_service(self._info)
                finally:
                    zc.close()


# --- browsing (the tablets) ------------------------------------------------------------------


@dataclass(frozen=True)
class FoundHost:
    name: str  # the advertised instance name, e.g. "HĐND xã Tân Hà — may-chu"
    addresses: tuple[str, ...]
    port: int
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(url_for(a, self.port) for a in self.addresses)

    @property
    def fingerprint(self) -> str:
        return self.properties.get("fp", "")

    @property
    def body(self) -> str:
        return self.properties.get("body", "")

    @property
    def session(self) -> str:
        return self.properties.get("session", "")

    @property
    def title(self) -> str:
        return self.properties.get("title", "")


def _found(info: Any) -> FoundHost:
    props = {
        (k.decode() if isinstance(k, bytes) else k): (v or b"").decode("utf-8", "replace")
        for k, v in (info.properties or {}).items()
    }
    name = info.name[: -len(SERVICE_TYPE) - 1] if info.name.endswith(SERVICE_TYPE) else info.name
    addresses = tuple(info.parsed_scoped_addresses())
    addresses = tuple(sorted(addresses, key=lambda a: (":" in a, a)))
    return FoundHost(name.replace("\\032", " "), addresses, info.port or 0, props)


class Browser:
    """Keeps the list of hosts on the LAN current; ``on_change`` gets the whole list (from
    zeroconf's thread)."""

    def __init__(self, on_change: Callable[[list[FoundHost]], None] | None = None) -> None:
        self.on_change = on_change
        self.hosts: dict[str, FoundHost] = {}
        self._zc: Any = None
        self._browser: Any = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def start(self) -> Browser:
        from zeroconf import ServiceBrowser, Zeroconf

        self._zc = Zeroconf()
        self._browser = ServiceBrowser(self._zc, SERVICE_TYPE, handlers=[self._handler])
        return self

    def _handler(self, zeroconf: Any, service_type: str, name: str, state_change: Any) -> None:
        from zeroconf import ServiceStateChange

        if state_change is ServiceStateChange.Removed:
            with self._lock:
                self.hosts.pop(name, None)
                self._changed.notify_all()
        else:
            info = zeroconf.get_service_info(service_type, name, timeout=3000)
            if info is None:
                return
            with self._lock:
                self.hosts[name] = _found(info)
                self._changed.notify_all()
        if self.on_change is not None:
            self.on_change(self.snapshot())

    def snapshot(self) -> list[FoundHost]:
        with self._lock:
            return sorted(self.hosts.values(), key=lambda h: h.name)

    def wait(self, predicate: Callable[[list[FoundHost]], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(sorted(self.hosts.values(), key=lambda h: h.name)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def stop(self) -> None:
        if self._browser is not None:
            self._browser.cancel()
        if self._zc is not None:
            self._zc.close()
        self._browser = self._zc = None


def browse(
    timeout: float = 3.0, *, until: Callable[[list[FoundHost]], bool] | None = None
) -> list[FoundHost]:
    """The hosts that answer within ``timeout`` seconds (or as soon as ``until`` holds)."""
    browser = Browser().start()
    try:
        browser.wait(until or (lambda _hosts: False), timeout)
        return browser.snapshot()
    finally:
        browser.stop()
