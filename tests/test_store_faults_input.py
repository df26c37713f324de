"""Bad input and bad rows, made real: a value damaged inside the data file, export files with
numbers the window can't show or repeated names, a FIFO and /dev/zero, titles with terminal
escapes and bidi overrides, a terminal that can't show every character, a closed pipe."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.cli import main
from nasro_desktop.domain.model import Answer, Assessment, Officer
from nasro_desktop.store import DamagedAssessment, ImportRefused, Store, exchange

ROOT = Path(__file__).resolve().parents[1]


def _run(data: Path, *args: str, env: dict | None = None, timeout: float = 60
         ) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": str(ROOT), "NASRO_DATA_DIR": str(data), **(env or {})}
    return subprocess.run([sys.executable, "-m", "nasro_desktop", *args], capture_output=True,
                          text=True, env=full, cwd=ROOT, timeout=timeout)


def _seed(data: Path, titles=("Pine Ridge 2026", "Oak Hill 2026", "Elm Park 2026")) -> list[int]:
    with Store.open(data) as store:
        return [store.create_assessment(Assessment(
            title=t, agency="Pine Ridge PD", as_of=date(2026, 9, 1), form_id="nasro-2018",
            form_version=1, answers={"q.a": Answer("q.a", "met", note="kept note")},
            officers=[Officer(name="Officer Lee", sworn_date=date(2015, 1, 1))])).id
            for t in titles]


# --- 4. one bad row hides nothing else --------------------------------------------------------


@pytest.mark.parametrize("damage", [
    "UPDATE assessments SET as_of = 'not a date' WHERE id = 2",
    "UPDATE answers SET value = '{broken json' WHERE assessment_id = 2",
    "UPDATE officers SET sworn_date = '2015-13-45' WHERE assessment_id = 2",
    "UPDATE assessments SET updated = 'yesterday' WHERE id = 2",
])
def test_one_unreadable_value_hides_only_its_own_assessment(data_dir, tmp_path, damage):
    ids = _seed(data_dir)
    conn = sqlite3.connect(data_dir / "nasro.db")
    conn.execute(damage)
    conn.commit()
    conn.close()
    with Store.open(data_dir) as store:
        listed = {s.id: s for s in store.list_assessments()}
        assert sorted(listed) == sorted(ids)  # every assessment is still listed
        assert listed[ids[0]].problem is None and listed[ids[2]].problem is None
        if "as_of" in damage or "updated" in damage:
            assert listed[2].problem and "damaged" in listed[2].title
            assert listed[2].title.startswith("Oak Hill 2026")  # named
        assert store.load_assessment(ids[0]).answers["q.a"].note == "kept note"
        with pytest.raises(DamagedAssessment) as caught:
            store.load_assessment(2)
        text = str(caught.value)
        assert "Oak Hill 2026" in text and "other assessments are fine" in text
        assert "Restore it from a backup" in text and "export 2" in text
        # what can be read is saved by an export, the damaged value named
        out = exchange.export_assessment(store, 2, tmp_path / "oak.json")
        again = exchange.read_import(out)
        assert again.title == "Oak Hill 2026"
    result = _run(data_dir, "export", "2", "--out", str(tmp_path / "oak2.json"))
    assert result.returncode == 0, result.stderr
    if "UPDATE assessments SET updated" not in damage:
        assert "could not be read" in result.stderr
    listing = _run(data_dir, "list")
    assert listing.returncode == 0 and "Elm Park 2026" in listing.stdout


# --- bad import input -------------------------------------------------------------------------


def _document(store: Store, assessment_id: int, change) -> dict:
    document = exchange.build_document(store.load_assessment(assessment_id))
    change(document["assessment"])
    document["sha256"] = exchange.checksum(document["assessment"])  # a "valid" file
    return document


@pytest.mark.parametrize("value", [2**31, 2**40, -1, 1e300])
def test_numbers_the_window_cannot_show_are_refused(store, tmp_path, value):
    aid = store.create_assessment(Assessment(title="n", as_of=date(2026, 9, 1),
                                             form_id="nasro-2018", form_version=1)).id
    doc = _document(store, aid, lambda p: p["answers"].append({
        "question_id": "q.count", "value": value, "note": "", "na_reason": "",
        "flagged": False, "reconfirm": False, "updated": None}))
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportRefused, match="can't show|can show"):
        exchange.import_assessment(store, path)
    assert len(store.list_assessments()) == 1


def test_a_repeated_name_in_the_file_is_refused(store, tmp_path):
    aid = store.create_assessment(Assessment(title="Real title", as_of=date(2026, 9, 1),
                                             form_id="nasro-2018", form_version=1)).id
    text = json.dumps(exchange.build_document(store.load_assessment(aid)))
    # the checksum covers the last "title"; a reader who sees the first is fooled
    hidden = text.replace('"title": "Real title"', '"title": "Hidden text", "title": "Real title"')
    path = tmp_path / "dup.json"
    path.write_text(hidden)
    with pytest.raises(ImportRefused, match="appears twice"):
        exchange.import_assessment(store, path)


def test_a_fifo_and_dev_zero_are_refused_at_once(tmp_path):
    data = tmp_path / "data"
    _seed(data, ("One",))
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for src in (fifo, Path("/dev/zero")):
        result = _run(data, "import", str(src), timeout=20)  # used to hang / eat 3 GB
        assert result.returncode == 1
        assert "not an ordinary file" in result.stderr and "Nothing was imported" in result.stderr


# --- CLI output -------------------------------------------------------------------------------


def test_control_characters_and_bidi_overrides_are_shown_escaped(tmp_path):
    data = tmp_path / "data"
    evil = "Review \x1b[2J\x1b]0;owned\x07 \u202egnp.exe\u202c\r\nline2"
    _seed(data, (evil,))
    listing = _run(data, "list")
    assert listing.returncode == 0
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in listing.stdout
    assert "\\x1b[2J" in listing.stdout
    with Store.open(data) as store:
        out = exchange.export_assessment(store, 1, tmp_path / "e.json")
    imported = _run(data, "import", str(out), "--copy")  # already in the list: a copy
    assert imported.returncode == 0 and "\x1b" not in imported.stdout
    assert "\\x1b" in imported.stdout and "\\u202e" in imported.stdout


def test_an_ascii_terminal_imports_once_and_says_so(tmp_path):
    data = tmp_path / "data"
    _seed(data, ("Café review – 2026 ✔",))
    with Store.open(data) as store:
        out = exchange.export_assessment(store, 1, tmp_path / "e.json")
    result = _run(data, "import", str(out), "--copy", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Imported" in result.stdout and "Nothing was changed" not in result.stderr
    with Store.open(data) as store:
        assert len(store.list_assessments()) == 2  # imported once


def test_list_into_a_closed_pipe_ends_quietly(tmp_path):
    data = tmp_path / "data"
    _seed(data, tuple(f"Assessment {n}" for n in range(200)))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NASRO_DATA_DIR": str(data)}
    result = subprocess.run(f"'{sys.executable}' -m nasro_desktop list | head -2",
                            shell=True, capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=60)
    assert len(result.stdout.splitlines()) == 2
    assert "BrokenPipe" not in result.stderr and "went wrong" not in result.stderr
    assert "Exception ignored" not in result.stderr


def test_import_with_main_in_process_refuses_a_folder(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "import", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_bytes_that_are_not_text_in_one_title_do_not_stop_the_list(data_dir, tmp_path):
    ids = _seed(data_dir)
    conn = sqlite3.connect(data_dir / "nasro.db")
    conn.execute("UPDATE assessments SET title = CAST(X'4F616B8A48696C6C' AS TEXT) WHERE id = 2")
    conn.execute("UPDATE answers SET note = CAST(X'6B65708A74' AS TEXT) WHERE assessment_id = 3")
    conn.commit()
    conn.close()
    with Store.open(data_dir) as store:
        listed = {s.id: s for s in store.list_assessments()}
        assert sorted(listed) == sorted(ids)
        assert listed[2].problem and listed[2].title.startswith("Oak\ufffdHill")
        assert store.load_assessment(ids[0]).title == "Pine Ridge 2026"
        with pytest.raises(DamagedAssessment, match="answer to question q.a"):
            store.load_assessment(3)
        readable, problems = store.load_readable(3)
        assert readable.answers["q.a"].note == "kep\ufffdt" and problems
