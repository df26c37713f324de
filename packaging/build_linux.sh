#!/usr/bin/env bash
# Build the Linux one-folder bundle and its tar.gz.
#
#   python -m pip install -e '.[bundle]' && bash packaging/build_linux.sh [OUT_DIR]
#
# OUT_DIR (default dist/) gets nasro-desktop/ (the bundle: the program, _internal/, the
# desktop entry, AppStream metadata, icons and add-to-menu.sh) and
# nasro-desktop-VERSION-linux-ARCH.tar.gz, which unpacks to nasro-desktop-VERSION/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-dist}")
python=${PYTHON:-python}
version=$("$python" -c 'import nasro_desktop; print(nasro_desktop.__version__)')
day=$(git log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)

"$python" packaging/make_icons.py --check
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out" --workpath "$out/.pyinstaller-work" packaging/nasro-desktop.spec

folder="$out/nasro-desktop"
app_id=org.nasro_desktop.readiness  # AppStream's reverse-DNS id: the entry's name too
install -D -m 644 "packaging/linux/$app_id.desktop" "$folder/share/applications/$app_id.desktop"
mkdir -p "$folder/share/metainfo"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$day/" "packaging/linux/$app_id.metainfo.xml" \
  > "$folder/share/metainfo/$app_id.metainfo.xml"
for size in 16 24 32 48 64 128 256 512; do
  install -D -m 644 "resources/icons/nasro-desktop-$size.png" \
    "$folder/share/icons/hicolor/${size}x${size}/apps/nasro-desktop.png"
done
install -m 755 packaging/linux/add-to-menu.sh "$folder/add-to-menu.sh"
rm -rf "$out/.pyinstaller-work"

archive="$out/nasro-desktop-$version-linux-$(uname -m).tar.gz"
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner \
  --transform "s,^nasro-desktop,nasro-desktop-$version," -czf "$archive" nasro-desktop
echo "built $folder and $archive"
