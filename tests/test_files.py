"""Files under the data directory: named by content, written atomically."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from meetingapp import settings
from meetingapp.store import FileStore
from meetingapp.store.files import atomic_write


def test_files_are_named_by_content_and_stored_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    data = "Tờ trình số 125/TTr-UBND".encode()
    digest, path = store.put(data, kind="documents", suffix=".pdf")
    assert digest == hashlib.sha256(data).hexdigest()
    assert path == store.path_for(digest, kind="documents", suffix=".pdf")
    assert path.read_bytes() == data
    mtime = path.stat().st_mtime_ns
    assert store.put(data, kind="documents", suffix=".pdf") == (digest, path)
    assert path.stat().st_mtime_ns == mtime


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "minutes.docx"
    atomic_write(target, b"old")

    def crash(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["minutes.docx"]


def test_data_dir_follows_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEETINGAPP_DATA_DIR", str(tmp_path / "elsewhere"))
    assert settings.data_dir() == tmp_path / "elsewhere"
    assert (tmp_path / "elsewhere").is_dir()
