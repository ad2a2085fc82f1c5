"""Downloading a model on request, through the hub client, from a local server in the hub's
layout (no network): progress, resume after a dropped transfer, validation, and offline use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asr.models import (
    BUNDLED_SHA256,
    ModelError,
    ensure_bundled_model,
    import_folder,
    resolve,
    sha256_file,
    validate_model_dir,
)
from tests.fakehub import FakeHub


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    return ensure_bundled_model(tmp_path / "bundled")


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meetingapp", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.mark.slow
def test_download_resumes_shows_progress_and_validates(tmp_path: Path, bundled: Path) -> None:
    hub = FakeHub(bundled, "Systran/faster-whisper-base", cut_after=20 * 2**20)
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    env |= {
        "HF_ENDPOINT": hub.url,
        "MEETINGAPP_MODEL_DIR": str(tmp_path / "models"),
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HOME": str(tmp_path / "hf"),
    }
    try:
        first = cli("models", "download", "base", env=env)
        if first.returncode != 0:  # the client gave up on the dropped transfer: run it again
            assert "download of Systran/faster-whisper-base failed" in first.stderr
            first = cli("models", "download", "base", env=env)
        assert first.returncode == 0, first.stderr
    finally:
        hub.close()
    folder = Path(first.stdout.strip())
    assert folder == tmp_path / "models" / "base"
    assert sha256_file(folder / "model.bin") == BUNDLED_SHA256
    assert validate_model_dir(folder) == folder
    resumed = [r for r in hub.requests if r[1].endswith("/model.bin") and r[2]]
    assert resumed and resumed[0][2].startswith("bytes=")  # picked up where it stopped
    assert "MB" in first.stderr and "100.0%" in first.stderr  # the progress line
    listed = cli("models", "list", env=env)
    assert "base" in listed.stdout.split()


def test_offline_refuses_to_download_and_unknown_names(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MEETINGAPP_MODEL_DIR": str(tmp_path)}
    result = cli("models", "download", "base", env=env)
    assert result.returncode == 2 and "HF_HUB_OFFLINE" in result.stderr
    with pytest.raises(ModelError, match="not here"):
        resolve("large-v3")


def test_import_checks_the_folder(
    tmp_path: Path, bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETINGAPP_MODEL_DIR", str(tmp_path / "models"))
    usb = tmp_path / "usb" / "phowhisper-ct2"
    usb.mkdir(parents=True)
    for name in ("config.json", "vocabulary.txt", "model.bin"):
        (usb / name).write_bytes((bundled / name).read_bytes())
    with pytest.raises(ModelError, match="tokenizer.json"):
        import_folder(usb)  # without it faster-whisper would try the network
    (usb / "tokenizer.json").write_bytes((bundled / "tokenizer.json").read_bytes())
    copied = import_folder(usb)
    assert resolve("phowhisper-ct2") == copied == tmp_path / "models" / "phowhisper-ct2"
    assert resolve(str(usb)) == usb
    assert resolve("bundled").name == "whisper-base-ct2"
