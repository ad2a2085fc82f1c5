"""A device's pairing with a host, remembered between starts (Qt-free).

After pairing, a tablet or console keeps the host's addresses, the pinned CA fingerprint, its
bearer token and its role in ``device.json`` (mode 0600) in the data directory, so the next start
goes straight to the right window. Pairing itself tries each address the QR code or the mDNS
record gave, pins the CA and presents the one-time code.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509

from meetingapp import settings
from meetingapp.atomic import atomic_write
from meetingapp.client import HostClient, context_for_ca, pinned_context
from meetingapp.errors import InvalidValue

FILE_NAME = "device.json"


@dataclass
class Pairing:
    url: str  # the address that answered
    urls: list[str]  # every address the host gave (tried in turn on reconnect)
    fingerprint: str
    token: str
    role: str
    device_id: str
    delegate_id: str | None = None
    name: str = ""
    host_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, *, lang: str = "vi", ssl_context: ssl.SSLContext | None = None) -> HostClient:
        ctx = ssl_context or pinned_context(self.url, self.fingerprint)
        return HostClient(self.url, ctx, token=self.token, lang=lang)


def path(data_dir: Path | None = None) -> Path:
    return (data_dir or settings.data_dir()) / FILE_NAME


def load(data_dir: Path | None = None) -> Pairing | None:
    """The remembered pairing (None when the device has not paired, or the file is unusable)."""
    p = path(data_dir)
    try:
        raw = json.loads(p.read_text())
        return Pairing(**raw)
    except (OSError, ValueError, TypeError):
        return None


def save(pairing: Pairing, data_dir: Path | None = None) -> Path:
    p = path(data_dir)
    p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(p, json.dumps(asdict(pairing), indent=2, ensure_ascii=False).encode())
    os.chmod(p, 0o600)  # the token is a credential
    return p


def forget(data_dir: Path | None = None) -> None:
    path(data_dir).unlink(missing_ok=True)


def fetch_fingerprint(url: str, timeout: float = 10) -> str:
    """The CA fingerprint a host presents (trust on first use: for an address typed by hand,
    shown to the user to compare with the console's)."""
    import hashlib

    from cryptography.hazmat.primitives import serialization

    insecure = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    pem = httpx.get(f"{url}/api/ca.pem", verify=insecure, timeout=timeout).content
    cert = x509.load_pem_x509_certificate(pem)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def normalise_url(text: str, default_port: int = 8443) -> str:
    """``10.0.0.5``, ``10.0.0.5:8443`` or ``https://10.0.0.5:8443`` → ``https://10.0.0.5:8443``."""
    text = text.strip().rstrip("/")
    if not text:
        raise InvalidValue(field="address", detail="-")
    if not text.startswith("https://"):
        if text.startswith("http://"):
            text = text[len("http://") :]
        text = "https://" + text
    rest = text[len("https://") :]
    if "/" in rest or " " in rest:
        raise InvalidValue(field="address", detail=text)
    has_port = rest.rsplit(":", 1)[-1].isdigit() and (rest.count(":") == 1 or rest.startswith("["))
    return text if has_port else f"{text}:{default_port}"


def short_fingerprint(fp: str) -> str:
    """The first 16 hex digits in groups of four, for a person to compare."""
    return " ".join(fp[i : i + 4] for i in range(0, 16, 4)).upper()


async def reachable(urls: list[str], fingerprint: str) -> tuple[str, ssl.SSLContext]:
    """The first address that answers with the pinned CA (in a worker thread: it blocks)."""
    errors = []
    for url in urls:
        try:
            ctx = await asyncio.to_thread(pinned_context, url, fingerprint, timeout=5)
            return url, ctx
        except (OSError, httpx.HTTPError) as exc:
            errors.append(f"{url}: {exc}")
    raise OSError("; ".join(errors) or "no address")


async def pair(
    urls: list[str], fingerprint: str, code: str, device_name: str, *, lang: str = "vi"
) -> tuple[Pairing, HostClient]:
    """Pair with a one-time code: pin the CA, present the code, keep the token."""
    code = code.strip().replace(" ", "")
    # the host's codes: 10 letters and digits, shown as XXXXX-XXXXX (it normalises case and
    # look-alike letters itself)
    if not (6 <= len(code.replace("-", "")) <= 20 and code.replace("-", "").isalnum()):
        raise InvalidValue(field="code", detail=code or "-")
    url, ctx = await reachable(urls, fingerprint)
    client = HostClient(url, ctx, lang=lang)
    try:
        result = await client.pair(code, device_name)
        info = await client.get("/api/host-info")
    except BaseException:
        await client.close()
        raise
    pairing = Pairing(
        url=url,
        urls=list(urls),
        fingerprint=fingerprint,
        token=result["token"],
        role=result["role"],
        device_id=result["device_id"],
        delegate_id=result.get("delegate_id"),
        name=device_name,
        host_name=info.get("body") or info.get("name", ""),
    )
    return pairing, client


async def reconnect(pairing: Pairing, *, lang: str = "vi") -> HostClient:
    """A client for a remembered pairing, on whichever of its addresses answers."""
    url, ctx = await reachable(
        [pairing.url, *[u for u in pairing.urls if u != pairing.url]], pairing.fingerprint
    )
    pairing.url = url
    return HostClient(url, ctx, token=pairing.token, lang=lang)


__all__ = [
    "Pairing",
    "context_for_ca",
    "fetch_fingerprint",
    "forget",
    "load",
    "normalise_url",
    "pair",
    "reconnect",
    "save",
    "short_fingerprint",
]
