#!/usr/bin/env sh
# Install meetingapp from this folder (copied from the .tar.gz, e.g. on a USB stick). No network.
#   as root:      /opt/meetingapp, /usr/local/bin/meetingapp, the menu entry for every user
#   as a user:    ~/.local/opt/meetingapp, ~/.local/bin/meetingapp, the menu entry for this user
#   ./install.sh PREFIX   installs the folder into PREFIX/meetingapp instead
# Cài đặt meetingapp từ thư mục này (không cần mạng). Chạy bằng root để cài cho mọi người dùng.
set -eu
SRC=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -eq 0 ]; then
  PREFIX=${1:-/opt}; BIN=/usr/local/bin; SHARE=/usr/share
else
  PREFIX=${1:-$HOME/.local/opt}; BIN=$HOME/.local/bin; SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
fi
DEST=$PREFIX/meetingapp
if [ "$SRC" != "$DEST" ]; then
  mkdir -p "$PREFIX"
  rm -rf "$DEST.new"
  cp -a "$SRC" "$DEST.new"
  rm -rf "$DEST"
  mv "$DEST.new" "$DEST"
fi
mkdir -p "$BIN" "$SHARE/applications" "$SHARE/icons/hicolor/scalable/apps"
ln -sf "$DEST/meetingapp" "$BIN/meetingapp"
sed "s|@BIN@|$DEST/meetingapp|g" "$DEST/meetingapp.desktop" >"$SHARE/applications/meetingapp.desktop"
cp "$DEST/meetingapp.svg" "$SHARE/icons/hicolor/scalable/apps/meetingapp.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
echo "meetingapp: $DEST  (lệnh / command: $BIN/meetingapp)"
# What works now, and what waits for LibreOffice or poppler.
"$DEST/meetingapp" tools || true
