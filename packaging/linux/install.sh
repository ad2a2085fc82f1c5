#!/usr/bin/env sh
# Install meetingapp from this folder (unpacked from the .tar.gz, e.g. off a USB stick). No network.
#   ./install.sh            as root: /opt/meetingapp, /usr/local/bin/meetingapp, the menu entry
#                           for every user; as a user: ~/.local/opt/meetingapp, ~/.local/bin,
#                           the menu entry for this user
#   DESTDIR=/some/root ./install.sh   stages the same files under /some/root (packagers, tests)
# Cài đặt meetingapp từ thư mục này (không cần mạng). Chạy bằng root để cài cho mọi người dùng.
set -eu
SRC=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -eq 0 ]; then
  PREFIX=/opt; BIN=/usr/local/bin; SHARE=/usr/share
else
  PREFIX=$HOME/.local/opt; BIN=$HOME/.local/bin; SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
fi
D=${DESTDIR:-}
DEST=$PREFIX/meetingapp
if [ "$SRC" != "$D$DEST" ]; then
  mkdir -p "$D$PREFIX"
  rm -rf "$D$DEST.new"
  cp -a "$SRC" "$D$DEST.new"
  rm -rf "$D$DEST"
  mv "$D$DEST.new" "$D$DEST"
fi
mkdir -p "$D$BIN" "$D$SHARE/applications" "$D$SHARE/icons/hicolor/scalable/apps"
ln -sf "$DEST/meetingapp" "$D$BIN/meetingapp"
sed "s|@BIN@|$DEST/meetingapp|g" "$D$DEST/meetingapp.desktop" >"$D$SHARE/applications/meetingapp.desktop"
cp "$D$DEST/meetingapp.svg" "$D$SHARE/icons/hicolor/scalable/apps/meetingapp.svg"
if [ -z "$D" ] && command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q "$SHARE/applications" || true
fi
echo "meetingapp: $D$DEST  (lệnh / command: $BIN/meetingapp)"
# What works now, and what waits for LibreOffice or poppler.
"$D$DEST/meetingapp" tools || true
