"""Every setting, declared once with its default and help text (docs/settings.md lists them;
a test keeps the two in step). Settings come from environment variables for now."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "language",
        "MEETINGAPP_LANG",
        "vi",
        "Language of messages and documents: vi (Tiếng Việt) or en (English).",
    ),
    Setting(
        "data_dir",
        "MEETINGAPP_DATA_DIR",
        "",
        "Where the database, recordings, documents and logs live "
        "(default: the platform's user data directory).",
    ),
    Setting(
        "timezone",
        "MEETINGAPP_TZ",
        "Asia/Ho_Chi_Minh",
        "Time zone of the times recorded and printed in minutes (IANA name).",
    ),
    Setting(
        "asr_model",
        "MEETINGAPP_ASR_MODEL",
        "bundled",
        "Speech model: bundled (Whisper base), a downloaded name (large-v3, org/model) "
        "or a CTranslate2 folder.",
    ),
    Setting(
        "key_dir",
        "MEETINGAPP_KEY_DIR",
        "",
        "Where the face-template key is kept, apart from the data "
        "(default: the platform's user config directory).",
    ),
    Setting(
        "face_passphrase",
        "MEETINGAPP_FACE_PASSPHRASE",
        "",
        "If set, the face-template key is derived from this passphrase and never stored.",
    ),
    Setting(
        "model_dir",
        "MEETINGAPP_MODEL_DIR",
        "",
        "Where speech models are assembled or imported (default: the user cache).",
    ),
    Setting(
        "live_captions",
        "MEETINGAPP_LIVE_CAPTIONS",
        "on",
        "Live captions of the speech being recorded, every 2 s to every screen: on or off.",
    ),
)


def get(name: str) -> str:
    setting = next(s for s in SETTINGS if s.name == name)
    return os.environ.get(setting.env, setting.default)


def data_dir() -> Path:
    path = Path(get("data_dir") or platformdirs.user_data_dir("meetingapp"))
    path.mkdir(parents=True, exist_ok=True)
    return path
