"""Face templates encrypted at rest (Fernet). The key lives outside the database, in a file
readable only by the host's user (0600); losing it makes the templates unreadable, which is
the intended effect of deleting it. Photos are never stored."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from cryptography.fernet import Fernet, InvalidToken

from attendance.errors import FaceError


class TemplateVault:
    def __init__(self, key_path: Path, key: bytes | None = None) -> None:
        """``key``: a key derived elsewhere (from a passphrase); else the file ``key_path``."""
        self.key_path = key_path
        self._fernet = Fernet(key or self._load_or_create())

    def _load_or_create(self) -> bytes:
        if self.key_path.exists():
            try:
                return self.key_path.read_bytes().strip()
            except OSError as exc:
                raise FaceError("face.key", detail=str(exc)) from exc
        self.key_path.parent.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key()
        fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key

    def seal(self, encoding: np.ndarray) -> bytes:
        return self._fernet.encrypt(np.asarray(encoding, dtype="<f8").tobytes())

    def open(self, token: bytes) -> np.ndarray:
        try:
            raw = self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise FaceError("face.key", detail="wrong key or damaged template") from exc
        return np.frombuffer(raw, dtype="<f8").copy()
