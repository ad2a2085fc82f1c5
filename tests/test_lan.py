"""The host on a real LAN: two network stacks (network namespaces joined by a veth pair), the
host in one, a tablet in the other; the tablet finds the host by mDNS, pairs with a code,
follows a page and votes — over the namespaces' own addresses, never loopback. An independent
mDNS client (``avahi-browse``, with its own avahi-daemon and D-Bus inside the tablet's
namespace) sees the same advertisement.

Needs root and ``ip`` (CI runs as root with setup.sh's packages); skipped with the reason
otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from meetingapp.localhost import LocalHost
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "network namespaces need root (CI runs as root)"
    if shutil.which("ip") is None:
        return "the 'ip' command (iproute2) is missing"
    probe = f"mtprobe{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot create a network namespace: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


@dataclass
class Lan:
    host_ns: str
    tablet_ns: str
    host_ip: str
    tablet_ip: str
    host_if: str
    tablet_if: str

    def exec(self, ns: str) -> list[str]:
        return ["ip", "netns", "exec", ns]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def lan() -> Iterator[Lan]:
    why = _why_not()
    if why:
        pytest.skip(why)
    n = os.getpid() % 200 + 20
    net = Lan(f"mt-host-{n}", f"mt-tab-{n}", f"10.231.{n}.1", f"10.231.{n}.2", f"mth{n}", f"mtt{n}")
    for ns in (net.host_ns, net.tablet_ns):  # left over by a run that was killed
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    try:
        _ip("netns", "add", net.host_ns)
        _ip("netns", "add", net.tablet_ns)
        _ip("link", "add", net.host_if, "type", "veth", "peer", "name", net.tablet_if)
        for ns, dev, addr in (
            (net.host_ns, net.host_if, net.host_ip),
            (net.tablet_ns, net.tablet_if, net.tablet_ip),
        ):
            _ip("link", "set", dev, "netns", ns)
            _ip("-n", ns, "addr", "add", f"{addr}/24", "dev", dev)
            _ip("-n", ns, "link", "set", dev, "up", "multicast", "on")
            _ip("-n", ns, "link", "set", "lo", "up")
        yield net
    finally:
        for ns in (net.host_ns, net.tablet_ns):  # deleting a namespace deletes its veth end
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def _agent(net: Lan, ns: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*net.exec(ns), sys.executable, "-m", "tests.lan_agent", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(proc: subprocess.Popen[str], name: str, timeout: float = 180) -> str:
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        pytest.fail(f"{name} did not finish:\n{out}")
    assert proc.returncode == 0, f"{name} failed:\n{out}"
    return out


AVAHI_BUS = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""

AVAHI_CONF = """[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces={interface}
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
disable-publishing=yes
[reflector]
enable-reflector=no
"""


def _avahi_browse(net: Lan, folder: Path, fingerprint: str) -> str:
    """Run avahi-daemon with a private D-Bus system bus inside the tablet's namespace (and its
    own mount namespace for the pid file), and ``avahi-browse -rpt _meetingapp._tcp``."""
    folder.mkdir()
    bus = folder / "bus.sock"
    (folder / "bus.conf").write_text(AVAHI_BUS.format(socket=bus))
    (folder / "avahi.conf").write_text(AVAHI_CONF.format(interface=net.tablet_if))
    script = f"""
set -e
mkdir -p /run/avahi-daemon
mount -t tmpfs tmpfs /run/avahi-daemon  # this mount namespace only: a private pid file
dbus-daemon --config-file={folder}/bus.conf --fork --print-pid > {folder}/dbus.pid
for i in $(seq 50); do [ -S {bus} ] && break; sleep 0.1; done
export DBUS_SYSTEM_BUS_ADDRESS=unix:path={bus}
avahi-daemon -f {folder}/avahi.conf --no-drop-root --no-chroot --no-rlimits --no-proc-title \
  > {folder}/avahi.log 2>&1 &
