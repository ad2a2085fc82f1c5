#!/usr/bin/env bash
# Build the self-contained Linux bundle (make bundle):
#   dist/meetingapp/                               the one-folder app (run dist/meetingapp/meetingapp)
#   dist/meetingapp-VERSION-linux-x86_64.tar.gz     that folder + install.sh, for a USB stick
#   dist/meetingapp_VERSION_amd64.deb               the same, as a Debian package (/opt/meetingapp)
# Input: the project's virtual environment (PyInstaller and every dependency, as setup.sh makes
# it) and the system fonts setup.sh installs. No network. Environment:
#   PYTHON          the interpreter with the dependencies (default: .venv/bin/python)
#   BUNDLE_OUT      output folder (default: dist)      BUNDLE_WORK  PyInstaller's work folder
#   BUNDLE_FORMATS  which archives: "tar deb" (default), "tar", "deb" or "" (folder only)
#   BUNDLE_GZIP_LEVEL  1 (fast) … 9 (small); default 6. The models compress little: level 1 is
#                   ~3x faster for ~10 % more bytes
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-$ROOT/.venv/bin/python}
OUT=${BUNDLE_OUT:-$ROOT/dist}
WORK=${BUNDLE_WORK:-$ROOT/build/pyinstaller}
FORMATS=${BUNDLE_FORMATS-tar deb}
LEVEL=${BUNDLE_GZIP_LEVEL:-6}
APP=$OUT/meetingapp
INTERNAL=$APP/_internal

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "$*" >&2; exit 1; }

[ -x "$PY" ] || die "no Python environment at $PY: run scripts/setup.sh first / chạy scripts/setup.sh trước"
"$PY" -c 'import PyInstaller' 2>/dev/null \
  || die "PyInstaller is missing from $PY: run scripts/setup.sh (it installs the dev extras)"
VERSION=$(PYTHONPATH=$ROOT "$PY" -c 'import meetingapp; print(meetingapp.__version__)')
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)

# The fonts the minutes and signature stamps need (fonts-liberation2, fonts-noto-core).
FONTS=(
  /usr/share/fonts/truetype/liberation2/LiberationSerif-{Regular,Bold,Italic,BoldItalic}.ttf
  /usr/share/fonts/truetype/liberation2/LiberationSans-{Regular,Bold,Italic,BoldItalic}.ttf
  /usr/share/fonts/truetype/noto/NotoSerif-{Regular,Bold,Italic}.ttf
  /usr/share/fonts/truetype/noto/NotoSans-{Regular,Bold}.ttf
)
for f in "${FONTS[@]}"; do
  [ -f "$f" ] || die "font $f is missing: apt-get install fonts-liberation2 fonts-noto-core"
done

start=$(date +%s)
say "PyInstaller: $APP"
rm -rf "$APP"
PYTHONPATH=$ROOT "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT" --workpath "$WORK" packaging/linux/meetingapp.spec

say "the Whisper base model, assembled and checked, inside the bundle"
PYTHONPATH=$ROOT "$PY" -c '
import sys
from pathlib import Path
from asr.models import ensure_bundled_model
print(ensure_bundled_model(Path(sys.argv[1])))' "$INTERNAL/models"

say "fonts"
mkdir -p "$INTERNAL/fonts"
cp "${FONTS[@]}" "$INTERNAL/fonts/"
for pkg in fonts-liberation2 fonts-noto-core; do
  [ -f "/usr/share/doc/$pkg/copyright" ] && cp "/usr/share/doc/$pkg/copyright" "$INTERNAL/fonts/$pkg.copyright"
done

say "desktop entry, icon, installer"
cp packaging/linux/meetingapp.desktop packaging/linux/meetingapp.svg "$APP/"
install -m 0755 packaging/linux/install.sh "$APP/install.sh"
printf '%s\n' "$VERSION" >"$APP/VERSION"
built=$(date +%s)
say "bundle: $(du -sh "$APP" | cut -f1) in $((built - start)) s"

if [[ " $FORMATS " == *" tar "* ]]; then
  TAR=$OUT/meetingapp-$VERSION-linux-x86_64.tar.gz
  say "archive: $TAR"
  tar -C "$OUT" -cf - meetingapp | gzip "-$LEVEL" >"$TAR.part"
  mv "$TAR.part" "$TAR"
  say "archive: $(du -sh "$TAR" | cut -f1) in $(($(date +%s) - built)) s"
fi

if [[ " $FORMATS " == *" deb "* ]]; then
  DEB=$OUT/meetingapp_${VERSION}_${ARCH}.deb
  STAGE=$WORK/deb
  say "Debian package: $DEB"
  rm -rf "$STAGE"
  mkdir -p "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/DEBIAN"
  cp -al "$APP" "$STAGE/opt/meetingapp" 2>/dev/null || cp -a "$APP" "$STAGE/opt/meetingapp"
  rm -f "$STAGE/opt/meetingapp/install.sh"
  ln -s /opt/meetingapp/meetingapp "$STAGE/usr/bin/meetingapp"
  sed 's|@BIN@|/opt/meetingapp/meetingapp|g' packaging/linux/meetingapp.desktop \
    >"$STAGE/usr/share/applications/meetingapp.desktop"
  cp packaging/linux/meetingapp.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/meetingapp.svg"
  size=$(du -sk "$STAGE" | cut -f1)
  sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" -e "s|@SIZE@|$size|" \
    packaging/linux/deb-control >"$STAGE/DEBIAN/control"
  install -m 0755 packaging/linux/deb-postinst "$STAGE/DEBIAN/postinst"
  dpkg-deb --root-owner-group -Zgzip "-z$LEVEL" --build "$STAGE" "$DEB" >/dev/null
  rm -rf "$STAGE"
  say "Debian package: $(du -sh "$DEB" | cut -f1)"
fi
say "done in $(($(date +%s) - start)) s"
