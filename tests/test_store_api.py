"""The store's API: what is saved comes back exactly; many assessments; next year; upgrades."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nasro_desktop.domain.model import (
    ActionItem,
    ActionStatus,
    Answer,
    AnswerType,
    Assessment,
    Form,
    Officer,
    Owner,
    Question,
    RapidDeploymentReading,
    School,
)
from nasro_desktop.store import (
    AssessmentNotFound,
    PendingSaves,
    SaveFailed,
    Store,
    StoreError,
)
from nasro_desktop.store import schema as schema_mod

ROOT = Path(__file__).resolve().parents[1]


def _assessment(**changes) -> Assessment:
    base = Assessment(
        title="SRO review 2025", agency="Pine Ridge PD", district="Pine Ridge USD",
        prepared_by="Chief Ana Ortiz", as_of=date(2025, 9, 1), form_id="nasro-2018",
        form_version=1, rapid_deployment_reading=RapidDeploymentReading.EVERY_TWO_YEARS,
        answers={
            "mou.exists": Answer("mou.exists", "yes", note="signed in May"),
            "mou.signed_date": Answer("mou.signed_date", "2024-05-02"),
            "school.count": Answer("school.count", 3, flagged=True),
            "mou.discipline": Answer("mou.discipline", "na", na_reason="no MOU topic",
                                     note="Ł ő Ж ✔"),
        },
        officers=[Officer(name="Dana Ruiz", school="Lincoln", sworn_date=date(2012, 2, 29),
                          basic_course_date=date(2020, 1, 5), probation_review_with_school=False,
                          years_experience=12)],
        schools=[School(name="Lincoln Elementary", enrollment=420, acreage=3.5, sros_assigned=1)],
        action_items=[
            ActionItem(standard_id="01.01.04-discipline", next_step="Add the clause",
                       owner=Owner.DISTRICT, target_date=date(2026, 1, 15)),
            ActionItem(standard_id="03.02.01", next_step="Book the course",
                       status=ActionStatus.DONE),
        ],
        last_page="profile",
    )
    return dataclasses.replace(base, **changes)


def _same_content(a: Assessment, b: Assessment) -> None:
    for name in ("title", "agency", "district", "prepared_by", "as_of", "form_id",
                 "form_version", "rapid_deployment_reading", "last_page"):
        assert getattr(a, name) == getattr(b, name), name
    strip = lambda ans: dataclasses.replace(ans, updated=None)  # noqa: E731
    assert {k: strip(v) for k, v in a.answers.items()} == {k: strip(v) for k, v in b.answers.items()}
    assert [dataclasses.replace(o, id=None) for o in a.officers] == \
        [dataclasses.replace(o, id=None) for o in b.officers]
    assert [dataclasses.replace(s, id=None) for s in a.schools] == \
        [dataclasses.replace(s, id=None) for s in b.schools]
    assert [dataclasses.replace(i, id=None) for i in a.action_items] == \
        [dataclasses.replace(i, id=None) for i in b.action_items]


def test_create_and_reload_round_trip(data_dir):
    original = _assessment()
    with Store.open() as store:  # honours NASRO_DATA_DIR
        assert store.data_dir == data_dir
        saved = store.create_assessment(original)
        assert saved.id is not None and all(o.id for o in saved.officers)
        _same_content(original, saved)
    with Store.open(data_dir) as store:
        again = store.load_assessment(saved.id)
        _same_content(original, again)
        assert isinstance(again.action_items[0].owner, Owner)
        assert again.updated.tzinfo is not None


def test_folder_and_file_are_private(data_dir):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())
        for path in [store.path, *data_dir.glob("nasro.db-*")]:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        store.backups.auto()
        for path in (data_dir / "backups").iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_journal_mode_and_synchronous_are_durable(data_dir):
    with Store.open(data_dir) as store:
        conn = store.db.reader()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_every_save_is_committed_at_once(data_dir):
    """Another connection sees each change as soon as the call returns: no open transaction."""
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        spy = sqlite3.connect(store.path)
        when = store.save_answer(aid, Answer("mou.exists", "no"))
        assert isinstance(when, datetime) and when.tzinfo is not None
        assert spy.execute("SELECT value FROM answers WHERE question_id='mou.exists'"
                           ).fetchone()[0] == '"no"'
        officer = store.save_officer(aid, Officer(name="Sam Lee", assignment_date=date(2024, 8, 1)))
        assert spy.execute("SELECT name FROM officers WHERE id=?", (officer.id,)).fetchone()[0] == "Sam Lee"
        store.save_details(aid, agency="Pine Ridge Police")
        assert spy.execute("SELECT agency FROM assessments").fetchone()[0] == "Pine Ridge Police"
        assert not store.db.reader().in_transaction
        spy.close()


def test_details_rows_and_summary(data_dir):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        before = store.load_assessment(aid).updated
        store.save_details(aid, last_page="training")  # moving between pages is not an edit
        assert store.load_assessment(aid).updated == before
        store.save_details(aid, title="New title", as_of=date(2025, 10, 1),
                           rapid_deployment_reading="twice_a_year")
        a = store.load_assessment(aid)
        assert (a.title, a.as_of, a.last_page) == ("New title", date(2025, 10, 1), "training")
        assert a.rapid_deployment_reading is RapidDeploymentReading.TWICE_A_YEAR
        assert a.updated > before

        officer = dataclasses.replace(a.officers[0], name="Dana Ruiz-Hall", probation_end=date(2026, 2, 28))
        assert store.save_officer(aid, officer).id == officer.id
        school = store.save_school(aid, School(name="Oak Middle", buildings=2))
        item = store.save_action_item(aid, ActionItem(standard_id="x", next_step="y"))
        a = store.load_assessment(aid)
        assert a.officers[0].name == "Dana Ruiz-Hall" and a.officers[0].probation_end == date(2026, 2, 28)
        assert [s.name for s in a.schools] == ["Lincoln Elementary", "Oak Middle"]
        assert a.action_items[-1].id == item.id
        store.delete_school(aid, school.id)
        store.delete_action_item(aid, item.id)
        store.delete_officer(aid, officer.id)
        a = store.load_assessment(aid)
        assert [s.name for s in a.schools] == ["Lincoln Elementary"]
        assert len(a.action_items) == 2 and a.officers == []

        store.set_summary(aid, 64, "not_ready")
        summary = store.list_assessments()[0]
        assert (summary.percent_answered, summary.verdict) == (64, "not_ready")

        with pytest.raises(AssessmentNotFound):
            store.save_answer(999, Answer("mou.exists", "yes"))
        with pytest.raises(AssessmentNotFound):
            store.load_assessment(999)
        other = store.create_assessment(_assessment())
        with pytest.raises(StoreError, match="no longer"):  # another assessment's officer
            store.save_officer(aid, other.officers[0])
        with pytest.raises(StoreError, match="no longer"):
            store.save_officer(aid, Officer(id=123456, name="Nobody"))


def test_list_rename_delete_restore_purge(data_dir):
    with Store.open(data_dir) as store:
        ids = [store.create_assessment(_assessment(title=f"A{n}")).id for n in range(3)]
        assert [s.id for s in store.list_assessments()] == ids[::-1]  # newest first
        store.save_answer(ids[0], Answer("mou.exists", "no"))
        assert store.list_assessments()[0].id == ids[0]  # most recently updated first
        store.rename(ids[1], "Renamed")
        assert store.list_assessments()[0].title == "Renamed"

        store.delete_assessment(ids[2])
        assert ids[2] not in [s.id for s in store.list_assessments()]
        assert [s.id for s in store.list_deleted()] == [ids[2]]
        assert store.list_deleted()[0].deleted_at is not None
        assert store.purge_deleted(30) == 0  # recoverable for 30 days
        store.restore_assessment(ids[2])
        assert store.list_deleted() == []

        store.delete_assessment(ids[2])
        old = (datetime.now(UTC) - timedelta(days=31)).isoformat()
        store.db.write(lambda c: c.execute("UPDATE assessments SET deleted_at=? WHERE id=?",
                                         (old, ids[2])))
        assert store.purge_deleted(30) == 1
        with pytest.raises(AssessmentNotFound):
            store.load_assessment(ids[2])
        count = store.db.reader().execute("SELECT count(*) FROM answers WHERE assessment_id=?",
                                        (ids[2],)).fetchone()[0]
        assert count == 0  # its answers went with it


def test_start_next_year(data_dir):
    with Store.open(data_dir) as store:
        old = store.create_assessment(_assessment())
        new = store.start_next_year(old.id, date(2026, 9, 1))
        assert new.id != old.id
        assert new.title == "SRO review 2026" and new.as_of == date(2026, 9, 1)
        assert (new.agency, new.district, new.prepared_by) == (old.agency, old.district, old.prepared_by)
        assert set(new.answers) == set(old.answers)
        assert all(a.reconfirm for a in new.answers.values())
        assert new.answers["mou.exists"].value == "yes"
        assert new.answers["mou.exists"].note == "signed in May"
        assert [o.name for o in new.officers] == ["Dana Ruiz"]
        assert new.officers[0].id != old.officers[0].id
        assert [s.name for s in new.schools] == ["Lincoln Elementary"]
        assert [i.next_step for i in new.action_items] == ["Add the clause"]  # done ones stay behind
        # the old one is untouched
        assert not any(a.reconfirm for a in store.load_assessment(old.id).answers.values())


@pytest.mark.parametrize(("title", "expected"), [
    ("SRO review 2025", "SRO review 2026"),
    ("2025-26 SRO review", "2026-27 SRO review"),
    ("Pine Ridge", "Pine Ridge 2026"),
])
def test_next_year_titles(title, expected):
    from nasro_desktop.domain.titles import title_for_year

    assert title_for_year(title, 2025, 2026) == expected


def _form(version: int, questions: list[Question]) -> Form:
    return Form(form_id="nasro-2018", version=version, title="t", sections=(), standards=(),
                questions=tuple(questions))


def test_upgrade_form_maps_answers_and_keeps_the_rest(data_dir):
    v2 = _form(2, [
        Question("mou.exists", "administration", AnswerType.YESNO, "?"),
        Question("mou.signed_on", "administration", AnswerType.DATE, "?", replaces=("mou.signed_date",)),
        Question("mou.brand_new", "administration", AnswerType.YESNO, "?"),
    ])
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        upgraded = store.upgrade_form(aid, v2)
        assert upgraded.form_version == 2
        assert upgraded.answers["mou.signed_on"].value == "2024-05-02"
        assert "mou.signed_date" not in upgraded.answers
        assert "mou.brand_new" not in upgraded.answers  # new questions start unanswered
        # answers to ids v2 lacks are kept, unshown, for a later version
        assert upgraded.answers["school.count"].value == 3
        assert upgraded.answers["mou.discipline"].na_reason == "no MOU topic"
        assert store.load_assessment(aid).form_version == 2  # reopens under its version
        with pytest.raises(StoreError):
            store.upgrade_form(aid, _form(1, []))


def test_a_refused_upgrade_makes_no_safety_copy(data_dir):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
        copies = sorted((data_dir / "backups").glob("*pre-migration*"))
        with pytest.raises(StoreError, match="can't be moved to that one"):
            store.upgrade_form(aid, dataclasses.replace(_form(2, []), form_id="another"))
        assert sorted((data_dir / "backups").glob("*pre-migration*")) == copies
        store.upgrade_form(aid, _form(2, []))  # an upgrade that happens is copied first
        assert len(sorted((data_dir / "backups").glob("*pre-migration*"))) == len(copies) + 1


def test_settings_are_json(data_dir):
    with Store.open(data_dir) as store:
        assert store.get_setting("scale", 1.0) == 1.0
        store.set_setting("scale", 1.25)
        store.set_setting("recent", {"dirs": ["/a", "/b"]})
    with Store.open(data_dir) as store:
        assert store.get_setting("scale") == 1.25
        assert store.get_setting("recent") == {"dirs": ["/a", "/b"]}


def test_read_only_store_refuses_writes_plainly(data_dir):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id
    with Store.open(data_dir, read_only=True) as viewer:
        assert viewer.load_assessment(aid).title == "SRO review 2025"
        with pytest.raises(StoreError, match="viewing only"):
            viewer.rename(aid, "x")
    with pytest.raises(StoreError, match="no saved data"):
        Store.open(data_dir / "elsewhere", read_only=True)


def test_closed_store_says_so(data_dir):
    store = Store.open(data_dir)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        store.list_assessments()


def test_migration_chain_copies_the_file_aside_first(data_dir, monkeypatch):
    with Store.open(data_dir) as store:
        aid = store.create_assessment(_assessment()).id

    current = len(schema_mod.MIGRATIONS)

    def v2_add_column(conn):
        conn.execute("ALTER TABLE assessments ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'")

    monkeypatch.setattr(schema_mod, "MIGRATIONS", [*schema_mod.MIGRATIONS, v2_add_column])
    with Store.open(data_dir) as store:
        assert store.load_assessment(aid).title == "SRO review 2025"
        assert store.db.reader().execute("SELECT colour FROM assessments").fetchone()[0] == "blue"
        copies = [b for b in store.backups.all() if b.kind == "pre-migration"]
        assert len(copies) == 1 and f"-v{current}-" in copies[0].path.name
    copy = sqlite3.connect(copies[0].path)
    assert copy.execute("SELECT max(version) FROM schema_version").fetchone()[0] == current
    assert copy.execute("SELECT title FROM assessments").fetchone()[0] == "SRO review 2025"
    copy.close()
    with Store.open(data_dir) as store:  # already current: no second copy
        assert len([b for b in store.backups.all() if b.kind == "pre-migration"]) == 1


def test_failed_migration_leaves_the_old_version(data_dir, monkeypatch):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment())

    def broken(conn):
        conn.execute("ALTER TABLE assessments ADD COLUMN half_done TEXT")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(schema_mod, "MIGRATIONS", [*schema_mod.MIGRATIONS, broken])
    with pytest.raises(StoreError, match="left as it was"):
        Store.open(data_dir)
    monkeypatch.undo()
    with Store.open(data_dir) as store:
        columns = [r[1] for r in store.db.reader().execute("PRAGMA table_info(assessments)")]
        assert "half_done" not in columns
        assert len(store.list_assessments()) == 1


def test_pending_saves_keeps_only_the_latest_per_key():
    calls: list[str] = []
    failing = {"on": True}

    def op(name):
        def run():
            if failing["on"]:
                raise SaveFailed("Could not save: the disk is full.")
            calls.append(name)
        return run

    pending = PendingSaves()
    assert pending.submit("q1", op("q1 first")) is False
    assert pending.submit("q1", op("q1 second")) is False
    assert pending.submit("q2", op("q2")) is False
    assert pending.pending == 2 and "disk is full" in str(pending.last_error)
    assert pending.retry() is False
    failing["on"] = False
    assert pending.retry() is True
    assert calls == ["q1 second", "q2"]
    assert pending.pending == 0 and pending.last_error is None
    assert pending.submit("q3", op("q3")) is True


def test_store_never_imports_qt():
    code = (
        "import sys, nasro_desktop.store, nasro_desktop.commands.assessments, "
        "nasro_desktop.store.exchange, nasro_desktop.store.backups\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))]\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert out.stdout.strip() == "[]"
    for source in (ROOT / "nasro_desktop" / "store").glob("*.py"):
        assert "PySide" not in source.read_text(), source
