"""Trust anchors per body: the CA certificates whose signatures the host accepts on minutes.

A province's People's Council trusts the government CA chain its signers' certificates come
from; the demo trusts its own demo CA. Anchors live in ``DATA_DIR/trust/<body id>/`` (and
``DATA_DIR/trust/all/`` for every body), one PEM file per certificate named by its SHA-256,
added with ``meetingapp trust add`` or the console's ``POST /api/bodies/{id}/trust``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from meetingapp.atomic import atomic_write
from meetingapp.errors import InvalidValue

ALL = "all"
_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _folder(root: Path, body_id: str) -> Path:
    if not _SAFE.match(body_id) or body_id in (".", ".."):
        raise InvalidValue(field="body_id", detail="letters, digits, _ . -")
    return root / body_id


def parse_ca(pem: bytes) -> tuple[str, str]:
    """(SHA-256 of the DER, subject) of a CA certificate in PEM; refused when it is not one."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise InvalidValue(field="certificate", detail="not a PEM certificate") from exc
    try:
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        ca = False
    if not ca:
        raise InvalidValue(field="certificate", detail="not a CA certificate")
    der = cert.public_bytes(Encoding.DER)
    return hashlib.sha256(der).hexdigest(), cert.subject.rfc4514_string()


class TrustStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def add(self, body_id: str, pem: bytes) -> tuple[str, str]:
        digest, subject = parse_ca(pem)
        folder = _folder(self.root, body_id)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"{digest}.pem"
        atomic_write(path, pem)
        os.chmod(path, 0o600)
        return digest, subject

    def anchors(self, body_id: str) -> list[bytes]:
        out = []
        for name in (ALL, body_id):
            folder = _folder(self.root, name)
            if folder.is_dir():
                out += [p.read_bytes() for p in sorted(folder.glob("*.pem"))]
        return out

    def listing(self) -> dict[str, list[str]]:
        if not self.root.is_dir():
            return {}
        return {
            d.name: [parse_ca(p.read_bytes())[1] for p in sorted(d.glob("*.pem"))]
            for d in sorted(self.root.iterdir())
            if d.is_dir()
        }
