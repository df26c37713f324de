"""Make the app icon's PNG, ICO and ICNS files from its SVG source.

    python packaging/make_icons.py          # rewrite resources/icons/* from the SVG
    python packaging/make_icons.py --check  # exit 1 if a made file is missing or out of date

The SVG (resources/icons/nasro-desktop.svg) is the only file to edit by hand. Qt's own SVG
renderer (QtSvg, part of PySide6-Essentials) draws each size, so nothing else is needed:
ICO and ICNS files are simple containers of PNG images and are written here directly.

- PNG: 16 … 1024 px, for the window, the Linux desktop entry (hicolor sizes) and the README.
- ICO (Windows: the .exe, the installer, the taskbar): 16, 24, 32, 48, 64, 128, 256 px.
- ICNS (macOS: the .app): 16 … 1024 px, including the @2x "retina" entries.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
NAME = "nasro-desktop"
SVG = ICONS / f"{NAME}.svg"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, and the pixel size of each
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(size: int) -> bytes:
    """The SVG drawn at size x size pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (read by Windows Vista and later)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = pngs[size]
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def made_files() -> dict[Path, bytes]:
    pngs = {size: render_png(size) for size in sorted(set(PNG_SIZES) | {s for _, s in ICNS_TYPES})}
    files = {ICONS / f"{NAME}-{size}.png": pngs[size] for size in PNG_SIZES}
    files[ICONS / f"{NAME}.ico"] = ico({size: pngs[size] for size in ICO_SIZES})
    files[ICONS / f"{NAME}.icns"] = icns(pngs)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the made files match the SVG")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    stale = []
    for path, data in made_files().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path.name)
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)} ({len(data)} bytes)")
    if stale:
        print("out of date (run python packaging/make_icons.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
