"""What the bundle is made of, checked without building it (.ci/run builds and smoke-tests the
real one): the icon files match their SVG, the app finds its files inside a bundle, the
desktop entry and AppStream file agree, and the Windows/macOS build files point at files
that exist.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"


def test_icon_files_are_made_from_the_svg_and_up_to_date():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(PACKAGING / "make_icons.py"), "--check"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ico_and_icns_hold_every_size_as_png():
    ico = (ICONS / "nasro-desktop.ico").read_bytes()
    _reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert kind == 1 and count == 7
    sides = []
    for number in range(count):
        width, _h, _c, _r, _p, _b, size, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * number: 22 + 16 * number])
        assert ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(ico)
        sides.append(width or 256)
    assert sides == [16, 24, 32, 48, 64, 128, 256]
    icns = (ICONS / "nasro-desktop.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    kinds, at = [], 8
    while at < len(icns):
        kind, length = icns[at:at + 4], struct.unpack(">I", icns[at + 4:at + 8])[0]
        assert icns[at + 8:at + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind)
        at += length
    assert at == len(icns) and {b"ic07", b"ic08", b"ic09", b"ic10"} <= set(kinds)


def test_the_window_carries_the_app_icon_in_every_size(qtbot):
    from PySide6.QtCore import QSize

    from nasro_desktop.ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {QSize(16, 16), QSize(32, 32), QSize(256, 256)} <= set(icon.availableSizes())
    assert "app_icon()" in (ROOT / "nasro_desktop" / "ui" / "app.py").read_text()


@pytest.fixture
def fresh_forms():
    """The question-set registry is made once per process: start and leave it empty."""
    from nasro_desktop.domain.forms import form_registry

    form_registry.cache_clear()
    yield
    form_registry.cache_clear()


def test_inside_a_bundle_the_app_finds_its_files_next_to_its_libraries(tmp_path, monkeypatch,
                                                                        fresh_forms):
    """PyInstaller's layout: forms/ and resources/ inside sys._MEIPASS, no source tree."""
    bundle = tmp_path / "_internal"
    shutil.copytree(ROOT / "forms", bundle / "forms")
    shutil.copytree(ROOT / "resources", bundle / "resources")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    from nasro_desktop import paths
    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.report.fonts import fonts_dir

    assert paths.frozen_root() == bundle
    assert paths.forms_dir() == bundle / "forms"
    assert fonts_dir() == bundle / "resources" / "fonts"
    assert current_form().source.startswith(str(bundle))
    assert [p.parent for p in paths.icon_files()] == [bundle / "resources" / "icons"] * 9


def test_outside_a_bundle_nothing_changes():
    from nasro_desktop import paths

    assert paths.frozen_root() is None
    assert paths.forms_dir().is_dir() and (paths.resources_dir() / "fonts").is_dir()


APP_ID = "org.nasro_desktop.readiness"  # AppStream's reverse-DNS id; the entry's file name
ENTRY = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"


