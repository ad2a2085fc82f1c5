"""Keys kept apart from the data (issue #14, "at rest").

The face-template key must not sit beside the templates: whoever copies the data directory
(a stolen laptop's disk, a backup) should get ciphertext only. In order of preference:

1. ``MEETINGAPP_FACE_PASSPHRASE`` set: the key is derived from it (scrypt, with a random salt
   stored in the data directory); no key is on disk at all.
2. Otherwise a random key in a file in the key directory (``MEETINGAPP_KEY_DIR``, default the
   platform's user *config* directory ``…/meetingapp/keys``, not the data directory), mode 0600
   in a 0700 folder, one file per data directory. A key left in the data directory by an older
   version is moved there on first use.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

import platformdirs

from meetingapp import settings
from meetingapp.atomic import atomic_write


def key_dir() -> Path:
    path = Path(
        settings.get("key_dir") or Path(platformdirs.user_config_dir("meetingapp")) / "keys"
    )
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def face_key_path(data_dir: Path) -> Path:
    """The key file for this data directory (named by a hash of its absolute path)."""
    tag = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    path = key_dir() / f"face-templates-{tag}.key"
    legacy = data_dir / "keys" / "face-templates.key"
    if legacy.exists() and not path.exists():
        atomic_write(path, legacy.read_bytes())
        os.chmod(path, 0o600)
        legacy.unlink()
    return path


def face_key_from_passphrase(data_dir: Path) -> bytes | None:
    """A Fernet key derived from MEETINGAPP_FACE_PASSPHRASE, or None when it is not set."""
    passphrase = settings.get("face_passphrase")
    if not passphrase:
        return None
    salt_path = data_dir / "keys" / "face-templates.salt"
    if not salt_path.exists():
        salt_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(salt_path, secrets.token_bytes(16))
        os.chmod(salt_path, 0o600)
    raw = hashlib.scrypt(
        passphrase.encode(), salt=salt_path.read_bytes(), n=2**15, r=8, p=1, maxmem=2**26, dklen=32
    )
    return base64.urlsafe_b64encode(raw)


def private_dir(path: Path) -> Path:
    """Make (or tighten) a folder readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
