"""Backups: automatic (at most one a day, 7 daily + 4 weekly), "Back up now", restore."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta

import pytest

from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import Store, StoreError
from nasro_desktop.store.backups import restore_backup


def _new(store: Store, title: str = "Backup test") -> int:
    return store.create_assessment(Assessment(
        title=title, as_of=date(2025, 9, 1), form_id="nasro-2018", form_version=1,
        answers={"mou.exists": Answer("mou.exists", "yes")},
    )).id


def _titles(path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        return [r[0] for r in conn.execute("SELECT title FROM assessments ORDER BY id")]
    finally:
        conn.close()


def test_auto_backup_at_most_once_a_day(data_dir):
    with Store.open(data_dir) as store:
        _new(store)
        first = store.backups.auto(datetime(2026, 3, 2, 9, 0))
        assert first is not None and first.exists()
        assert store.backups.auto(datetime(2026, 3, 2, 17, 30)) is None
        assert store.backups.auto(datetime(2026, 3, 3, 8, 0)) is not None
        kinds = sorted(b.kind for b in store.backups.all())
        assert kinds == ["daily", "daily", "weekly"]  # 2 and 3 March are in the same week


def test_rotation_keeps_7_daily_and_4_weekly(data_dir):
    start = datetime(2026, 1, 1, 12, 0)
    with Store.open(data_dir) as store:
        _new(store)
        for day in range(40):
            assert store.backups.auto(start + timedelta(days=day)) is not None
        backups = store.backups.all()
    daily = [b for b in backups if b.kind == "daily"]
    weekly = [b for b in backups if b.kind == "weekly"]
    assert [b.created.date() for b in daily] == [
        (start + timedelta(days=d)).date() for d in range(39, 32, -1)
    ]
    assert len(weekly) == 4
    weeks = [b.created.isocalendar()[:2] for b in weekly]
    assert len(set(weeks)) == 4 and weeks == sorted(weeks, reverse=True)
    assert backups == sorted(backups, key=lambda b: b.created, reverse=True)


def test_backup_holds_what_is_only_in_the_wal_and_is_one_plain_file(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        _new(store, "first")
        _new(store, "second")
        assert (data_dir / "nasro.db-wal").stat().st_size > 0  # not checkpointed yet
        dest = store.backups.save_to(tmp_path / "now.db")
    assert _titles(dest) == ["first", "second"]
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not list(tmp_path.glob(".now.db*")), "no temporary file is left behind"


def test_backup_in_a_worker_thread_while_saving(data_dir):
    with Store.open(data_dir) as store:
        aid = _new(store)
        for n in range(200):
            store.save_answer(aid, Answer(f"q.{n}", n, note="x" * 300))
        results: list[object] = []

        def worker():
            try:
                results.append(store.backups.auto(datetime(2026, 5, 5, 10, 0)))
            except Exception as error:  # noqa: BLE001 - reported below
                results.append(error)

        thread = threading.Thread(target=worker)
        thread.start()
        saved = 0
        while thread.is_alive() or saved < 50:
            store.save_answer(aid, Answer(f"during.{saved}", saved))
            saved += 1
        thread.join()
        assert isinstance(results[0], type(store.path)), results
        conn = sqlite3.connect(f"file:{results[0]}?mode=ro", uri=True)
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM answers WHERE question_id LIKE 'q.%'").fetchone()[0] == 200
        conn.close()
        assert len(store.load_assessment(aid).answers) == 1 + 200 + saved


def test_back_up_now_then_restore(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        _new(store, "kept")
        backup = store.backups.save_to(tmp_path / "before.db")
        _new(store, "made after the backup")
    restore_backup(data_dir, backup)
    with Store.open(data_dir) as store:
        assert [s.title for s in store.list_assessments()] == ["kept"]
        asides = [b for b in store.backups.all() if b.kind == "manual"]
        assert len(asides) == 1  # the file that was replaced, kept
    assert _titles(asides[0].path) == ["kept", "made after the backup"]


def test_backup_to_a_missing_folder_says_what_to_do(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        with pytest.raises(StoreError, match="does not exist"):
            store.backups.save_to(tmp_path / "nowhere" / "b.db")


def test_restore_refuses_a_file_that_is_not_a_backup(data_dir, tmp_path):
    with Store.open(data_dir) as store:
        _new(store)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE something (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a backup"):
        restore_backup(data_dir, other)
    with pytest.raises(StoreError, match="not found"):
        restore_backup(data_dir, tmp_path / "missing.db")
    with Store.open(data_dir) as store:
        assert len(store.list_assessments()) == 1


def test_copies_made_in_the_same_second_never_overwrite_each_other(data_dir):
    with Store.open(data_dir) as store:
        _new(store, "first")
        folder = data_dir / "backups"
        folder.mkdir(exist_ok=True)
        now = datetime.now()
        one = store.backups.save_to(folder)
        _new(store, "second")
        two = store.backups.save_to(folder)
        if datetime.now().second == now.second:  # same second: names must still differ
            assert one != two
        assert _titles(one) == ["first"]
        assert _titles(two) == ["first", "second"]
    # restoring the newest copy right away keeps the replaced file as a third copy
    restore_backup(data_dir, one)
    with Store.open(data_dir) as store:
        manual = [b.path for b in store.backups.all() if b.kind == "manual"]
        assert len(manual) == 3
        assert _titles(two) == ["first", "second"]  # untouched


def test_upgrading_the_questions_keeps_a_copy_from_before(data_dir):
    from nasro_desktop.domain.forms import current_form

    with Store.open(data_dir) as store:
        assessment_id = _new(store, "before the upgrade")
        store.upgrade_form(assessment_id, current_form())
        before = [b for b in store.backups.all() if b.kind == "pre-migration"]
        assert len(before) == 1
        assert _titles(before[0].path) == ["before the upgrade"]
