"""The host's own certificate authority and server certificate, made on first start.

Tablets pin the CA's SHA-256 fingerprint when they pair (it is in the pairing QR), so the
server certificate can be re-issued for a new address without pairing again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from meetingapp.store.files import atomic_write


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path
    cert: Path
    key: Path
    fingerprint: str  # SHA-256 of the CA certificate (DER), hex


def fingerprint_of(pem: bytes) -> str:
    cert = x509.load_pem_x509_certificate(pem)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    atomic_write(path, pem)
    os.chmod(path, 0o600)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "meetingapp host"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _make_ca(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("meetingapp host CA"))
        .issuer_name(_name("meetingapp host CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    _write_key(folder / "ca.key", key)
    atomic_write(folder / "ca.pem", cert.public_bytes(serialization.Encoding.PEM))


def _addresses(extra: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.DNSName(socket.gethostname())]
    for addr in ["127.0.0.1", "::1", *extra]:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(addr)))
        except ValueError:
            names.append(x509.DNSName(addr))
    return names


def _make_server_cert(folder: Path, extra: list[str]) -> None:
    ca_key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), None)
    ca = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(socket.gethostname()))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(_addresses(extra)), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    _write_key(folder / "server.key", key)
    atomic_write(folder / "server.pem", cert.public_bytes(serialization.Encoding.PEM))


def ensure_tls(folder: Path, addresses: list[str] | None = None) -> TlsFiles:
    """Create the CA once and a server certificate for ``addresses`` (re-issued if new)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "ca.pem").exists() or not (folder / "ca.key").exists():
        _make_ca(folder)
    extra = sorted(set(addresses or []))
    marker = folder / "server.addresses"
    if (
        not (folder / "server.pem").exists()
        or not marker.exists()
        or marker.read_text() != ",".join(extra)
    ):
        _make_server_cert(folder, extra)
        atomic_write(marker, ",".join(extra).encode())
    return TlsFiles(
        folder / "ca.pem",
        folder / "server.pem",
        folder / "server.key",
        fingerprint_of((folder / "ca.pem").read_bytes()),
    )
