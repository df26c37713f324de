"""Backups against wrong clocks and replaced files: the clock is passed to the backup code, the
files are real. Rotation orders backups by what they hold, never deletes the one just made, and
never deletes the last backups of a data file that was replaced."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import DamagedDatabase, Store
from nasro_desktop.store.backups import KEEP_DAILY, KEEP_WEEKLY, restore_backup


def _new(store: Store, title: str) -> int:
    return store.create_assessment(Assessment(
        title=title, as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1)).id


def _backup_value(path, assessment_id: int, qid: str):
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        row = conn.execute("SELECT value FROM answers WHERE assessment_id = ? AND question_id = ?",
                           (assessment_id, qid)).fetchone()
    finally:
        conn.close()
    return None if row is None else int(row[0])


def test_clock_set_back_never_deletes_the_backup_just_made(data_dir):
    start = datetime(2026, 10, 20, 9, 0)
    with Store.open(data_dir) as store:
        aid = _new(store, "Clock back")
        for day in range(20):  # each day the clock says one day earlier
            store.save_answer(aid, Answer("q.day", day))
            made = store.backups.auto(now=start - timedelta(days=day))
            assert made is not None and made.exists(), f"day {day}: the new backup was deleted"
            newest = store.backups.all()[0]
            assert _backup_value(newest.path, aid, "q.day") == day  # newest by content
        kinds = [b.kind for b in store.backups.all()]
        assert kinds.count("daily") <= KEEP_DAILY + 1 and kinds.count("weekly") <= KEEP_WEEKLY + 1


def test_a_backup_made_while_the_clock_was_ahead_is_not_offered_as_newest(data_dir):
    with Store.open(data_dir) as store:
        aid = _new(store, "Clock ahead")
        store.save_answer(aid, Answer("q.value", 1))
        ahead = store.backups.auto(now=datetime(2031, 5, 1, 9, 0))  # the clock was wrong once
        for day in range(1, 4):  # corrected; daily use goes on
            store.save_answer(aid, Answer("q.value", 1 + day))
            store.backups.auto(now=datetime(2026, 10, day, 9, 0))
        backups = store.backups.all()
    assert ahead is not None
    flagged = [b for b in backups if b.path == ahead]
    assert flagged and flagged[0].future  # flagged: its date is later than now
    assert backups[0].path != ahead and _backup_value(backups[0].path, aid, "q.value") == 4
    # after damage, the newest offered is the newest by content
    db = data_dir / "nasro.db"
    with open(db, "r+b") as handle:
        handle.write(b"\x00" * 100)
    try:
        Store.open(data_dir)
    except DamagedDatabase as error:
        offered = error.backups[0]
    assert _backup_value(offered.path, aid, "q.value") == 4
    restore_backup(data_dir, offered.path)
    with Store.open(data_dir) as store:
        assert store.load_assessment(aid).value("q.value") == 4
        store.save_answer(aid, Answer("q.value", 5))
        store.backups.auto(now=datetime(2026, 10, 4, 9, 0))
        # after a restore, the copies made from the restored data sort first
        assert _backup_value(store.backups.all()[0].path, aid, "q.value") == 5


def test_start_empty_never_rotates_away_the_old_data(data_dir):
    day0 = datetime(2026, 9, 1, 9, 0)
    with Store.open(data_dir) as store:
        old_id = _new(store, "Before the damage")
        for day in range(10):
            store.save_answer(old_id, Answer("q.old", day))
            store.backups.auto(now=day0 + timedelta(days=day))
    with Store.start_empty(data_dir) as store:  # "Start with no saved assessments"
        new_id = _new(store, "After")
        for day in range(10, 60):  # seven weeks of daily use
            store.save_answer(new_id, Answer("q.new", day))
            store.backups.auto(now=day0 + timedelta(days=day))
        backups = store.backups.all()
    old = [b for b in backups if _title(b.path) == "Before the damage"]
    assert old, "every backup of the old data was rotated away"
    assert max(_backup_value(b.path, old_id, "q.old") for b in old) == 9  # the last good one
    new = [b for b in backups if _title(b.path) == "After"]
    assert len([b for b in new if b.kind == "daily"]) == KEEP_DAILY  # the new ones still rotate


def _title(path) -> str:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT title FROM assessments ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()
