#!/bin/sh
# Installs this unpacked desktop-ocr folder for the current user: a `desktop-ocr` command in
# ~/.local/bin, a menu entry and an icon. Nothing outside $HOME is touched; the app itself stays
# where it was unpacked (move the folder first if you want it elsewhere). Remove with --uninstall.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${XDG_BIN_HOME:-$HOME/.local/bin}
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
APPS=$DATA/applications
ICONS=$DATA/icons/hicolor

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$BIN/desktop-ocr" "$APPS/desktop-ocr.desktop" "$ICONS/256x256/apps/desktop-ocr.png"
  echo "desktop-ocr uninstalled (the folder $HERE was left in place)"
  exit 0
fi

mkdir -p "$BIN" "$APPS" "$ICONS/256x256/apps"
ln -sf "$HERE/desktop-ocr" "$BIN/desktop-ocr"
cp "$HERE/desktop-ocr.png" "$ICONS/256x256/apps/desktop-ocr.png"
# Absolute Exec/TryExec so the menu entry works even when ~/.local/bin is not on PATH. Exec's path
# is quoted (the folder may contain spaces); TryExec takes a plain path.
esc=$(printf '%s' "$HERE" | sed -e 's/[\\&|]/\\&/g')
sed -e "s|^Exec=desktop-ocr|Exec=\"$esc/desktop-ocr\"|" -e "s|^TryExec=desktop-ocr|TryExec=$esc/desktop-ocr|" \
    "$HERE/desktop-ocr.desktop" > "$APPS/desktop-ocr.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$ICONS" || true
echo "desktop-ocr installed: $BIN/desktop-ocr and a menu entry"
