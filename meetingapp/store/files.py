"""Files under the data directory, named by content hash and written atomically."""

from __future__ import annotations

import hashlib
from pathlib import Path

from meetingapp.atomic import atomic_write

__all__ = ["FileStore", "atomic_write"]


class FileStore:
    """Content-addressed files: ``<root>/<kind>/<aa>/<sha256><suffix>``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, data: bytes, *, kind: str, suffix: str = "") -> tuple[str, Path]:
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / kind / digest[:2] / f"{digest}{suffix}"
        if not path.exists():
            atomic_write(path, data)
        return digest, path

    def path_for(self, digest: str, *, kind: str, suffix: str = "") -> Path:
        return self.root / kind / digest[:2] / f"{digest}{suffix}"
