#!/usr/bin/env bash
# Put the built .app in a compressed disk image with a shortcut to Applications, so the user
# opens the .dmg and drags the app across.  Usage: bash packaging/macos/make_dmg.sh VERSION
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$1
app="dist/SRO Program Readiness.app"
stage=$(mktemp -d)
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/nasro-desktop-$version-macos-$(uname -m).dmg"
rm -f "$dmg"
hdiutil create -volname "SRO Program Readiness" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
rm -rf "$stage"
echo "built $dmg"