AVAHI=$!
for i in $(seq 100); do avahi-browse -at -p >/dev/null 2>&1 && break; sleep 0.1; done
found=""
for i in $(seq 20); do
  found=$(avahi-browse -rpt _meetingapp._tcp 2>/dev/null | grep '^=' || true)
  echo "$found" | grep -q {fingerprint} && break
  sleep 0.5
done
echo "$found"
kill $AVAHI; kill $(cat {folder}/dbus.pid) 2>/dev/null || true
wait $AVAHI 2>/dev/null || true
"""
    result = subprocess.run(
        [*net.exec(net.tablet_ns), "unshare", "-m", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        timeout=90,
    )
    out = result.stdout.decode("utf-8", "replace")  # avahi escapes non-ASCII TXT bytes its way
    log = (folder / "avahi.log").read_text() if (folder / "avahi.log").exists() else ""
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace") + log
    return out


def test_tablet_on_another_network_stack_finds_pairs_follows_and_votes(
    lan: Lan, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    host = LocalHost(
        tmp_path / "host", bind=lan.host_if, port=8443, prefix=tuple(lan.exec(lan.host_ns))
    ).start()
    try:
        info = host.info
        assert info["url"] == f"https://{lan.host_ip}:8443"
        assert info["lan_urls"] == [f"https://{lan.host_ip}:8443"]
        assert info["mdns"] is True
        console = _agent(
            lan,
            lan.host_ns,
            "console",
            "--shared",
            str(shared),
            "--host-dir",
            str(tmp_path / "host"),
        )
        tablet = _agent(lan, lan.tablet_ns, "tablet", "--shared", str(shared))
        tablet_out = _finish(tablet, "the tablet")
        _finish(console, "the console")
        plan = json.loads((shared / "plan.json").read_text())
        done = json.loads((shared / "tablet-done.json").read_text())
        result = json.loads((shared / "console-done.json").read_text())

        # the QR code carries the real address and the fingerprint, never 0.0.0.0 or loopback
        assert f"url=https%3A%2F%2F{lan.host_ip}%3A8443" in plan["qr"], plan["qr"]
        assert f"fp={info['ca_fingerprint']}" in plan["qr"]
        # found by mDNS, with the body, session and fingerprint in the TXT record
        assert done["host"]["addresses"] == [lan.host_ip], tablet_out
        assert done["host"]["name"].startswith("Hội đồng nhân dân xã Kiểm Thử")
        txt = done["host"]["txt"]
        assert txt["fp"] == info["ca_fingerprint"]
        assert txt["body"] == "Hội đồng nhân dân xã Kiểm Thử"
        assert txt["session"] == plan["session"] == done["session"]
        # paired, followed the page and voted over the namespace's own addresses
        assert done["url"] == f"https://{lan.host_ip}:8443"
        assert lan.tablet_ip in done["my_addresses"]
        assert lan.host_ip not in done["my_addresses"]  # truly another network stack
        assert (done["role"], done["delegate"]) == ("delegate", plan["delegate"])
        assert done["page"] == 3
        assert done["receipt"]["choice"] == "yes"
        assert done["result_passed"] is False  # one yes of twelve seats: not passed
        assert result["result"]["yes"] == 1

        if shutil.which("avahi-browse") and shutil.which("avahi-daemon"):
            seen = _avahi_browse(lan, tmp_path / "avahi", info["ca_fingerprint"])
            line = next((x for x in seen.splitlines() if info["ca_fingerprint"] in x), None)
            assert line is not None, seen
            fields = line.split(";")
            assert fields[2] == "IPv4" and fields[4] == "_meetingapp._tcp"
            assert fields[3].startswith("H"), fields[3]  # named after the body (escaped)
            assert fields[7] == lan.host_ip and fields[8] == "8443"
            assert f'"session={plan["session"]}"' in line
        else:
            pytest.fail("avahi-utils/avahi-daemon missing: scripts/setup.sh installs them")
    finally:
        host.stop()
