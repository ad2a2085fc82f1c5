"""The packaged Linux app (``make bundle``, packaging/): built from a clean copy of the checkout
with the project's environment as input, unpacked from its .tar.gz and installed as from a USB
stick, then run with no project virtualenv on PATH, a fresh HOME and — where this runs as root —
no network at all (its own network namespace with only loopback). The demo meeting must end in
signed minutes that pyHanko (from the bundle) and poppler's pdfsig (the system's) both verify;
the Whisper model comes from inside the bundle; a model imported later goes to the user's
folders; the tools check speaks when LibreOffice is missing; the app's first window opens
offscreen. Figures (build time, size, demo time) are printed as JSON (``pytest -s``)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="the Linux bundle (Windows: CI workflow)"),
]

BUILD_TIMEOUT = 40 * 60


def clean_copy(dest: Path) -> Path:
    """The checkout as a fresh clone would have it (tracked and new, unignored files): no
    virtualenv, no build outputs, no caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        src = REPO / name
        if src.is_file() and not src.is_symlink():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def bare_env(home: Path, path: str = "/usr/local/bin:/usr/bin:/bin") -> dict[str, str]:
    """A user's session on another machine: system PATH only, a fresh HOME, nothing of ours."""
    return {
        "PATH": path,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home / "tmp"),
    }


