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


def test_every_command_is_one_row_with_a_handler_that_exists():
    import argparse
    from importlib import import_module

    from nasro_desktop.cli import COMMANDS

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == [command.name for command in COMMANDS]
    for command in COMMANDS:
        module_name, func_name = command.handler.split(":")
        assert callable(getattr(import_module(module_name), func_name)), command.handler
        assert command.help and sub.choices[command.name].description is None


def test_user_error_lives_in_a_module_that_imports_no_layer():
    import ast
    from pathlib import Path

    from nasro_desktop import errors

    tree = ast.parse(Path(errors.__file__).read_text(encoding="utf-8"))
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported == ["__future__"]  # imports no layer, so every layer may import it


def _modules_after(argv: list[str], env_extra: dict[str, str]) -> set[str]:
    import os

    code = ("import sys; from nasro_desktop.cli import main; code = main(sys.argv[1:]); "
            "print(' '.join(sorted(sys.modules))); raise SystemExit(code)")  # fmt: skip
    env = dict(os.environ, **env_extra)
    out = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                         env=env, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    return set(out.stdout.splitlines()[-1].split())


def test_each_command_imports_only_what_it_needs(tmp_path):
    """`report --sample` loads no Qt; `list` loads no reportlab, no Qt and no YAML."""
    cache = {"NASRO_DATA_DIR": str(tmp_path / "d")}
    argv = ["report", "--sample", "--out", str(tmp_path / "r.pdf"), "--force"]
    loaded = _modules_after(argv, cache)
    assert "reportlab" in loaded
    for heavy in ("PySide6", "sqlite_utils", "nasro_desktop.ui"):
        assert heavy not in loaded, heavy
    listed = _modules_after(["list"], cache)
    # (report.options, the editions and papers the parser offers, is the report's one light part)
    for heavy in ("reportlab", "PySide6", "yaml", "nasro_desktop.report.renderer"):
        assert heavy not in listed, heavy


def test_the_window_imports_the_store_before_qt(tmp_path):
    """Start-up: PySide6 reads the source of every module imported after it (its `__feature__`
    check), so the store and what it uses are imported first, and the domain model not at all.
    The import order is recorded by a real run of the window up to the start screen."""
    import os

    code = ("import sys\n"
            "order = []\n"
            "class Recorder:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        order.append(name)\n"
            "sys.meta_path.insert(0, Recorder())\n"
            "from nasro_desktop.cli import main\n"
            "code = main([])\n"
            "print(' '.join(order))\n"
            "raise SystemExit(code)\n")
    from nasro_desktop.store import Store

    with Store.open(tmp_path / "d"):  # a returning user's start (a first one creates the file)
        pass
    env = dict(os.environ, NASRO_DATA_DIR=str(tmp_path / "d"), NASRO_STARTUP_PROBE="1",
               QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "startup: shown" in out.stdout
    order = out.stdout.splitlines()[-1].split()
    qt = order.index("PySide6")
    for module in ("nasro_desktop.store.db", "nasro_desktop.store.reading", "sqlite3"):
        assert order.index(module) < qt, module
    # the session and the engine load when an assessment is opened, not for the start screen
    assert "nasro_desktop.session" not in order and "nasro_desktop.domain.scoring" not in order


def test_an_assessment_whose_question_set_this_copy_lacks_says_what_to_do(tmp_path, capsys):
    """Saved by a newer copy of the app (a question set this one does not have): every command
    that needs the questions says so in plain words and what to do, exit 1, never the
    'something went wrong' line."""
    import sqlite3

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.store import Store
    from nasro_desktop.store.files import DB_NAME

    data = tmp_path / "data"
    with Store.open(data) as store:
        aid = store.create_assessment(sample_assessment(current_form())).id
    with sqlite3.connect(data / DB_NAME) as db:
        db.execute("UPDATE assessments SET form_version = 99 WHERE id = ?", (aid,))
    db.close()
    out = tmp_path / "out"
    out.mkdir()
    commands = [["status", str(aid)], ["export", str(aid), "--csv", str(out)],
                ["export", str(aid), "--xlsx", str(out / "a.xlsx")],
                ["report", str(aid), "--out", str(out / "a.pdf")],
                ["compare", str(aid), str(aid)], ["merge", str(aid), str(out / "x.json"),
                                                  "--dry-run"]]
    for argv in commands:
        assert main([*argv, "--data-dir", str(data)]) == 1, argv
        said = capsys.readouterr().err
        assert f"Assessment {aid} uses the question set" in said, (argv, said)
        assert "version 99" in said and "Install the newest version of the app" in said
        assert "went wrong" not in said and "Traceback" not in said
