#!/bin/sh
# Put "SRO Program Readiness" in your applications menu (for you only; nothing needs root).
# Run it from the unpacked folder: double-click it, or type  ./add-to-menu.sh
# To take it out again:  ./add-to-menu.sh --remove
set -eu
here=$(cd "$(dirname "$0")" && pwd)
id=org.nasro_desktop.readiness  # the AppStream id; the entry is named after it
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
entry="$apps/$id.desktop"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$apps/nasro-desktop.desktop"  # (the name before version 0.2)
  find "$icons" -name nasro-desktop.png -delete 2>/dev/null || true
  echo "Removed SRO Program Readiness from the applications menu."
  exit 0
fi
case "$here" in
  *"
"*) echo "This folder's name has a line break in it; move the app to a folder without one." >&2
      exit 1;;
esac

# The Exec= value as the Desktop Entry spec reads it: the program in double quotes, with
# " ` $ and \ escaped by a backslash inside them; then every backslash doubled (the escape of
# all string values, undone first), a tab written \t, and % written %% (% starts a field
# code). &, |, ', ;, spaces and the rest need nothing more inside the quotes.
tab=$(printf '\t')
exec_quoted() {
  printf '%s' "$1" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g' \
    -e "s/$tab/\\\\t/g"
}

mkdir -p "$apps"
for size_dir in "$here"/share/icons/hicolor/*; do
  size=$(basename "$size_dir")
  mkdir -p "$icons/$size/apps"
  cp "$size_dir/apps/nasro-desktop.png" "$icons/$size/apps/nasro-desktop.png"
done
# the menu entry starts this folder's copy of the app (the value reaches awk through the
# environment, so awk itself changes nothing in it)
NASRO_EXEC="Exec=\"$(exec_quoted "$here/nasro-desktop")\"" \
  awk '/^Exec=/ { print ENVIRON["NASRO_EXEC"]; next } { print }' \
  "$here/share/applications/$id.desktop" > "$entry"
chmod 644 "$entry"
rm -f "$apps/nasro-desktop.desktop"  # (the name before version 0.2)
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" 2>/dev/null || true
echo "SRO Program Readiness is now in your applications menu (it starts $here/nasro-desktop)."
