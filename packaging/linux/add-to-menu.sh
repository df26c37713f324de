#!/bin/sh
# Put "SRO Program Readiness" in your applications menu (for you only; nothing needs root).
# Run it from the unpacked folder: double-click it, or type  ./add-to-menu.sh
# To take it out again:  ./add-to-menu.sh --remove
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
entry="$apps/nasro-desktop.desktop"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry"
  find "$icons" -name nasro-desktop.png -delete 2>/dev/null || true
  echo "Removed SRO Program Readiness from the applications menu."
  exit 0
fi
mkdir -p "$apps"
for size_dir in "$here"/share/icons/hicolor/*; do
  size=$(basename "$size_dir")
  mkdir -p "$icons/$size/apps"
  cp "$size_dir/apps/nasro-desktop.png" "$icons/$size/apps/nasro-desktop.png"
done
# the menu entry starts this folder's copy of the app
sed "s|^Exec=.*|Exec=\"$here/nasro-desktop\"|" "$here/share/applications/nasro-desktop.desktop" > "$entry"
chmod 644 "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" 2>/dev/null || true
echo "SRO Program Readiness is now in your applications menu (it starts $here/nasro-desktop)."
