from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostproc import HostProcess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def fresh_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own data directory and the default language."""
    monkeypatch.setenv("MEETINGAPP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEETINGAPP_KEY_DIR", str(tmp_path / "keys"))  # apart from the data
    monkeypatch.delenv("MEETINGAPP_LANG", raising=False)
    yield


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"development data not found at {data}")
    return data


@pytest.fixture
def host(tmp_path: Path) -> Iterator[HostProcess]:
    """The real host process on 127.0.0.1, with its own data directory."""
    proc = HostProcess(tmp_path / "host").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def bridge(qapp):  # type: ignore[no-untyped-def]
    """The windows' link to the host (ui.bridge.Bridge), in Vietnamese, stopped after the test
    (which also hands Python's garbage collection back from the Qt thread)."""
    from ui.bridge import Bridge
    from ui.strings import set_language

    set_language("vi")
    b = Bridge()
    yield b
    b.stop()
    set_language("vi")
