"""Start the real host (``meetingapp serve``) as a separate process on 127.0.0.1.

Used by the demo, by the app's one-laptop mode and by the tests: the host always runs in its own
process, exactly as on a council's server."""

from __future__ import annotations

import json
import os
import ssl as _ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from meetingapp.client import HostClient, context_for_ca


def rss_mb(pid: str = "self") -> float:
    """Resident memory of a process now, in MB (0 when it cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakRss:
    """The highest value of ``read`` (a process's RSS in MB) while the ``with`` block runs,
    sampled every ``every`` seconds on a thread of its own."""

    def __init__(self, read: Callable[[], float], every: float = 0.02) -> None:
        self.read, self.every = read, every
        self.idle = self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.read())
            time.sleep(self.every)

    def __enter__(self) -> PeakRss:
        self.idle = self.peak = self.read()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class LocalHost:
    data_dir: Path
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    bind: str = "127.0.0.1"  # an address or interface name; on the LAN: advertised by mDNS
    advertise: bool = True
    prefix: tuple[str, ...] = ()  # e.g. ("ip", "netns", "exec", "ns1"): run it elsewhere
    ca_port: int | None = None  # the CA over plain HTTP (serve --ca-port); None: serve's default

    def start(self, timeout: float = 60) -> LocalHost:
        host_json = self.data_dir / "host.json"
        host_json.unlink(missing_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        argv = [
            *self.prefix,
            sys.executable,
            "-m",
            "meetingapp",
            "serve",
            "--bind",
            self.bind,
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        if not self.advertise:
            argv.append("--no-mdns")
        if self.ca_port is not None:
            argv += ["--ca-port", str(self.ca_port)]
        self.proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + timeout
        while not host_json.exists():
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"host exited with {self.proc.returncode}:\n{out}")
            if time.monotonic() > deadline:
                raise TimeoutError("host did not start")
            time.sleep(0.05)
        info = json.loads(host_json.read_text())
        self.port = info["port"]
        return self

    @property
    def info(self) -> dict[str, str]:
        return json.loads((self.data_dir / "host.json").read_text())

    def client(self, *, console: bool = False, lang: str = "vi") -> HostClient:
        return HostClient.from_host_json(self.data_dir, console=console, lang=lang)

    def ssl(self) -> _ssl.SSLContext:
        info = self.info
        return context_for_ca(Path(info["ca_cert"]).read_bytes(), info["ca_fingerprint"])

    def rss_mb(self) -> float:
        """The host process's resident memory now (0 when it is not running)."""
        if self.proc is None or self.proc.poll() is not None:
            return 0.0
        return rss_mb(str(self.proc.pid))

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when the power fails."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL; TerminateProcess on Windows (no SIGKILL there)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
