"""Fuzz the host's API from its own OpenAPI spec with schemathesis: no 5xx, no crash, and the
event log still verifies afterwards."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from meetingapp.store import EventLog, open_db
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting


def schemathesis(host: HostProcess, token: str, examples: int) -> subprocess.CompletedProcess[str]:
    info = host.info
    st = Path(sys.executable).parent / "st"
    return subprocess.run(
        [
            str(st),
            "run",
            f"{info['url']}/openapi.json",
            "--tls-verify",
            info["ca_cert"],
            "-H",
            f"Authorization: Bearer {token}",
            "-n",
            str(examples),
            "--seed",
            "20261124",
            "--checks",
            "not_a_server_error",
            "-w",
            "1",
            "--request-timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_fuzzing_the_api_finds_no_server_error(host: HostProcess) -> None:
    async def prepare() -> str:
        mt = await api_meeting(host, tablets=1)  # real ids for the stateful phase to find
        token = next(iter(mt.tablets.values())).token or ""
        await mt.close()
        return token

    delegate_token = asyncio.run(prepare())
    console_token = Path(host.info["console_token_file"]).read_text().strip()
    for token, examples in ((console_token, 25), (delegate_token, 10)):
        result = schemathesis(host, token, examples)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        assert "generated" in result.stdout
    health = httpx.get(f"{host.info['url']}/api/health", verify=host.ssl(), timeout=10)
    assert health.status_code == 200
    host.stop()
    assert EventLog(open_db(host.data_dir / "meetingapp.db", create=False)).verify().ok
