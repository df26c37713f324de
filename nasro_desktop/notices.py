"""THIRD-PARTY-NOTICES.txt: the open-source software the app is built on, each with its version,
licence and full licence text, read from the installed packages' own metadata (their
dist-info: License / License-Expression, the licence files they ship).

The bundles carry the file (written when the bundle is built: packaging/nasro-desktop.spec),
Help > About shows it, and the Windows installer's licence page is this file. A pip install
has no such file: `notices_text()` builds the same text from what is installed.

    python -m nasro_desktop.notices --out THIRD-PARTY-NOTICES.txt
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from nasro_desktop import DISPLAY_NAME, __version__
from nasro_desktop.paths import frozen_root, resources_dir

FILE_NAME = "THIRD-PARTY-NOTICES.txt"
PROJECT = "nasro-desktop"
# in pyproject.toml's dependencies but left out of the bundles (packaging/nasro-desktop.spec
# EXCLUDES): sqlite-utils asks for pip, which the app never runs
NOT_SHIPPED = {"pip", "setuptools"}
LICENCE_FILE = re.compile(r"(^|/)(licen[cs]e|copying|notice|authors)[^/]*$", re.IGNORECASE)

QT_OFFER = """\
Qt and PySide6 (Qt for Python) are used under the GNU Lesser General Public License version 3
(LGPL-3.0), whose text (with the GNU GPL version 3 it builds on) is given below. The app uses
them as separate shared libraries, unmodified, as published by The Qt Company on PyPI; you may
replace them with your own build of the same libraries (they are the Qt*, libQt6*, PySide6 and
shiboken6 files in the app's folder).

Source offer: the complete corresponding source code of the Qt and PySide6 versions named in
the list below is published by The Qt Company at https://download.qt.io/official_releases/
(QtForPython/pyside6 for PySide6 and shiboken6, qt/ for Qt itself) and at
https://code.qt.io/. For at least three years from the date of this release we will also
provide a copy of that source code on request, for no more than the cost of sending it: ask
through the support address of the place you downloaded the app from."""

PYTHON_NOTE = """\
The Windows, Mac and Linux downloads carry the Python interpreter and its standard library
(PSF License Agreement, text below). The Linux download also carries a few X11 client
libraries from the system it was built on (libxcb-cursor, libxcb-icccm, libxcb-keysyms,
libxkbcommon-x11 and the like, under the MIT/X11 licence) so the window opens on computers
that lack them."""


def runtime_packages(project: str = PROJECT) -> list[metadata.Distribution]:
    """The installed distributions the app needs to run, dependencies of dependencies
    included (extras, and markers that do not hold here, left out), sorted by name."""
    todo = [_name(r) for r in _requirements(project) if _applies(r)]
    found: dict[str, metadata.Distribution] = {}
    while todo:
        name = todo.pop()
        key = _key(name)
        if key in found or key in NOT_SHIPPED:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional part not installed here (colorama off Windows)
        found[key] = dist
        todo += [_name(r) for r in dist.requires or () if _applies(r)]
    return sorted(found.values(), key=lambda d: _key(d.metadata["Name"]))


def _requirements(project: str) -> list[str]:
    try:
        return list(metadata.requires(project) or ())
    except metadata.PackageNotFoundError:  # run from the source tree (tests, the bundle build)
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        with open(pyproject, "rb") as handle:
            return list(tomllib.load(handle)["project"]["dependencies"])


def _name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1) if match else requirement


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _applies(requirement: str) -> bool:
    """Whether a requirement holds here: never one for an extra; a marker is evaluated with
    `packaging` when it is installed (it is wherever the bundle is built), else kept."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1].strip()
    if "extra" in marker:
        return False
    try:
        from packaging.markers import Marker
    except ImportError:
        return True
    return bool(Marker(marker).evaluate())


def _field(dist: metadata.Distribution, name: str) -> str:
    value = dist.metadata[name]  # None when missing (importlib's email.Message underneath)
    return "" if value is None else str(value)


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = _field(dist, "License-Expression")
    if expression:
        return expression
    text = _field(dist, "License").strip()
    if text and "\n" not in text and len(text) < 120:
        return text
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or ()
                   if c.startswith("License ::")]
    return ", ".join(classifiers) or "see its licence text below"


