"""A stolen laptop / a copied data directory (issue #14, finding 9: "the face key sits beside
the templates; the data directory is 0755", the database world-readable)."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import numpy as np
import pytest

from attendance.errors import FaceError
from attendance.vault import TemplateVault
from meetingapp.server.faces import vault_for
from tests.hostproc import HostProcess
from tests.meeting_api import api_meeting


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_host_files_are_owner_only_and_the_face_key_is_elsewhere(
    host: HostProcess, tmp_path: Path
) -> None:
    async def scenario() -> None:
        mt = await api_meeting(host, tablets=1)
        await mt.close()

    asyncio.run(scenario())
    data = host.data_dir
    assert mode(data) == 0o700
    for name in ("meetingapp.db", "meetingapp.db-wal", "console.token", "tls/ca.key"):
        if (data / name).exists():
            assert mode(data / name) & 0o077 == 0, name
    keys = list(data.rglob("*.key"))
    assert [k.relative_to(data).as_posix() for k in keys] == sorted(
        k.relative_to(data).as_posix() for k in keys if k.parent.name == "tls"
    )  # only the TLS keys; no face-template key in the data
    face_keys = list((tmp_path / "keys").glob("face-templates-*.key"))
    assert len(face_keys) == 1 and mode(face_keys[0]) == 0o600
    assert mode(tmp_path / "keys") == 0o700


def test_a_copied_data_dir_without_the_key_dir_cannot_open_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data-dir"
    data.mkdir()
    sealed = vault_for(data).seal(np.arange(128, dtype=float))
    # the thief has the data directory (and its database) but not the user's key directory
    monkeypatch.setenv("MEETINGAPP_KEY_DIR", str(tmp_path / "thief-keys"))
    with pytest.raises(FaceError):
        vault_for(data).open(sealed)


def test_a_passphrase_key_is_never_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data-dir"
    monkeypatch.setenv("MEETINGAPP_FACE_PASSPHRASE", "mật khẩu dài của văn phòng")
    sealed = vault_for(data).seal(np.ones(128))
    assert np.array_equal(vault_for(data).open(sealed), np.ones(128))
    assert not list((tmp_path / "keys").glob("*.key"))
    assert not list(data.rglob("*.key"))
    monkeypatch.setenv("MEETINGAPP_FACE_PASSPHRASE", "đoán sai")
    with pytest.raises(FaceError):
        vault_for(data).open(sealed)


def test_a_legacy_key_in_the_data_dir_is_moved_out(tmp_path: Path) -> None:
    data = tmp_path / "old"
    legacy = TemplateVault(data / "keys" / "face-templates.key")
    sealed = legacy.seal(np.zeros(128))
    vault = vault_for(data)
    assert not (data / "keys" / "face-templates.key").exists()
    assert np.array_equal(vault.open(sealed), np.zeros(128))
