"""The analysis database (`export --sqlite`, `rollup`), read with plain sqlite3 (no Datasette,
no sqlite-utils): its views give the same gaps and the same overdue training as the app, its
tables hold every row, its keys and full-text indexes are there."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from export_fixtures import expected_plan, judged, saved_sample, saved_sixty

from nasro_desktop.cli import main
from nasro_desktop.domain.model import StandardClass
from nasro_desktop.domain.results import Status, SubjectKind
from nasro_desktop.domain.rules import OFFICER_TRAINING_RULES
from nasro_desktop.store import exchange
from nasro_desktop.store.analysis import Source, build


def app_gaps(assessment, evidence=()) -> set[str]:
    """The app's mandatory gaps: what the verdict names."""
    _, r = judged(assessment, evidence)
    return {g.standard.id for g in r.gaps if g.standard.cls is StandardClass.MANDATORY}


def app_overdue(assessment) -> set[tuple[str, str, str]]:
    """Each officer's overdue training, as the Profile's Training status reads it."""
    _, r = judged(assessment)
    return {(f.key, x.standard.number, f.due.isoformat())
            for x in r.results if x.standard.rule in OFFICER_TRAINING_RULES
            for f in x.findings
            if f.kind is SubjectKind.OFFICER and f.status is Status.NOT_MET and f.due}


@pytest.fixture
def three(store):
    """The sample, 60 officers, and the sample's next year (dates gone past)."""
    a = saved_sample(store)
    b = saved_sixty(store)
    c = store.start_next_year(a.id, date(2027, 9, 15))
    return [store.load_assessment(x.id) for x in (a, b, c)]


def test_views_give_the_app_s_gaps_and_overdue_training(store, three, tmp_path):
    dest = tmp_path / "analysis.db"
    build(dest, [Source("data folder", a, store.evidence.records(a.id)) for a in three])
    conn = sqlite3.connect(dest)
    try:
        ids = dict(conn.execute("SELECT id, source_id FROM assessments"))
        assert sorted(ids.values()) == sorted(a.id for a in three)
        for a in three:
            number = next(k for k, v in ids.items() if v == a.id)
            gaps = {row[0] for row in conn.execute(
                "SELECT standard_id FROM mandatory_gaps WHERE assessment_id = ?", (number,))}
            assert gaps == app_gaps(a) and gaps, a.title
            overdue = set(conn.execute(
                "SELECT officer_key, number, overdue_since FROM overdue_training "
                "WHERE assessment_id = ?", (number,)))
            assert overdue == app_overdue(a), a.title
            _, r = judged(a)
            row = conn.execute("SELECT verdict, mandatory_met, mandatory_total, gaps, officers "
                               "FROM assessments WHERE id = ?", (number,)).fetchone()
            assert row == (r.verdict.value, r.mandatory_met, r.mandatory_total, len(r.gaps),
                           len(a.officers))
            statuses = dict(conn.execute("SELECT standard_id, status FROM standards_status "
                                         "WHERE assessment_id = ?", (number,)))
            assert statuses == {x.standard.id: x.status.value for x in r.results}
            counts = [conn.execute(f"SELECT count(*) FROM {t} WHERE assessment_id = ?",
                                   (number,)).fetchone()[0]
                      for t in ("officers", "schools", "action_items")]
            assert counts == [len(a.officers), len(a.schools), len(expected_plan(a, r))]
        assert any(app_overdue(a) for a in three)  # the check has something to compare
    finally:
        conn.close()


