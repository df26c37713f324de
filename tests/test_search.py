"""Find: the full-text index follows every edit, is rebuilt when missing or damaged, and its
sqlite-utils code stays inside the store's own transaction."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from nasro_desktop.cli import main
from nasro_desktop.domain.model import ActionItem, Answer, Assessment, Officer, School
from nasro_desktop.session import Session
from nasro_desktop.store import Store, exchange
from nasro_desktop.store import schema as schema_mod
from nasro_desktop.store import search as search_mod
from nasro_desktop.store.backups import restore_backup

ROOT = Path(__file__).resolve().parents[1]


def _assessment(title="Review 2026", **extra) -> Assessment:
    return Assessment(title=title, agency="Pine Ridge PD", district="Pine Ridge USD",
                      as_of=date(2026, 9, 1), form_id="nasro-2018", form_version=1, **extra)


def _found(store, words):
    return {(h.assessment_id, h.kind, h.question_id or h.standard_id or h.subject)
            for h in store.search(words)}


def test_finds_notes_reasons_action_items_officer_and_school_notes(store):
    a = store.create_assessment(_assessment(
        answers={
            "q.one": Answer("q.one", "met", note="The signed memorandum is in the safe"),
            "q.two": Answer("q.two", "na", na_reason="No middle schools in the district"),
        },
        officers=[Officer(name="Minh Nguyễn", note="Bilingual outreach with Mrs Trần")],
        schools=[School(name="Lincoln High", note="Portable classrooms behind the gym")],
        action_items=[ActionItem(standard_id="01.01.04", next_step="Renew the memorandum",
                                 note="Board vote in spring")],
    ))
    assert _found(store, "memorandum") == {(a.id, "note", "q.one"),
                                           (a.id, "action", "01.01.04")}
    assert _found(store, "middle") == {(a.id, "na_reason", "q.two")}
    assert _found(store, "outreach") == {(a.id, "officer_note", "Minh Nguyễn")}
    assert _found(store, "tran") == _found(store, "TRẦN") == _found(store, "outreach")
    assert _found(store, "portable") == {(a.id, "school_note", "Lincoln High")}
    assert _found(store, "spring") == {(a.id, "action_note", "01.01.04")}
    # every word must be there; a word also matches as the start of a longer one; stemming
    assert _found(store, "memo safe") == {(a.id, "note", "q.one")}
    assert _found(store, "classroom") == {(a.id, "school_note", "Lincoln High")}
    [hit] = store.search("SIGNED")
    assert hit.snippet == "The [signed] memorandum is in the safe"
    assert hit.assessment_title == "Review 2026" and hit.kind_label == "Note"


def test_words_typed_are_never_query_syntax(store):
    store.create_assessment(_assessment(answers={
        "q": Answer("q", "met", note='He said "NEAR" OR NOT; a (b) c* ^d')}))
    for query in ['"', "NOT", "OR", "a AND", "(b", "c*", "^d", "NEAR(", "-", "'", "***"]:
        store.search(query)  # never an FTS syntax error
    assert len(store.search('said "near"')) == 1
    assert store.search("   ") == [] and store.search("*&%") == []


def test_index_follows_every_edit(store):
    a = store.create_assessment(_assessment())
    store.save_answer(a.id, Answer("q.one", "met", note="Keys kept by the principal"))
    assert len(store.search("principal")) == 1
    store.save_answer(a.id, Answer("q.one", "met", note="Keys kept by the custodian"))
    assert store.search("principal") == [] and len(store.search("custodian")) == 1
    store.save_answer(a.id, Answer("q.one", "met", note=""))
    assert store.search("custodian") == []

    item = store.save_action_item(a.id, ActionItem(standard_id="02.01.01", next_step="Hire"))
    store.save_action_item(a.id, dataclasses.replace(item, next_step="Interview candidates"))
    assert store.search("hire") == [] and len(store.search("candidates")) == 1
    store.delete_action_item(a.id, item.id)
    assert store.search("candidates") == []

    officer = store.save_officer(a.id, Officer(name="Dana Ruiz", note="Night shift"))
    assert {h.subject for h in store.search("night")} == {"Dana Ruiz"}
    store.save_officer(a.id, dataclasses.replace(officer, name="Dana Ruiz-Lopez"))
    assert {h.subject for h in store.search("night")} == {"Dana Ruiz-Lopez"}
    store.delete_officer(a.id, officer.id)
    assert store.search("night") == []


def test_deleted_assessments_are_not_found_and_purge_empties_the_index(store):
    a = store.create_assessment(_assessment(answers={"q": Answer("q", "met", note="tornado")}))
    store.delete_assessment(a.id)
    assert store.search("tornado") == []
    store.restore_assessment(a.id)
    assert len(store.search("tornado")) == 1
    store.delete_assessment(a.id)
    store.purge_deleted(older_than_days=0)
    conn = store.db.reader()
    assert conn.execute("SELECT count(*) FROM search_items").fetchone()[0] == 0
    assert search_mod.index_problem(conn) is None


def test_found_across_assessments_and_in_next_years_copy(store):
    session = Session.open_sample(store)
    store.save_answer(session.assessment_id, Answer("admin.sro.full_time_officer", "met",
                                                    note="Confirmed with HR in August"))
    new = store.start_next_year(session.assessment_id, date(2027, 9, 15))
    assert {h.assessment_id for h in store.search("confirmed august")} == {
        session.assessment_id, new.id}


def _damage(data_dir: Path, *sql: str) -> None:
    conn = sqlite3.connect(data_dir / "nasro.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    for statement in sql:
        conn.execute(statement)
    conn.close()


@pytest.mark.parametrize("damage", [
    # the whole index gone
    ("DROP TABLE search_items_fts",),
    # one of our triggers gone: the edit below is then missing from the index
    ("DROP TRIGGER search_answers_au",),
    # one of sqlite-utils' triggers gone
    ("DROP TRIGGER search_items_au",),
    # the FTS index's pages overwritten with garbage
    ("UPDATE search_items_fts_data SET block = randomblob(length(block)) WHERE id > 10",),
    # a shadow table of the FTS index gone: FTS5 cannot even open it
    ("DROP TABLE search_items_fts_config",),
    # the in-between table emptied behind the triggers' back
    ("DROP TRIGGER search_items_ad", "DELETE FROM search_items"),
])
def test_missing_or_damaged_index_is_rebuilt_on_open(data_dir, damage):
    with Store.open(data_dir) as store:
        a = store.create_assessment(_assessment(answers={
            "q": Answer("q", "met", note="Radio dead zone in the east wing")}))
    _damage(data_dir, *damage)
    with Store.open(data_dir) as store:
        # a change made while the damage was there
        store.save_answer(a.id, Answer("q2", "met", note="Second radio tested"))
    _damage(data_dir, *damage)
    with Store.open(data_dir, read_only=True) as viewer:
        # a viewer cannot repair the index; it falls back on reading the text when it sees
        # the damage (all but garbled index pages, which only the repair at open catches)
        found = {h.question_id for h in viewer.search("radio")}
        if "randomblob" not in damage[0]:
            assert found == {"q", "q2"}
    with Store.open(data_dir) as store:
        conn = store.db.reader()
        assert search_mod.index_problem(conn, deep=True) is None  # repaired at open
        assert {h.question_id for h in store.search("radio")} == {"q", "q2"}
        store.save_answer(a.id, Answer("q3", "met", note="Radio repeater ordered"))
        assert {h.question_id for h in store.search("radio")} == {"q", "q2", "q3"}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_large_index_with_garbled_pages_is_rebuilt_at_the_first_search(data_dir, monkeypatch):
    """Above DEEP_CHECK_AT_OPEN_ROWS the FTS5 check is not run at open (it would cost more
    than opening itself); garbled pages then make the first search fail, which rebuilds."""
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment(answers={
            f"q{i}": Answer(f"q{i}", "met", note=f"Radio check number {i}") for i in range(50)}))
    monkeypatch.setattr(search_mod, "DEEP_CHECK_AT_OPEN_ROWS", 10)
    _damage(data_dir, "UPDATE search_items_fts_data SET block = randomblob(length(block))"
                      " WHERE id > 10")
    with Store.open(data_dir) as store:
        conn = store.db.reader()
        assert search_mod.index_problem(conn, deep=True) is not None  # not repaired at open
        assert len(store.search("radio check")) == 50
        assert search_mod.index_problem(conn, deep=True) is None


def test_read_only_copy_without_index_still_finds(data_dir):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment(answers={
            "q": Answer("q", "met", note="100% of staff trained_on CPR")}))
    _damage(data_dir, "DROP TABLE search_items_fts")
    with Store.open(data_dir, read_only=True) as viewer:
        [hit] = viewer.search("cpr staff")
        assert hit.question_id == "q"
        assert viewer.search("trained_on") and not viewer.search("trainedXon")
        assert len(viewer.search("100")) == 1


def test_rebuild_commits_or_rolls_back_as_one(data_dir):
    """sqlite-utils inside our BEGIN IMMEDIATE: nothing it does is committed on its own."""
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment(answers={"q": Answer("q", "met", note="alpha")}))
    conn = sqlite3.connect(data_dir / "nasro.db", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    search_mod.drop_index(conn)
    conn.execute("INSERT INTO answers (assessment_id, question_id, note, updated)"
                 " VALUES (1, 'q9', 'beta', '2026-01-01T00:00:00+00:00')")
    search_mod.create_index(conn)
    assert conn.in_transaction
    conn.execute("ROLLBACK")
    # as before: the index has alpha, not beta, and is sound
    assert search_mod.index_problem(conn) is None
    assert [h.text for h in search_mod.search(conn, "alpha beta")] == []
    assert [h.text for h in search_mod.search(conn, "alpha")] == ["alpha"]
    assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
    conn.close()


def test_create_index_refuses_to_run_outside_a_transaction(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    with pytest.raises(RuntimeError, match="inside the store's transaction"):
        search_mod.create_index(conn)
    conn.close()


def test_a_file_of_the_current_release_is_migrated_with_its_data(data_dir, monkeypatch):
    """A data file at schema version 1 (the release before this one) gains the index and
    the predecessor table; its answers are found; a copy was put aside first."""
    from nasro_desktop.store import rows

    monkeypatch.setattr(schema_mod, "MIGRATIONS", schema_mod.MIGRATIONS[:1])
    columns = rows.columns  # that release's action items had no person (schema version 4)
    monkeypatch.setattr(rows, "columns", lambda table: tuple(
        c for c in columns(table) if c != "person"))
    with Store.open(data_dir) as old:
        session = Session.open_sample(old)
        old.save_answer(session.assessment_id, Answer("x", "met", note="legacy wording"))
        assert "predecessors" not in {
            r[0] for r in old.db.reader().execute("SELECT name FROM sqlite_master")}
    # that release never had the index (this one builds it on open if missing)
    _damage(data_dir, "BEGIN", *(f"DROP TRIGGER IF EXISTS {name}"
                                for name in search_mod._trigger_names()),
            "DROP TABLE search_items_fts", "DROP TABLE search_items", "COMMIT")
    monkeypatch.undo()
    with Store.open(data_dir) as store:
        assert [h.assessment_id for h in store.search("legacy")] == [session.assessment_id]
        assert len(store.search("training")) >= 2  # the sample's own notes
        assert any(b.kind == "pre-migration" for b in store.backups.all())
        new = store.start_next_year(session.assessment_id, date(2027, 9, 1))
        assert store.predecessor_of(new.id) == session.assessment_id
        version = store.db.reader().execute("SELECT max(version) FROM schema_version")
        assert version.fetchone()[0] == len(schema_mod.MIGRATIONS)


def test_sqlite_utils_is_not_imported_to_open_or_search(data_dir):
    with Store.open(data_dir) as store:
        store.create_assessment(_assessment(answers={"q": Answer("q", "met", note="gamma")}))
    code = (
        "import sys\n"
        "from nasro_desktop.store import Store\n"
        f"with Store.open({str(data_dir)!r}) as s:\n"
        "    assert len(s.search('gamma')) == 1\n"
        "import nasro_desktop.cli\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_cli_search(data_dir, capsys):
    with Store.open(data_dir) as store:
        a = store.create_assessment(_assessment(
            title="Fall review\x1b[31m 2026",
            answers={"q.one": Answer("q.one", "met", note="Lockdown drill held\u202e in May")}))
    assert main(["--data-dir", str(data_dir), "search", "lockdown", "drill"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "1 found for 'lockdown drill':"
    assert f"[{a.id}] Fall review\\u001b[31m 2026 (2026-09-01) - Note, q.one" in out
    assert "[Lockdown] [drill] held\\u202e in May" in out
    assert "\x1b" not in out and "\u202e" not in out
    assert main(["--data-dir", str(data_dir), "search", "hurricane"]) == 0
    assert "Nothing found for 'hurricane'" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "search", "--", "*"]) == 1
    assert "Give one or more words" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir / "none"), "search", "x"]) == 1
    assert "no saved assessments yet" in capsys.readouterr().err


def test_many_hits_in_a_deleted_assessment_do_not_hide_the_others(store):
    kept = store.create_assessment(_assessment(answers={"q": Answer("q", "met", note="hail")}))
    gone = store.create_assessment(_assessment(answers={
        f"q{i}": Answer(f"q{i}", "met", note=f"hail damage {i}") for i in range(40)}))
    store.delete_assessment(gone.id)
    [hit] = store.search("hail", limit=1)
    assert hit.assessment_id == kept.id
    assert len(store.search("hail")) == 1


def test_snippet_marks_the_words_found():
    text = "Minh Nguyễn leads the bilingual parents' evening each term, with the counselor."
    assert search_mod.snippet(text, ["nguyen", "parent"]) == (
        "Minh [Nguyễn] leads the bilingual [parents]' evening each term, with the counselor.")
    long = " ".join(f"w{i}" for i in range(40)) + " radio " + " ".join(f"x{i}" for i in range(40))
    cut = search_mod.snippet(long, ["radio"])
    assert cut.startswith("… ") and cut.endswith(" …") and "[radio]" in cut
    assert len(cut.split()) <= 18


# --- the Find dialog ------------------------------------------------------------------------


def _focused():
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()


def _find_and_open(qtbot, window, words):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = window._find_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and _focused() is dialog.query, timeout=2000)
    dialog.query.selectAll()
    qtbot.keyClicks(dialog.query, words)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.hits, dialog.status.text()
    assert _focused() is dialog.table and dialog.table.currentRow() == 0
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    return dialog


def test_find_by_keyboard_opens_the_question_of_another_assessment(qtbot, store, tmp_path):
    from ui_support import make_window

    first = Session.open_sample(store)
    second = Session.open_sample(store)
    qid = "admin.sro.full_time_officer"
    store.save_answer(second.assessment_id, Answer(qid, "met", note="Payroll letter on file"))
    window = make_window(qtbot, store)
    window.open_assessment(first.assessment_id)
    assert window.session.assessment_id == first.assessment_id

    dialog = _find_and_open(qtbot, window, "payroll letter")
    assert dialog.status.text().startswith("Found in 1 place")
    assert dialog.table.item(0, 2).text() == "[Payroll] [letter] on file"
    dialog.grab().save(str(tmp_path / "find.png"))
    assert window.session.assessment_id == second.assessment_id
    page = window.workspace.pages[window.current_page]
    assert page.block_for(qid) is not None

    # an action item opens the first question of its standard, in the open assessment
    standard = window.session.form.question(qid).standard
    item = next(i for i in window.session.assessment.action_items if i.standard_id)
    store.save_action_item(second.assessment_id,
                           dataclasses.replace(item, next_step="Ask the county for radios"))
    _find_and_open(qtbot, window, "county radios")
    target = next(q.id for q in window.session.form.questions if q.standard == item.standard_id)
    found = window.session.form.standard(item.standard_id)  # its number and title, not the id
    assert dialog.table.item(0, 1).text() == f"Action item ({found.number} {found.title})"
    assert window.workspace.pages[window.current_page].block_for(target) is not None
    assert standard  # the first search's question had a standard too

    # nothing found says so in words; the Open button stays off
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _focused() is dialog.query, timeout=2000)
    assert dialog.query.selectedText() == "county radios"  # typing replaces the last words
    qtbot.keyClicks(dialog.query, "zebra")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.status.text().startswith("Nothing found for “zebra”")
    assert not dialog.open_button.isEnabled() and dialog.table.rowCount() == 0
    for widget in (dialog.query, dialog.table, dialog.open_button, dialog.status):
        assert widget.accessibleName()
    dialog.reject()


def test_find_works_from_the_start_screen(qtbot, store):
    from ui_support import make_window

    session = Session.open_sample(store)
    store.save_officer(session.assessment_id, Officer(name="Minh Nguyễn", note="Speaks Tagalog"))
    window = make_window(qtbot, store)
    assert window.session is None
    _find_and_open(qtbot, window, "tagalog")
    assert window.session.assessment_id == session.assessment_id
    assert window.current_page == "profile"


def test_save_as_spreadsheet_is_in_the_file_menu(qtbot, store):
    from ui_support import make_window

    window = make_window(qtbot, store)
    file_menu = window.menuBar().actions()[0].menu()
    names = [a.text() for a in file_menu.actions()]
    assert names.index("Save as &spreadsheet…") == names.index("&Export this assessment…") + 1
    go = [a.text() for a in window.go_menu.actions()]
    assert go[:2] == ["&Back", "&Next"] and "&Find…" in go


def test_imported_and_restored_assessments_are_found(store, data_dir, tmp_path):
    a = store.create_assessment(_assessment(answers={
        "q": Answer("q", "met", note="Signed by the sheriff in June")}))
    exported = exchange.export_assessment(store, a.id, tmp_path / "one.json")
    backup = store.backups.save_to(tmp_path / "all.db")
    new_id = exchange.import_assessment(store, exported)
    assert {h.assessment_id for h in store.search("sheriff june")} == {a.id, new_id}
    store.close()
    restore_backup(data_dir, backup)
    with Store.open(data_dir) as restored:
        assert {h.assessment_id for h in restored.search("sheriff")} == {a.id}


def test_down_from_the_words_goes_to_the_results(qtbot, store):
    """Down in the words box moves to the first result (as Enter does), even before the
    search's pause has run; with nothing found it stays in the words."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from ui_support import make_window

    session = Session.open_sample(store)
    store.save_answer(session.assessment_id,
                      Answer("admin.sro.full_time_officer", "met", note="Payroll letter on file"))
    window = make_window(qtbot, store)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    dialog = window._find_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and _focused() is dialog.query, timeout=2000)
    qtbot.keyClicks(dialog.query, "zebra")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    assert _focused() is dialog.query and not dialog.hits
    dialog.query.selectAll()
    qtbot.keyClicks(dialog.query, "payroll")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # at once: the pause has not run yet
    assert dialog.hits
    assert _focused() is dialog.table and dialog.table.currentRow() == 0
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.session is not None and window.session.assessment_id == session.assessment_id


def test_a_double_click_on_a_result_opens_it_once(qtbot, store):
    """A double-click is one activation of the result (heard as `doubleClicked` as well, it
    asked the window to open the assessment twice)."""
    from PySide6.QtCore import Qt

    from nasro_desktop.ui.find_dialog import FindDialog

    session = Session.open_sample(store)
    store.save_answer(session.assessment_id,
                      Answer("admin.sro.full_time_officer", "met", note="Payroll letter on file"))
    dialog = FindDialog(store)
    qtbot.addWidget(dialog)
    opened: list = []
    dialog.open_requested.connect(opened.append)
    dialog.show_for(store)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.query, "payroll")
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.hits
    rect = dialog.table.visualItemRect(dialog.table.item(0, 2))
    # a real double-click: a press and release, then the double-click event
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1 and opened[0].assessment_id == session.assessment_id
