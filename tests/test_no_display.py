"""No display (a server, SSH, a broken desktop session): one plain line saying no window can be
opened and what to run instead, a non-zero exit, never Qt's abort (exit 134) with its plugin
text. And `--version` answered before anything heavy is imported."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nasro_desktop import __version__, display

ROOT = Path(__file__).resolve().parents[1]


def run_app(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "nasro_desktop", "--data-dir",
                           str(tmp_path / "data"), *args], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path,
                          env={**base, "PYTHONPATH": str(ROOT), **env})


def assert_one_plain_line(done: subprocess.CompletedProcess[str], why: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("nasro-desktop: no window can be opened here: " + why)
    assert "--self-test" in lines[0] and "--help" in lines[0]
    assert "qt.qpa" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display is always there")
def test_no_display_at_all(tmp_path):
    done = run_app(tmp_path)
    assert_one_plain_line(done, "there is no display")
    assert not (tmp_path / "data").exists()  # nothing made


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display is always there")
def test_a_display_that_does_not_answer(tmp_path):
    done = run_app(tmp_path, DISPLAY=":87")
    assert_one_plain_line(done, "the display :87 does not answer")


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")
def test_a_real_display_opens_the_window(tmp_path):
    number = 200 + os.getpid() % 300
    server = subprocess.Popen(["Xvfb", f":{number}", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        done = run_app(tmp_path, DISPLAY=f":{number}", NASRO_STARTUP_PROBE="1")
    finally:
        server.terminate()
        server.wait()
    assert done.returncode == 0 and "startup: shown" in done.stdout, done.stderr


def test_a_missing_system_library_is_named_with_what_to_install(monkeypatch):
    import ctypes

    def missing(name, *args, **kwargs):
        raise OSError("libxcb-cursor.so.0: cannot open shared object file: No such file")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    why = display.display_plugin_problem()
    assert why is not None and "libxcb-cursor.so.0" in why
    assert "sudo apt install libxcb-cursor0" in why


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_windows_and_macos_are_never_second_guessed(monkeypatch, platform):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(sys, "platform", platform)
    assert display.why_no_window() is None


def test_a_chosen_qt_platform_is_left_to_qt(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display.why_no_window() is None


def test_version_is_answered_before_the_parser_and_heavy_modules(tmp_path):
    code = ("import sys\nfrom nasro_desktop.cli import main\nmain(['--version'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'reportlab', 'sqlite3', 'yaml', 'platformdirs', 'nasro_desktop')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    first, loaded = done.stdout.splitlines()
    assert first == f"nasro-desktop {__version__}"
    assert not any(name.startswith(("PySide6", "reportlab", "sqlite3", "yaml", "platformdirs"))
                   for name in eval(loaded))  # noqa: S307 - our own printed list