def test_keys_indexes_and_search(store, three, tmp_path):
    dest = tmp_path / "analysis.db"
    build(dest, [Source("data folder", a) for a in three])
    conn = sqlite3.connect(dest)
    try:
        for table in ("standards_status", "findings", "answers", "officers", "schools",
                      "action_items", "evidence"):
            keys = conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
            assert [(k[2], k[3], k[4]) for k in keys] == [("assessments", "assessment_id",
                                                           "id")], table
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        pk = [r[1] for r in conn.execute("PRAGMA table_info(answers)") if r[5]]
        assert pk == ["assessment_id", "question_id"]
        found = conn.execute(
            "SELECT a.question_id FROM answers_fts f JOIN answers a ON a.rowid = f.rowid "
            "WHERE answers_fts MATCH ?", ("Łukasz",)).fetchall()
        assert ("admin.sro.full_time_officer",) in found
        steps = conn.execute("SELECT count(*) FROM action_items_fts WHERE action_items_fts "
                             "MATCH 'county'").fetchone()[0]
        assert steps == 1  # the 60-officer assessment's "+ call the county"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta["schema_version"] == "1" and meta["assessments"] == "3"
        types = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(officers)")}
        assert types["sworn_date"] == "TEXT" and types["years_experience"] == "INTEGER"
        sworn = conn.execute("SELECT sworn_date FROM officers WHERE name = 'Nguyễn Văn An'"
                             ).fetchone()
        assert sworn == ("2015-03-01",)
    finally:
        conn.close()


def test_cli_export_sqlite_and_rollup_of_export_files(store, three, data_dir, tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    for a in three:
        exchange.export_assessment(store, a.id, exports / f"{a.id}.json")
    store.close()
    base = ["--data-dir", str(data_dir)]
    one = tmp_path / "one.db"
    assert main([*base, "export", "--sqlite", str(one), str(three[1].id)]) == 0
    assert "1 assessment" in capsys.readouterr().out
    with sqlite3.connect(one) as conn:
        assert conn.execute("SELECT count(*) FROM officers").fetchone() == (60,)
    everything = tmp_path / "all.db"
    assert main([*base, "export", "--sqlite", str(everything)]) == 0
    assert main([*base, "export", "--sqlite", str(everything)]) == 1  # kept without --force
    assert "--force" in capsys.readouterr().err
    rolled = tmp_path / "rollup.db"
    assert main(["rollup", str(rolled), str(exports)]) == 0  # a folder of export files
    assert "3 assessments" in capsys.readouterr().out
    with sqlite3.connect(rolled) as conn, sqlite3.connect(everything) as other:
        query = "SELECT title, standard_id FROM mandatory_gaps ORDER BY 1, 2"
        assert conn.execute(query).fetchall() == other.execute(query).fetchall()
        sources = [r[0] for r in conn.execute("SELECT source FROM assessments ORDER BY id")]
        assert sources == sorted(f"{a.id}.json" for a in three)


def test_rollup_refuses_a_damaged_file_and_writes_nothing(store, tmp_path, capsys):
    a = saved_sample(store)
    good = exchange.export_assessment(store, a.id, tmp_path / "good.json")
    bad = tmp_path / "bad.json"
    bad.write_text(good.read_text(encoding="utf-8").replace("Pine Ridge", "Pine Rigde", 1),
                   encoding="utf-8")
    dest = tmp_path / "out.db"
    assert main(["rollup", str(dest), str(good), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.json" in err and "nothing was written" in err
    assert not dest.exists()
    assert main(["rollup", str(dest), str(tmp_path / "empty-folder-does-not-exist")]) == 1
    assert not dest.exists()


def test_usage_errors_exit_2(store, data_dir, tmp_path, capsys):
    a = saved_sample(store)
    base = ["--data-dir", str(data_dir)]
    assert main([*base, "export", str(a.id), str(a.id), "--out", str(tmp_path / "x")]) == 2
    assert "one assessment number" in capsys.readouterr().err
    assert main([*base, "export", "--xlsx", str(tmp_path / "x.xlsx")]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["rollup", str(tmp_path / "x.db")])  # no export named
    assert usage.value.code == 2


def test_rollup_of_a_zip_brings_its_evidence_register(store, tmp_path):
    from nasro_desktop.commands.analysis import read_export

    a = saved_sample(store)
    pdf = tmp_path / "mou.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%mou\n")
    store.evidence.attach(a.id, pdf, "standard", "01.01.04", description="Signed MOU")
    package = exchange.export_assessment(store, a.id, tmp_path / "with-files.zip")
    source = read_export(package)
    dest = tmp_path / "z.db"
    build(dest, [source])
    with sqlite3.connect(dest) as conn:
        assert conn.execute("SELECT file_name, description, size FROM evidence").fetchall() \
            == [("mou.pdf", "Signed MOU", pdf.stat().st_size)]
