"""`nasro-desktop list | export | import | backup`: plain output, one-line errors, exit codes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from nasro_desktop.cli import main
from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _seed(data_dir: Path) -> list[int]:
    with Store.open(data_dir) as store:
        return [
            store.create_assessment(Assessment(
                title=title, agency="Pine Ridge PD", district="Pine Ridge USD",
                as_of=date(2025, 9, 1), form_id="nasro-2018", form_version=1,
                answers={"mou.exists": Answer("mou.exists", "yes")},
            )).id
            for title in ("Fall review 2025", "Spring check")
        ]


def test_list_empty_and_filled(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    assert "No saved assessments yet" in capsys.readouterr().out
    assert not (data_dir / "nasro.db").exists(), "listing must not create anything"
    ids = _seed(data_dir)
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "Title", "Agency", "District", "As", "of", "Updated"]
    assert set(out[1]) <= {"-", " "}
    assert "Spring check" in out[2] and out[2].lstrip().startswith(str(ids[1]))
    assert "Fall review 2025" in out[3] and "2025-09-01" in out[3] and "Pine Ridge PD" in out[3]


def test_export_import_backup(data_dir, tmp_path, capsys):
    ids = _seed(data_dir)
    out_file = tmp_path / "fall.json"
    assert main(["--data-dir", str(data_dir), "export", str(ids[0]), "--out", str(out_file)]) == 0
    assert "Exported assessment" in capsys.readouterr().out
    # the same assessment is in the list: refused (exit 1, nothing imported) unless --copy
    assert main(["--data-dir", str(data_dir), "import", str(out_file)]) == 1
    err = capsys.readouterr().err
    assert "already in the list as assessment 1, with the same answers" in err
    assert "--copy" in err
    assert main(["--data-dir", str(data_dir), "import", str(out_file), "--copy"]) == 0
    assert "as assessment 3" in capsys.readouterr().out
    titles = [s.title for s in Store.open(data_dir, read_only=True).list_assessments()]
    assert "Fall review 2025 (imported copy 2)" in titles or \
        "Fall review 2025 (imported copy)" in " ".join(titles)
    backup = tmp_path / "all.db"
    assert main(["--data-dir", str(data_dir), "backup", "--out", str(backup)]) == 0
    assert "Backed up" in capsys.readouterr().out
    before = backup.read_bytes()
    assert main(["--data-dir", str(data_dir), "backup", "--out", str(backup)]) == 1
    assert "already exists" in capsys.readouterr().err and backup.read_bytes() == before
    assert main(["--data-dir", str(data_dir), "backup", "--out", str(backup), "--force",
                 "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT count(*) FROM assessments").fetchone()[0] == 3
    conn.close()


def test_errors_are_one_plain_line(data_dir, tmp_path, capsys):
    _seed(data_dir)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    cases = [
        ["import", str(bad)],
        ["import", str(tmp_path / "missing.json")],
        ["export", "999", "--out", str(tmp_path / "x.json")],
        ["export", "1", "--out", str(tmp_path / "no" / "x.json")],
        ["backup", "--out", str(tmp_path / "no" / "x.db")],
    ]
    for args in cases:
        assert main(["--data-dir", str(data_dir), *args]) == 1, args
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("nasro-desktop: "), err
        assert "Traceback" not in err


def test_import_while_the_app_is_open_elsewhere(data_dir, tmp_path):
    ids = _seed(data_dir)
    export = tmp_path / "e.json"
    assert main(["--data-dir", str(data_dir), "export", str(ids[0]), "--out", str(export)]) == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "store_helpers" / "holder.py"), str(data_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        assert holder.stdout.readline().strip() == "open"
        run = subprocess.run(
            [sys.executable, "-m", "nasro_desktop", "--data-dir", str(data_dir), "import", str(export)],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
        assert run.returncode == 1
        assert "another copy" in run.stderr and "Traceback" not in run.stderr
        assert run.stderr.count("\n") == 1
        # listing and exporting only read, so they still work beside the open app
        run = subprocess.run(
            [sys.executable, "-m", "nasro_desktop", "--data-dir", str(data_dir), "list"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
        assert run.returncode == 0 and "Fall review 2025" in run.stdout
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
