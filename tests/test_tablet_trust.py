"""Trust on the tablet, against the real host: the CA as an iPadOS configuration profile and as
an Android certificate (over HTTPS and over the plain-HTTP CA port), the download page, and
the printed instruction sheet (host endpoint and ``meetingapp trust-sheet``) with the CA's
fingerprint in its text and a QR code that opens the download page."""

from __future__ import annotations

import hashlib
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from meetingapp import qr, tablet_trust
from tests.hostproc import HostProcess


@pytest.fixture
def trust_host(tmp_path: Path) -> Iterator[HostProcess]:
    proc = HostProcess(tmp_path / "host", ca_port=0, advertise=False).start()
    try:
        yield proc
    finally:
        proc.stop()


def ca_der(host: HostProcess) -> bytes:
    pem = Path(host.info["ca_cert"]).read_bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def https(host: HostProcess) -> httpx.Client:
    return httpx.Client(base_url=host.info["url"], verify=host.ssl(), timeout=30)


def check_profile(data: bytes, der: bytes) -> None:
    profile = plistlib.loads(data)
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadVersion"] == 1
    assert profile["PayloadRemovalDisallowed"] is False
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == "com.apple.security.root"
    assert payload["PayloadContent"] == der  # the certificate inside is the host's CA
    assert payload["PayloadUUID"] != profile["PayloadUUID"]
    assert payload["PayloadIdentifier"].startswith(profile["PayloadIdentifier"])


def check_crt(data: bytes, der: bytes) -> None:
    cert = x509.load_der_x509_certificate(data)
    assert cert.public_bytes(Encoding.DER) == der
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_the_ca_as_profile_and_certificate_over_https_and_plain_http(
    trust_host: HostProcess,
) -> None:
    der = ca_der(trust_host)
    fp = trust_host.info["ca_fingerprint"]
    assert hashlib.sha256(der).hexdigest() == fp
    with https(trust_host) as c:
        r = c.get("/api/ca.mobileconfig")
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/x-apple-aspen-config"
        check_profile(r.content, der)
        profile = r.content
        r = c.get("/api/ca.crt")
        assert r.headers["content-type"] == "application/x-x509-ca-cert"
        assert "meetingapp-ca.crt" in r.headers["content-disposition"]
        check_crt(r.content, der)
        page = c.get("/trust/")
        assert page.status_code == 200
        assert "<script" not in page.text and "style=" not in page.text
        for path in ("/trust/ca.mobileconfig", "/trust/ca.crt", "/trust/trust.css"):
            assert c.get(path).status_code == 200, path
        assert c.get("/trust/ca.crt").content == c.get("/api/ca.crt").content
    # the same profile for the same CA, byte for byte: installing it again replaces it
    assert tablet_trust.mobileconfig(Path(trust_host.info["ca_cert"]).read_bytes()) == profile

    port = trust_host.info["ca_port"]
    assert isinstance(port, int) and port > 0
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as plain:
        r = plain.get("/ca.mobileconfig")
        assert r.headers["content-type"] == "application/x-apple-aspen-config"
        assert r.content == profile
        r = plain.get("/ca.crt")
        assert r.headers["content-type"] == "application/x-x509-ca-cert"
        check_crt(r.content, der)
        page = plain.get("/")
        assert page.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert plain.get("/trust.css").status_code == 200
        text = page.text
        for line in tablet_trust.fingerprint_lines(fp):
            assert line in text
        assert "href='ca.mobileconfig'" in text and "href='ca.crt'" in text
        assert "Tải hồ sơ cho iPad" in text and "Download the certificate for Android" in text
        # nothing but these public files: no API, no token, no state over plain HTTP
        for path in ("/api/me", "/api/health", "/seat/", "/../tls/ca.key", "/console.token"):
            assert plain.get(path).status_code == 404, path
        assert plain.post("/api/pair", json={"code": "x"}).status_code == 501


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def qr_text(data: bytes) -> str | None:
    import numpy as np
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(data)[0]
    return qr.decode(np.asarray(page.render(scale=2).to_pil().convert("L")))


def test_the_instruction_sheet_has_the_fingerprint_steps_and_qr(
    trust_host: HostProcess, tmp_path: Path
) -> None:
    fp = trust_host.info["ca_fingerprint"]
    with https(trust_host) as c:
        assert c.get("/api/trust-sheet.pdf").status_code == 401  # the secretary's only
    # the secretary's way on the host machine: the CLI, with the console's token
    out = tmp_path / "tin-cay.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "meetingapp",
            "trust-sheet",
            "--out",
            str(out),
            "--body",
            "Hội đồng nhân dân xã Kiểm Thử",
            "--data-dir",
            str(trust_host.data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for line in tablet_trust.fingerprint_lines(fp):  # on both pages
        assert text.count(line) == 2, line
    # Vietnamese, then English, with what a clerk does on each kind of device
    text = " ".join(text.split())  # lines wrap where the page is full
    assert "Cài chứng chỉ của máy chủ họp lên máy tính bảng — Hội đồng nhân dân xã Kiểm Thử" in text
    assert "Cài đặt tin cậy chứng nhận" in text and "Certificate Trust Settings" in text
    assert "Chứng chỉ CA" in text and "Install a certificate" in text
    assert "Màn hình hội trường" in text and "/display/" in text
    port = trust_host.info["ca_port"]
    assert f"http://127.0.0.1:{port}/" in text
    assert qr_text(data) == f"http://127.0.0.1:{port}/"  # the code opens the download page


def test_idle_connections_to_the_plain_ca_port_cannot_pile_up_threads_in_the_host(
    trust_host: HostProcess,
) -> None:
    """Anyone on the LAN may connect to the CA port without pairing. 300 connections that send
    nothing: the host's thread count stays bounded (a few per address, a few dozen in all, each
    closed after the idle timeout), and the download answers again once they are gone."""
    import contextlib
    import socket
    import time

    from meetingapp.server import ca_http

    port = int(trust_host.info["ca_port"])
    pid = trust_host.proc.pid

    def threads() -> int:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))

    before = threads()
    idle = []
    for _ in range(300):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        idle.append(s)
    time.sleep(1.0)
    during = threads()
    assert during - before <= ca_http.MAX_PER_ADDRESS + 2, (before, during)
    # the few let in are closed after the idle timeout; the rest were closed at once
    time.sleep(ca_http.IDLE_TIMEOUT_S + 2)
    for s in idle:
        s.settimeout(5)
        with contextlib.suppress(ConnectionResetError):
            assert s.recv(1) == b""  # closed by the host
        s.close()
    assert threads() <= before + 1
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as plain:
        assert plain.get("/ca.crt").status_code == 200  # the download answers again
