"""The packaging recipes (packaging/, .github/workflows/windows.yml) hold together without
building anything: both PyInstaller specs run against a recording stand-in for PyInstaller's
build classes and name files that exist, the Inno Setup script takes the folder the Windows spec
makes, the workflow builds and runs what is here. (The real Linux build: tests/test_bundle.py.
The Windows build itself only runs on a Windows runner.)"""

from __future__ import annotations

import re
import sys
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))
import entry  # noqa: E402
import spec_common  # noqa: E402


class Recorder:
    """Stands in for Analysis/PYZ/EXE/COLLECT: keeps what the spec passed."""

    made: list[tuple[str, tuple[Any, ...], dict[str, Any]]]

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __call__(self, *args: Any, **kwargs: Any) -> types.SimpleNamespace:
        Recorder.made.append((self.kind, args, kwargs))
        return types.SimpleNamespace(kind=self.kind, pure=[], scripts=[], binaries=[], datas=[])


def fake_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: [(f"/site/{package}/data", package)]  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda dist: [(f"/site/{dist}.dist-info", f"{dist}.dist-info")]  # type: ignore[attr-defined]
    utils = types.ModuleType("PyInstaller.utils")
    utils.hooks = hooks  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller.utils", utils)
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    if "PyInstaller" not in sys.modules:
        monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))


def run_spec(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple, dict]]:
    fake_hooks(monkeypatch)
    Recorder.made = []
    namespace = {"SPECPATH": str(path.parent), "__file__": str(path)}
    namespace.update({k: Recorder(k) for k in ("Analysis", "PYZ", "EXE", "COLLECT")})
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 — PyInstaller does this
    return Recorder.made


@pytest.mark.parametrize("platform", ["linux", "windows"])
def test_the_spec_runs_and_names_files_that_exist(
    platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_spec(PACKAGING / platform / "meetingapp.spec", monkeypatch)
    kinds = [kind for kind, _, _ in made]
    analysis = next(kw | {"scripts": a[0]} for k, a, kw in made if k == "Analysis")
    assert Path(analysis["scripts"][0]) == PACKAGING / "entry.py"
    assert analysis["pathex"] == [str(REPO)]
    local = [src for src, _ in analysis["datas"] if not src.startswith("/site/")]
    assert local and all(Path(src).exists() for src in local), local
    # every package-data pattern of pyproject.toml is shipped
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    for package, patterns in pyproject["tool"]["setuptools"]["package-data"].items():
        for pattern in patterns:
            for found in (REPO / package).glob(pattern):
                if found.name != "py.typed":
                    assert any(found.is_relative_to(src) for src in map(Path, local)), found
    assert "ui" in analysis["hiddenimports"] and "PySide6.QtWebEngineCore" in analysis["excludes"]
    exes = [kw for k, _, kw in made if k == "EXE"]
    assert kinds[-1] == "COLLECT"
    if platform == "linux":
        assert [e["name"] for e in exes] == ["meetingapp"] and exes[0]["console"]
        assert (str(PACKAGING / "linux" / "fonts.conf"), ".") in analysis["datas"]
    else:  # the command line with a console, the Start-menu program without one
        assert [(e["name"], e["console"]) for e in exes] == [
            ("meetingapp", True),
            ("meetingapp-app", False),
        ]


def test_the_installer_script_takes_what_the_windows_spec_makes() -> None:
    iss = (PACKAGING / "windows" / "meetingapp.iss").read_text()
    bundle = re.search(r'#define Bundle "(.+)"', iss)
    assert bundle is not None
    folder = (PACKAGING / "windows" / bundle.group(1).replace("\\", "/")).resolve()
    assert folder == REPO / "dist" / spec_common.NAME  # --distpath dist in the workflow
    assert "{app}\\meetingapp-app.exe" in iss  # the windowless program the Windows spec makes
    assert re.search(
        r"^OutputBaseFilename=meetingapp-\{#AppVersion\}-windows-x64-setup$", iss, re.M
    )


def test_the_windows_workflow_builds_installs_and_runs_the_demo() -> None:
    flow = yaml.safe_load((REPO / ".github" / "workflows" / "windows.yml").read_text())
    job = flow["jobs"]["installer"]
    assert job["runs-on"].startswith("windows")
    script = "\n".join(step.get("run", "") for step in job["steps"])
    for path in re.findall(r"packaging[/\\][\w/\\.-]+\.(?:spec|iss)", script):
        assert (REPO / path.replace("\\", "/")).is_file(), path
    assert "/DIR=" in script and 'meetingapp.exe" demo' in script
    assert "KẾT QUẢ KIỂM TRA: HỢP LỆ" in script and "verify" in script


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["demo", "--out", "x"], ("meetingapp", ["demo", "--out", "x"])),
        (["-m", "meetingapp", "serve", "--port", "0"], ("meetingapp", ["serve", "--port", "0"])),
        (["-m", "ui", "--demo"], ("ui", ["--demo"])),
        (["-u", "-m", "ui"], ("ui", [])),
        ([], ("meetingapp", [])),
    ],
)
def test_the_bundles_program_stands_in_for_python_dash_m(
    argv: list[str], expected: tuple[str, list[str]]
) -> None:
    assert entry.split_argv(argv) == expected


def test_the_bundles_program_refuses_other_modules() -> None:
    with pytest.raises(SystemExit, match="-m meetingapp"):
        entry.split_argv(["-m", "pip", "install", "x"])
