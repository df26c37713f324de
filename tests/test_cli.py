"""The command line's own promises: --version, and --data-dir before or after the command."""

import subprocess
import sys

from nasro_desktop import __version__
from nasro_desktop.cli import build_parser, main


def test_version():
    out = subprocess.run([sys.executable, "-m", "nasro_desktop", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"nasro-desktop {__version__}"


def test_data_dir_before_or_after_the_command(tmp_path, capsys):
    for argv in (["--data-dir", str(tmp_path), "list"], ["list", "--data-dir", str(tmp_path)]):
        assert build_parser().parse_args(argv).data_dir == str(tmp_path)
        assert main(argv) == 0
        assert str(tmp_path) in capsys.readouterr().out


def test_data_dir_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NASRO_DATA_DIR", str(tmp_path))
    assert main(["list"]) == 0
    assert str(tmp_path) in capsys.readouterr().out


def test_a_bad_command_line_says_so_in_one_line_without_a_traceback():
    out = subprocess.run([sys.executable, "-m", "nasro_desktop", "export", "notanumber", "--out", "x"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "invalid int value" in out.stderr