def home_of(dist: metadata.Distribution) -> str:
    if _field(dist, "Home-page"):
        return _field(dist, "Home-page")
    for entry in dist.metadata.get_all("Project-URL") or ():
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository", "source code"):
            return url.strip()
    return ""


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(file name, text) of every licence file the package ships in its dist-info."""
    texts = []
    for file in dist.files or ():
        name = str(file)
        if ".dist-info/" not in name:
            continue
        inside = name.split(".dist-info/", 1)[1]
        if not (inside.lower().startswith("licenses/") or LICENCE_FILE.search(inside)):
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        texts.append((inside, text.strip()))
    return sorted(texts)


def _python_licence() -> str:
    base = Path(sys.base_prefix)
    for candidate in (base / "LICENSE.txt",
                      base / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
                      / "LICENSE.txt",
                      base / "Resources" / "LICENSE.txt"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace").strip()
    return ("PSF License Agreement for Python: https://docs.python.org/3/license.html")


def _resource_texts() -> list[tuple[str, str]]:
    root = resources_dir()
    found = []
    for path in sorted((root / "fonts").glob("LICENSE*")) + [
            root / "licenses" / "LGPL-3.0.txt", root / "licenses" / "GPL-3.0.txt"]:
        if path.is_file():
            found.append((str(path.relative_to(root)),
                          path.read_text(encoding="utf-8", errors="replace").strip()))
    return found


def build_notices(version: str | None = None) -> str:
    """The whole THIRD-PARTY-NOTICES.txt text, from what is installed."""
    version = __version__ if version is None else version
    dists = runtime_packages()
    python = f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
    rule = "=" * 60
    out = [f"{DISPLAY_NAME} {version}: third-party software", rule, "",
           "The app is built on the open-source software listed here. Each part is used under",
           "its own licence; the full texts follow the list.", "", QT_OFFER, "", PYTHON_NOTE,
           "", "The report's fonts: DejaVu Sans (Bitstream Vera / DejaVu licence) and Symbola",
           "(free for any use), with their licence texts below.", "", rule,
           "What is included", rule, "",
           f"- Python {python}: PSF-2.0 (https://www.python.org/)"]
    for dist in dists:
        home = home_of(dist)
        out.append(f"- {dist.metadata['Name']} {dist.version}: {licence_of(dist)}"
                   + (f" ({home})" if home else ""))
    out += ["", rule, "Licence texts", rule, "",
            f"--- Python {python}: LICENSE.txt ---", "", _python_licence(), ""]
    for dist in dists:
        texts = licence_texts(dist)
        if not texts:
            out += [f"--- {dist.metadata['Name']} {dist.version} ---", "",
                    f"Licence: {licence_of(dist)}. The package ships no licence file; for "
                    "Qt and PySide6 see the GNU LGPL-3.0 and GPL-3.0 texts at the end.", ""]
        for name, text in texts:
            out += [f"--- {dist.metadata['Name']} {dist.version}: {name} ---", "", text, ""]
    for name, text in _resource_texts():
        out += [f"--- {name} ---", "", text, ""]
    return "\n".join(out).rstrip() + "\n"


def notices_text() -> str:
    """What Help > About shows: the bundle's file, or (pip install) the same text built now."""
    root = frozen_root()
    if root is not None and (root / FILE_NAME).is_file():
        return (root / FILE_NAME).read_text(encoding="utf-8")
    return build_notices()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write THIRD-PARTY-NOTICES.txt")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    args.out.write_text(build_notices(), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