def test_the_desktop_entry_and_appstream_file_agree():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ENTRY, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"] == "nasro-desktop"
    assert desktop["Icon"] == "nasro-desktop" and desktop["Terminal"] == "false"
    assert desktop["Categories"].endswith(";")
    meta = ET.parse(METAINFO).getroot()
    assert meta.get("type") == "desktop-application"
    assert meta.findtext("id") == APP_ID
    assert meta.findtext("launchable") == f"{APP_ID}.desktop"
    assert f'setDesktopFileName("{APP_ID}")' in (ROOT / "nasro_desktop" / "ui" / "app.py").read_text()
    assert meta.findtext("icon") == desktop["Icon"]
    assert meta.findtext("name") == desktop["Name"]
    assert meta.findtext("provides/binary") == "nasro-desktop"
    assert meta.find("releases/release").get("version") == "@VERSION@"  # filled in at build
    script = (PACKAGING / "build_linux.sh").read_text()
    assert "@VERSION@" in script and "@DATE@" in script


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_the_appstream_file_passes_with_no_warning(tmp_path):
    filled = METAINFO.read_text()
    target = tmp_path / METAINFO.name
    target.write_text(filled.replace("@VERSION@", "0.2.0rc1").replace("@DATE@", "2026-01-01"))
    done = subprocess.run(["appstreamcli", "validate", "--no-net", "--pedantic", str(target)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    flagged = [line for line in done.stdout.splitlines() if line[:2] in ("E:", "W:", "I:")]
    assert not flagged, done.stdout


def desktop_exec_argv(value: str) -> list[str]:
    """An Exec= value read as the Desktop Entry spec says: the string escapes (\\s \\n \\t
    \\r \\\\) undone first, then the arguments split, a quoted one taking \\" \\` \\$ \\\\ as
    those characters, and %% read as %."""
    plain = re.sub(r"\\([sntr\\])", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r",
                                                  "\\": "\\"}[m.group(1)], value)
    args, current, quoted, at = [], "", False, 0
    while at < len(plain):
        char = plain[at]
        if quoted and char == "\\" and plain[at + 1] in '"`$\\':
            current, at = current + plain[at + 1], at + 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            args.append(current)
            current = ""
        else:
            current += char
        at += 1
    args.append(current)
    assert not quoted, value
    return [arg.replace("%%", "%") for arg in args if arg]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux download's script")
def test_add_to_menu_starts_the_app_from_a_folder_with_any_characters(tmp_path):
    folder = tmp_path / "SRO & co | \\ \"quotes\" 'it' $HOME `x` 100% ; (tab\there) é"
    (folder / "share" / "applications").mkdir(parents=True)
    shutil.copy(ENTRY, folder / "share" / "applications")
    for size in ("16x16", "256x256"):
        icon = folder / "share" / "icons" / "hicolor" / size / "apps"
        icon.mkdir(parents=True)
        shutil.copy(ICONS / "nasro-desktop-16.png", icon / "nasro-desktop.png")
    shutil.copy(PACKAGING / "linux" / "add-to-menu.sh", folder)
    data = tmp_path / "home data"
    env = {"PATH": os.defpath, "HOME": str(tmp_path), "XDG_DATA_HOME": str(data)}
    done = subprocess.run(["sh", str(folder / "add-to-menu.sh")], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    written = data / "applications" / f"{APP_ID}.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(written, encoding="utf-8")
    assert desktop_exec_argv(entry["Desktop Entry"]["Exec"]) == [str(folder / "nasro-desktop")]
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "nasro-desktop.png").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(written)], capture_output=True,
                               text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    done = subprocess.run(["sh", str(folder / "add-to-menu.sh"), "--remove"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and not written.exists()


def test_windows_and_macos_build_files_point_at_real_files():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "bundle.yml").read_text())
    assert set(workflow["jobs"]) == {"linux", "windows", "macos", "release"}
    steps = {job: " ".join(str(s.get("run", "")) for s in spec["steps"])
             for job, spec in workflow["jobs"].items()}
    for job in ("linux", "windows", "macos"):
        assert "--require-hashes -r packaging/requirements-lock.txt" in steps[job]
    for job in ("windows", "macos"):
        assert "packaging/nasro-desktop.spec" in steps[job]
        assert "packaging/smoke_test.py" in steps[job]
    assert "nasro-desktop.iss" in steps["windows"] and "make_dmg.sh" in steps["macos"]
    iss = (PACKAGING / "windows" / "nasro-desktop.iss").read_text()
    assert "PrivilegesRequired=lowest" in iss  # no administrator needed
    for relative in re.findall(r"\{#Root\}\\([\w\\.-]+\.ico)", iss):
        assert (ROOT / relative.replace("\\", "/")).is_file(), relative
    assert "nasro-desktop-cli.exe" in iss  # the self-test shortcut prints to a console
    spec = (PACKAGING / "nasro-desktop.spec").read_text()
    assert 'f"{NAME}-cli"' in spec and "nasro-desktop.icns" not in spec  # names are built
    for name in ("nasro-desktop.ico", "nasro-desktop.icns"):
        assert (ICONS / name).is_file()


def test_the_bundle_tools_are_an_extra_not_a_dependency():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(d.startswith("pyinstaller") for d in project["optional-dependencies"]["bundle"])
    assert not any("pyinstaller" in d.lower() for d in project["dependencies"])
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("--require-hashes -r packaging/requirements-lock.txt") \
        < ci.index("python -m pytest") < ci.index("build_linux.sh") < ci.index("smoke_test.py")