def can_unshare_net() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(
        ["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, timeout=30
    )
    return probe.returncode == 0


def offline(argv: list[str]) -> list[str]:
    """Run in a network namespace of its own: loopback only, nothing else reachable."""
    script = 'ip link set lo up && exec "$@"'
    return ["unshare", "-n", "sh", "-c", script, "sh", *argv]


@dataclass
class Built:
    root: Path
    app: Path  # the installed executable
    home: Path  # the fresh HOME
    staged: Path  # DESTDIR of install.sh
    install_out: str
    build_s: float
    archive_mb: int
    bundle_mb: int


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.skip("PyInstaller is not installed (scripts/setup.sh installs the dev extras)")
    if not (shutil.which("soffice") and shutil.which("pdfsig")):
        pytest.skip("the demo needs LibreOffice and poppler-utils (scripts/setup.sh)")
    root = tmp_path_factory.mktemp("bundle")
    src = clean_copy(root / "src")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "BUNDLE_OUT": str(root / "dist"),
        "BUNDLE_WORK": str(root / "work"),
        "BUNDLE_FORMATS": "tar",
        "BUNDLE_GZIP_LEVEL": "1",  # ~3x faster than the default 6, ~10 % bigger
    }
    start = time.perf_counter()
    result = subprocess.run(
        ["bash", str(src / "packaging" / "build-linux.sh")],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    build_s = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    print("\n" + result.stdout[-1500:])  # the build's own timings (pytest -s)
    archive = next((root / "dist").glob("meetingapp-*-linux-x86_64.tar.gz"))
    shutil.rmtree(root / "work")
    shutil.rmtree(src)  # what follows cannot reach the checkout's modules

    # copied over (a USB stick), unpacked and installed; the build folder goes away
    usb = root / "usb"
    with tarfile.open(archive) as tar:
        tar.extractall(usb, filter="tar")
    shutil.rmtree(root / "dist" / "meetingapp")
    home = root / "home"
    (home / "tmp").mkdir(parents=True)
    staged = root / "installed"
    install = subprocess.run(
        ["sh", str(usb / "meetingapp" / "install.sh")],
        env={**bare_env(home), "DESTDIR": str(staged)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    app = next(  # /opt/meetingapp/meetingapp as root, ~/.local/opt/… as a user
        p
        for p in staged.rglob("meetingapp")
        if p.is_file() and p.parent.name == "meetingapp" and os.access(p, os.X_OK)
    )
    shutil.rmtree(usb)
    return Built(
        root=root,
        app=app,
        home=home,
        staged=staged,
        install_out=install.stdout,
        build_s=round(build_s, 1),
        archive_mb=round(archive.stat().st_size / 2**20),
        bundle_mb=round(
            sum(  # as du counts: PyInstaller links some libraries into two places
                p.stat().st_size
                for p in app.parent.rglob("*")
                if p.is_file() and not p.is_symlink()
            )
            / 2**20
        ),
    )


def test_the_installed_bundle_runs_the_demo_offline_to_signed_verified_minutes(
    built: Built,
) -> None:
    app, home, staged = built.app, built.home, built.staged
    # installed: the command, the menu entry (its Exec names the installed program), the icon
    desktop = next(staged.rglob("applications/meetingapp.desktop")).read_text()
    installed = Path("/", *app.relative_to(staged).parts)
    assert f"{installed}" in desktop and " run --demo --out " in desktop, desktop  # run: below
    assert next(staged.rglob("icons/hicolor/scalable/apps/meetingapp.svg")).is_file()
    assert "Đã có đủ công cụ ngoài" in built.install_out  # install.sh ran the check
    # the pages the host serves to browser tablets and displays, and the LM's resources
    for page in ("seat/index.html", "seat/seat.js", "display/index.html", "common/web.js"):
        assert next(staged.rglob(f"meetingapp/web/{page}")).is_file(), page
    assert next(staged.rglob("asr/data/vi_text.txt.gz")).is_file()

    out = built.root / "demo-output"
    argv = [str(app), "demo", "--out", str(out)]
    no_network = can_unshare_net()
    start = time.perf_counter()
    result = subprocess.run(
        offline(argv) if no_network else argv,
        cwd=home,
        env=bare_env(home),
        capture_output=True,
        text=True,
        timeout=900,
    )
    demo_s = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "KẾT QUẢ KIỂM TRA: HỢP LỆ" in result.stdout
    assert "Đang chuyển lời nói thành văn bản: 100%" in result.stdout
    assert "Điểm danh bằng khuôn mặt" in result.stdout

    signed = next((out / "bien-ban").glob("BB-01-*.signed.pdf"))
    verify = subprocess.run(
        [str(app), "verify", str(signed), "--trust", str(out / "chung-thu-demo" / "demo-ca.pem")],
        cwd=home,
        env=bare_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verify.returncode == 0 and "Kết luận: HỢP LỆ" in verify.stdout, verify.stdout
    pdfsig = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True).stdout
    # secretary, chair and the organisation's seal, as in tests/test_demo.py
    assert pdfsig.count("Signature Validation: Signature is Valid.") == 3, pdfsig
    # the stamp font came with the bundle: Vietnamese glyphs embedded
    fonts = subprocess.run(["pdffonts", str(signed)], capture_output=True, text=True).stdout
    assert "NotoSerif" in fonts, fonts

    # the model was used from inside the bundle: nothing assembled into the fresh HOME
    assert not (home / ".cache" / "meetingapp" / "models" / "whisper-base-ct2").exists()
    print(
        json.dumps(
            {
                "build_s": built.build_s,
                "bundle_mb": built.bundle_mb,
                "archive_mb": built.archive_mb,
                "demo_s": round(demo_s, 1),
                "no_network_namespace": no_network,
            }
        )
    )


def test_a_model_imported_later_goes_to_the_users_folder(built: Built, tmp_path: Path) -> None:
    app, home = built.app, built.home
    shipped = app.parent / "_internal" / "models" / "whisper-base-ct2"
    stick = tmp_path / "usb" / "whisper-base-vi"
    shutil.copytree(shipped, stick)
    result = subprocess.run(
        [str(app), "models", "import", str(stick)],
        env=bare_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    target = Path(result.stdout.strip().splitlines()[-1])
    assert target.is_relative_to(home) and (target / "model.bin").is_file()
    assert not (app.parent / "_internal" / "models" / "whisper-base-vi").exists()
    listed = subprocess.run(
        [str(app), "models", "list"], env=bare_env(home), capture_output=True, text=True
    )
    assert "whisper-base-vi" in listed.stdout


def test_the_bundle_explains_a_missing_libreoffice(built: Built, tmp_path: Path) -> None:
    app, home = built.app, built.home
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pdfsig").symlink_to(shutil.which("pdfsig") or "/usr/bin/pdfsig")
    result = subprocess.run(
        [str(app), "tools"],
        env=bare_env(home, path=str(bin_dir)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "Thiếu LibreOffice" in result.stdout and "libreoffice-writer-nogui" in result.stdout
    assert "✓ poppler (pdfsig)" in result.stdout


def test_the_menu_entry_opens_the_apps_first_window_offscreen(built: Built) -> None:
    """The .desktop entry's command, read as a desktop launcher reads it (string escapes, then
    the Exec quoting rules), starts the installed app; the window shows (offscreen)."""
    app, home, staged = built.app, built.home, built.staged
    desktop = next(staged.rglob("applications/meetingapp.desktop")).read_text()
    exec_line = next(line for line in desktop.splitlines() if line.startswith("Exec="))
    # the file's string escapes first (two backslashes → one), then Exec's quoting rules
    # (backslash-dollar → dollar inside quotes; shlex does backslash-quote)
    value = exec_line.removeprefix("Exec=").replace("\\\\", "\\").replace("\\$", "$")
    argv = shlex.split(value)
    installed = str(Path("/", *app.relative_to(staged).parts))
    argv = [arg.replace(installed, str(app)) for arg in argv]  # staged under DESTDIR here
    env = {**bare_env(home), "QT_QPA_PLATFORM": "offscreen", "MEETINGAPP_PROBE_FIRST_WINDOW": "1"}
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout + result.stderr
    assert "first window shown" in result.stdout
    print(json.dumps({"first_window_s": round(seconds, 2)}))
