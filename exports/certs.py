"""Test certificates for demos and tests: a CA and PKCS#12 files for the secretary, the chair
and the organisation seal. Not for real use — real signers use certificates from a licensed
CA (e.g. the Government Cipher Committee's for official duties)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_PEOPLE = {
    "secretary": "Lê Hoàng Dũng",
    "chair": "Nguyễn Văn An",
    "seal": "Hội đồng nhân dân xã Tân Phú",
}


@dataclass(frozen=True)
class DemoCerts:
    ca: Path
    p12: dict[str, Path]
    password: str


def _name(cn: str, org: str = "meetingapp demo") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_demo_certs(
    folder: Path,
    *,
    password: str = "demo",
    people: dict[str, str] | None = None,
    valid_days: int = 730,
    not_before: dt.datetime | None = None,
    usage_sign: bool = True,
) -> DemoCerts:
    folder.mkdir(parents=True, exist_ok=True)
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    ca_key = _key()
    ca_name = _name("meetingapp demo CA (không dùng thật)")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = folder / "demo-ca.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    out = {}
    for role, cn in (people or DEMO_PEOPLE).items():
        key = _key()
        usage = x509.KeyUsage(
            usage_sign, usage_sign, not usage_sign, False, False, False, False, False, False
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(cn))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=valid_days))
            .add_extension(usage, critical=True)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        blob = pkcs12.serialize_key_and_certificates(
            cn.encode(), key, cert, [ca], serialization.BestAvailableEncryption(password.encode())
        )
        path = folder / f"{role}.p12"
        path.write_bytes(blob)
        out[role] = path
    return DemoCerts(ca_path, out, password)
