"""Getting data back through the window (pytest-qt, offscreen): the automatic backup and purge
after the start screen, File > Restore from a backup…, File > Recently deleted…, and upgrading
an assessment to a newer question set (with a real second question-set file)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_support import make_window  # noqa: E402

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.model import Answer, Assessment
from nasro_desktop.store import Store
from nasro_desktop.ui import main_window as main_window_module

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "screenshots" / "recovery"
AS_OF = date(2026, 9, 15)
TECHNICAL = ("Errno", "SQLITE", "Traceback", "sqlite3", "Error:")


def add(store, title: str, agency: str = "Millbrook Police Department", **extra) -> int:
    assessment = Assessment(title=title, agency=agency, district="Millbrook USD", as_of=AS_OF,
                            form_id="nasro-2018", form_version=1, **extra)
    created = store.create_assessment(assessment)
    assert created.id is not None
    return created.id


def titles(window) -> list[str]:
    return [s.title for s in window.start.model.summaries]


def file_action(window, text: str):
    menu = window.menuBar().actions()[0].menu()
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def grab(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def plain(text: str) -> None:
    assert not any(word in text for word in TECHNICAL), text


# --- automatic backup and purge ---------------------------------------------------------


def test_backup_and_purge_run_once_after_the_start_screen(qtbot, store, monkeypatch):
    from nasro_desktop.store import rows

    keep = add(store, "Deleted last week")
    old = add(store, "Deleted long ago")
    add(store, "Still in the list")
    store.delete_assessment(keep)
    long_ago = datetime.now(UTC) - timedelta(days=31)
    monkeypatch.setattr(rows, "now_utc", lambda: long_ago)
    store.delete_assessment(old)
    monkeypatch.undo()

    window = make_window(qtbot, store)
    # nothing before the start screen is up: the backup and the purge wait for it
    assert store.backups.all() == []
    assert {s.id for s in store.list_deleted()} == {keep, old}
    assert window.files.backup_running is False
    with qtbot.waitSignal(window.files.maintenance_done, timeout=10000):
        pass
    kinds = sorted(b.kind for b in store.backups.all())
    assert kinds == ["daily", "weekly"]
    assert [s.id for s in store.list_deleted()] == [keep]  # only the 31-day-old one went
    assert not window.backup_label.isVisible()
    assert QApplication.activeModalWidget() is None  # never a dialog

    # once per start: coming back to the start screen does not run it again
    for backup in store.backups.all():
        backup.path.unlink()
    window.open_assessment(store.list_assessments()[0].id)
    window.show_start()
    qtbot.wait(main_window_module.MAINTENANCE_DELAY_MS + 400)
    assert store.backups.all() == []


def test_a_failed_automatic_backup_is_one_quiet_plain_status_line(qtbot, store):
    add(store, "Our assessment")
    # a real obstacle: a plain file sits where the backups folder should be
    (store.data_dir / "backups").write_text("not a folder")
    window = make_window(qtbot, store)
    with qtbot.waitSignal(window.files.maintenance_done, timeout=10000):
        pass
    assert QApplication.activeModalWidget() is None
    assert window.backup_label.isVisible()
    text = window.backup_label.text()
    assert text.startswith("Today's automatic backup could not be made: the backups folder")
    assert text.endswith("Your answers are safe; use File > Back up now…")
    plain(text)
    assert window.backup_label.accessibleName() == "Automatic backup"
    assert titles(window) == ["Our assessment"]  # the app goes on as normal


def test_a_full_disk_during_the_automatic_backup_is_said_plainly(qtbot, tmp_path):
    import subprocess

    disk = tmp_path / "tiny"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small disk here (needs root)")
    try:
        with Store.open(disk / "data") as store:
            add(store, "Our assessment", agency="x" * 300)
            # fill the disk for real; unbuffered, so closing the file has nothing left to
            # write (a buffered close failed again with "no space left on device")
            with open(disk / "filler", "wb", buffering=0) as handle:
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                except OSError:
                    pass
            window = make_window(qtbot, store)
            with qtbot.waitSignal(window.files.maintenance_done, timeout=10000):
                pass
            text = window.backup_label.text()
            assert text.startswith("Today's automatic backup could not be made: the disk is "
                                   "full."), text
            plain(text)
            window.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


# --- File > Restore from a backup… ------------------------------------------------------


def test_restore_from_a_backup_through_the_file_menu(qtbot, store, monkeypatch):
    monkeypatch.setattr(main_window_module, "MAINTENANCE_DELAY_MS", 60_000)
    add(store, "Before the backup")
    made = store.backups.auto()
    assert made is not None
    later = add(store, "Made after the backup")
    window = make_window(qtbot, store)
    window.open_assessment(later)
    assert window.session is not None
    seen: dict = {}

    def in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        table = dialog.table
        seen["rows"] = [[table.item(r, c).text() for c in range(3)]
                        for r in range(table.rowCount())]
        dialog.resize(720, 420)
        grab(dialog, "restore_backup_dialog")
        seen["focus"] = QApplication.focusWidget()
        daily = next(r for r, b in enumerate(dialog.backups) if b.kind == "daily")
        table.selectRow(daily)
        QTimer.singleShot(100, in_confirmation)
        dialog.restore_button.click()

    def in_confirmation() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["confirm"] = box.text() + "\n" + box.informativeText()
        assert box.defaultButton().text() == "Cancel"
        grab(box, "restore_backup_confirm")
        next(b for b in box.buttons() if b.text() == "Restore").click()

    QTimer.singleShot(100, in_dialog)
    file_action(window, "Restore from a backup…").trigger()
    try:
        today = long_date(date.today())
        assert ["Daily (automatic)", "Weekly (automatic)"] == sorted(r[1] for r in seen["rows"])
        assert all(r[0].startswith(today + " at ") for r in seen["rows"])
        assert all(r[2].endswith(("KB", "MB")) for r in seen["rows"])
        assert seen["focus"] is seen["dialog"].table  # keyboard: Enter restores the selection
        assert seen["confirm"].startswith("Restore the daily backup made " + today + " at ")
        assert "kept aside first" in seen["confirm"]
        # the store was closed, the backup restored and the data opened again
        assert window.store is not store and window.start.store is window.store
        assert window.session is None and window.workspace is None
        assert window.outer.currentWidget() is window.start
        assert titles(window) == ["Before the backup"]
        assert "restored from the backup made " + today in window.start.message.text()
        # the status bar's words are whole beside its "Saved at…" (the QA pass saw them cut)
        bar = window.statusBar()
        said = bar.currentMessage()
        assert said.startswith("✔ Restored from the backup")
        beside = max(window.status_label.width(), window.status_label.sizeHint().width())
        assert bar.fontMetrics().horizontalAdvance(said) + beside + 40 <= bar.width(), said
        # what was there before is kept aside, as a backup "made by you", and can come back
        aside = [b for b in window.store.backups.all() if b.kind == "manual"]
        assert len(aside) == 1
        assert window.files.restore_from(aside[0].path)
        assert sorted(titles(window)) == ["Before the backup", "Made after the backup"]
    finally:
        window.store.close()


def test_a_damaged_backup_is_refused_plainly_and_nothing_changes(qtbot, store, monkeypatch,
                                                                  tmp_path):
    monkeypatch.setattr(main_window_module, "MAINTENANCE_DELAY_MS", 60_000)
    add(store, "Our assessment")
    damaged = tmp_path / "backup.db"
    shutil.copyfile(store.backups.save_to(tmp_path / "good.db"), damaged)
    raw = bytearray(damaged.read_bytes())
    raw[:100] = b"this is not a database any more " * 3 + b"....."
    damaged.write_bytes(bytes(raw))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, title, text, *a, **k: shown.append(text)))
    window = make_window(qtbot, store)
    try:
        assert not window.files.restore_from(damaged)
        assert len(shown) == 1 and "backup.db" in shown[0] and "Choose another" in shown[0]
        plain(shown[0])
        assert titles(window) == ["Our assessment"]
        window.store.save_details(window.store.list_assessments()[0].id, title="Still saving")
        window.show_start()
        assert titles(window) == ["Still saving"]
    finally:
        window.store.close()


def test_the_restore_dialog_with_no_backups_says_what_to_do(qtbot, store):
    window = make_window(qtbot, store)
    dialog = window.files.restore_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.table.isVisible() and dialog.empty.isVisible()
    assert "automatically each day" in dialog.empty.text()
    assert not dialog.restore_button.isEnabled() and dialog.file_button.isEnabled()
    for button in (dialog.restore_button, dialog.file_button, dialog.close_button):
        assert button.accessibleName() and button.accessibleDescription()


# --- File > Recently deleted… -----------------------------------------------------------


def test_recently_deleted_lists_and_restores_into_the_start_screen(qtbot, store):
    add(store, "Kept one")
    gone = add(store, "Deleted by mistake", agency="Pine Ridge Sheriff's Office")
    window = make_window(qtbot, store)
    window.start.select_id(gone)
    window.start.delete_selected()
    assert titles(window) == ["Kept one"]
    assert file_action(window, "Recently deleted…").isEnabled()

    dialog = window.files.recently_deleted_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    grab(dialog, "recently_deleted_dialog")
    cells = [dialog.table.item(0, c).text() for c in range(4)]
    today = date.today()
    assert cells[0] == "Deleted by mistake" and cells[1] == "Pine Ridge Sheriff's Office"
    assert cells[2].startswith(long_date(today) + " at ")
    assert cells[3] == long_date(today + timedelta(days=30))
    assert dialog.table.accessibleName() == "Deleted assessments"
    assert dialog.focusWidget() is dialog.table
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter restores the selected one
    assert dialog.table.rowCount() == 0 and dialog.empty.isVisible()
    assert "is back in your list" in dialog.message.text()
    assert sorted(titles(window)) == ["Deleted by mistake", "Kept one"]
    assert window.start.selected_summary().id == gone
    assert store.list_deleted() == []


def test_a_deletion_undone_through_recently_deleted_no_longer_offers_undo(qtbot, store):
    """Delete on the start screen, then File > Recently deleted… > Restore: the start screen's
    "…was deleted. You can undo this" line is gone (it told of a deletion already undone)."""
    add(store, "Kept one")
    gone = add(store, "Deleted by mistake")
    window = make_window(qtbot, store)
    window.start.select_id(gone)
    qtbot.mouseClick(window.start.delete_button, Qt.MouseButton.LeftButton)
    assert not window.start.undo_bar.isHidden()
    dialog = window.files.recently_deleted_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # Enter restores the selected one
    assert "is back in your list" in dialog.message.text()
    dialog.close()
    assert sorted(titles(window)) == ["Deleted by mistake", "Kept one"]
    assert window.start.undo_bar.isHidden()
    assert window.start.selected_summary().id == gone


# --- upgrading to a newer question set --------------------------------------------------

OLD_ID = "admin.support.superintendent"
NEW_ID = "admin.support.district_leader"
ADDED_ID = "admin.support.board"


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    """forms/nasro-2018/v1.yaml as it is, and a v2.yaml: one question under a new id (with
    `replaces`), one new question; the app pointed at that folder."""
    from nasro_desktop.domain import forms

    folder = tmp_path / "forms" / "nasro-2018"
    folder.mkdir(parents=True)
    source = (ROOT / "forms" / "nasro-2018" / "v1.yaml").read_text(encoding="utf-8")
    (folder / "v1.yaml").write_text(source, encoding="utf-8")
    v2 = source.replace("\nversion: 1\n", "\nversion: 2\n", 1)
    assert f"  - id: {OLD_ID}\n" in v2
    v2 = v2.replace(f"  - id: {OLD_ID}\n", f"  - id: {NEW_ID}\n    replaces: [{OLD_ID}]\n", 1)
    anchor = "\n  # 01.01.04 The MOU"
    assert anchor in v2
    added = f"""
  - id: {ADDED_ID}
    section: administration
    standard: "01.01.03"
    type: status
    text: Has your school board been told how the SRO program works this year?
    help:
      why: The board approves the program's money and should know how it runs.
      evidence: Board minutes that record the briefing.
    na:
      allowed: false
      why: Every SRO program needs this.
"""
    v2 = v2.replace(anchor, added + anchor, 1)
    (folder / "v2.yaml").write_text(v2, encoding="utf-8")
    registry = forms.FormRegistry(tmp_path / "forms")
    assert registry.versions("nasro-2018") == [1, 2]
    monkeypatch.setattr(forms, "form_registry", lambda: registry)  # session.py calls it as
    # forms.form_registry(), so this one patch reaches it too
    return registry


def answer_shown(window, question_id: str):
    for spec in window.session.pages:
        if question_id in spec.question_ids:
            window.go_to(spec.id)
            block = window.workspace.pages[spec.id].block_for(question_id)
            return block.chooser.value()
    raise AssertionError(f"{question_id} is on no page")


def test_upgrade_to_the_newer_questions_carries_answers_over(qtbot, store, two_versions,
                                                             monkeypatch):
    monkeypatch.setattr(main_window_module, "MAINTENANCE_DELAY_MS", 60_000)
    answers = {OLD_ID: Answer(OLD_ID, "met", note="Briefed in August"),
               "admin.support.agency_head": Answer("admin.support.agency_head", "partly")}
    assessment_id = add(store, "Millbrook 2026", answers=answers)
    window = make_window(qtbot, store)
    window.open_assessment(assessment_id)
    bar = window.workspace.upgrade_bar
    assert bar.isVisible()
    assert bar.label.text() == ("This assessment uses version 1 of the questions; version 2 "
                                "is available.")
    assert bar.button.accessibleName() == "Upgrade"
    assert window.upgrade_action.isEnabled()
    assert answer_shown(window, OLD_ID) == "met"
    grab(window, "upgrade_bar")

    # Cancel changes nothing
    QTimer.singleShot(100, lambda: next(
        b for b in QApplication.activeModalWidget().buttons() if b.text() == "Cancel").click())
    bar.button.click()
    assert window.session.form.version == 1 and store.load_assessment(assessment_id).form_version == 1

    seen: dict = {}

    def in_confirmation() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text() + "\n" + box.informativeText()
        box.resize(640, 300)
        grab(box, "upgrade_confirm")
        next(b for b in box.buttons() if b.text() == "Upgrade").click()

    QTimer.singleShot(100, in_confirmation)
    bar.button.click()
    assert "version 2" in seen["text"] and "carry over" in seen["text"]
    assert "new in version 2 appear unanswered" in seen["text"]
    session = window.session
    assert session.form.version == 2
    assert store.load_assessment(assessment_id).form_version == 2
    # through the window: the old answer is shown under the new id, the new one is empty
    assert answer_shown(window, NEW_ID) == "met"
    assert session.answer(NEW_ID).note == "Briefed in August"
    assert answer_shown(window, ADDED_ID) is None
    assert answer_shown(window, "admin.support.agency_head") == "partly"
    assert not window.workspace.upgrade_bar.isVisible() and not window.upgrade_action.isEnabled()
    assert "1 new question to answer" in window.statusBar().currentMessage()
    assert [b.kind for b in store.backups.all()] == ["pre-migration"]
    # and it stays upgraded when opened again
    window.show_start()
    window.open_assessment(assessment_id)
    assert window.session.form.version == 2 and not window.workspace.upgrade_bar.isVisible()


def test_no_upgrade_bar_when_the_assessment_uses_the_newest_questions(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    assert window.workspace.upgrade_bar is not None and not window.workspace.upgrade_bar.isVisible()
    assert not window.upgrade_action.isEnabled()


# --- the recovery dialog when the data cannot be opened as it is -----------------------------


def _answer_dialog(choice: str, seen: dict) -> None:
    """Click `choice` in the modal dialog when it shows; note its texts and buttons."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        seen.setdefault("texts", []).append(box.text() + "\n" + box.informativeText())
        seen.setdefault("buttons", []).append([b.text() for b in box.buttons()])
        seen.setdefault("default", []).append(getattr(box.defaultButton(), "text", str)())
        if "shot" in seen:
            grab(box, seen.pop("shot"))
        next(b for b in box.buttons() if b.text() == choice).click()

    QTimer.singleShot(50, answer)


def _foreign_wal(tmp_path) -> Path:
    """Our data folder with the -wal of another database beside it, as a sync tool leaves it."""
    ours, theirs = tmp_path / "data", tmp_path / "theirs"
    with Store.open(ours) as store:
        add(store, "Millbrook 2026 review")
    theirs.mkdir()
    # another of our databases, its -wal left as by a crash (a copy taken while it was open)
    with Store.open(theirs) as other:
        add(other, "Somebody else's review")
        other.db.reader().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        other.save_answer(1, Answer("q.other", "met"))
        shutil.copyfile(theirs / "nasro.db-wal", ours / "nasro.db-wal")
    return ours


def test_a_wal_that_does_not_belong_goes_through_the_dialog_and_is_dropped(qtbot, tmp_path):
    from nasro_desktop.ui.open_store import open_store

    data = _foreign_wal(tmp_path)
    seen: dict = {"shot": "foreign-wal-dialog"}
    _answer_dialog("Open my data without the extra file", seen)
    store = open_store(str(data))
    assert store is not None
    with store:
        assert [s.title for s in store.list_assessments()] == ["Millbrook 2026 review"]
    [text] = seen["texts"]
    assert "does not belong" in text and "kept here" in text and "nothing is lost" in text
    plain(text)
    assert "Restore the newest backup" not in seen["buttons"][0]  # no backup yet: not offered
    assert len(list(data.glob("nasro-wal-kept-*"))) == 2


def test_a_missing_file_beside_backups_offers_the_newest_backup(qtbot, tmp_path):
    from nasro_desktop.ui.open_store import open_store

    data = tmp_path / "data"
    with Store.open(data) as store:
        add(store, "Millbrook 2026 review")
        store.backups.auto()
    (data / "nasro.db").unlink()
    seen: dict = {}
    _answer_dialog("Restore the newest backup", seen)
    store = open_store(str(data))
    with store:
        assert [s.title for s in store.list_assessments()] == ["Millbrook 2026 review"]
    assert "missing" in seen["texts"][0] and "newest backup is from" in seen["texts"][0]


def test_a_newer_file_can_be_viewed_and_is_never_written(qtbot, tmp_path):
    import sqlite3

    from nasro_desktop.ui.open_store import open_store

    data = tmp_path / "data"
    with Store.open(data) as store:
        add(store, "Millbrook 2026 review")
    conn = sqlite3.connect(data / "nasro.db")
    with conn:
        conn.execute("INSERT INTO schema_version VALUES (99, '9.0.0', '2031-01-01T00:00:00')")
    conn.close()
    before = (data / "nasro.db").read_bytes()
    seen: dict = {}
    _answer_dialog("View it only (no changes)", seen)
    store = open_store(str(data))
    assert store is not None and store.read_only  # the window shows it, not quits
    with store:
        assert [s.title for s in store.list_assessments()] == ["Millbrook 2026 review"]
    assert "9.0.0" in seen["texts"][0]
    assert (data / "nasro.db").read_bytes() == before


def test_another_programs_file_start_empty_puts_it_aside(qtbot, tmp_path):
    import sqlite3

    from nasro_desktop.ui.open_store import open_store

    data = tmp_path / "data"
    data.mkdir()
    conn = sqlite3.connect(data / "nasro.db")
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    before = (data / "nasro.db").read_bytes()
    seen: dict = {}
    _answer_dialog("Start with no saved assessments", seen)
    store = open_store(str(data))
    with store:
        assert store.list_assessments() == []
    assert "not this app's saved data" in seen["texts"][0]
    [aside] = data.glob("nasro-set-aside-*.db")
    assert aside.read_bytes() == before


def test_a_dangling_link_is_explained_and_quit_changes_nothing(qtbot, tmp_path):
    from nasro_desktop.ui.open_store import open_store

    data = tmp_path / "data"
    data.mkdir()
    (data / "nasro.db").symlink_to(tmp_path / "usb" / "nasro.db")
    seen: dict = {}
    _answer_dialog("Quit", seen)
    assert open_store(str(data)) is None
    assert "does not exist" in seen["texts"][0]
    assert (data / "nasro.db").is_symlink() and not (tmp_path / "usb").exists()


def test_a_link_to_our_data_elsewhere_can_be_viewed_and_is_never_written(qtbot, tmp_path):
    """The recovery box's View it only: the file a link points to, outside the data folder,
    opened read-only (the default button), never changed."""
    from nasro_desktop.ui.open_store import open_store

    elsewhere = tmp_path / "usb"
    with Store.open(elsewhere) as store:
        add(store, "Millbrook 2026 review")
    target = elsewhere / "nasro.db"
    before = target.read_bytes()
    data = tmp_path / "data"
    data.mkdir()
    (data / "nasro.db").symlink_to(target)
    seen: dict = {}
    _answer_dialog("View it only (no changes)", seen)
    store = open_store(str(data))
    assert store is not None and store.read_only
    with store:
        assert [s.title for s in store.list_assessments()] == ["Millbrook 2026 review"]
    assert "outside your data folder" in seen["texts"][0]
    assert seen["default"] == ["View it only (no changes)"]
    assert target.read_bytes() == before


def test_one_damaged_assessment_is_named_and_the_others_stay_listed(qtbot, store, monkeypatch):
    import sqlite3

    keep = add(store, "Millbrook 2026 review")
    broken = add(store, "Oak Hill 2026 review")
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE assessments SET as_of = '2026-02-30' WHERE id = ?", (broken,))
    conn.commit()
    conn.close()
    window = make_window(qtbot, store)
    listed = titles(window)
    assert "Millbrook 2026 review" in listed
    assert any(t.startswith("Oak Hill 2026 review") and "damaged" in t for t in listed)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: shown.append(text)))
    window.open_assessment(broken)
    [text] = shown
    assert "Oak Hill 2026 review" in text and "other assessments are fine" in text
    plain(text)
    window.open_assessment(keep)  # the others open as usual
    assert window.session is not None and window.session.assessment_id == keep


def test_a_read_only_view_marks_changes_not_saved_instead_of_failing(qtbot, tmp_path):
    import sqlite3

    data = tmp_path / "data"
    with Store.open(data) as store:
        aid = add(store, "Millbrook 2026 review")
    conn = sqlite3.connect(data / "nasro.db")
    with conn:
        conn.execute("INSERT INTO schema_version VALUES (99, '9.0.0', '2031-01-01T00:00:00')")
    conn.close()
    before = (data / "nasro.db").read_bytes()
    view = Store.open(data, read_only=True)
    window = make_window(qtbot, view)
    window.open_assessment(aid)
    first = window.session.pages[0]
    window.go_to(first.id)
    block = window.workspace.pages[first.id].blocks[0]
    block.chooser.button("partly").click()  # no error box, no crash
    qtbot.wait(100)  # the refresh that follows a change runs too
    assert "viewing only" in window.status_label.toolTip()
    window.force_quit = True
    window.close()
    view.close()
    assert (data / "nasro.db").read_bytes() == before


def test_a_setting_that_cannot_be_saved_is_written_to_the_problems_log(qtbot, tmp_path):
    from nasro_desktop.problem_log import LOG_NAME
    from nasro_desktop.ui import style

    data = tmp_path / "data"
    Store.open(data).close()
    view = Store.open(data, read_only=True)  # every write is refused, for real
    window = make_window(qtbot, view)
    try:
        window.set_text_scale(style.NORMAL * 1.25)  # no error box, the text still grows
        assert style.current_scale() > style.NORMAL
        log = (data / LOG_NAME).read_text(encoding="utf-8")
        assert "saving the text size" in log and "viewing only" in log
    finally:
        window.set_text_scale(style.NORMAL)
        window.force_quit = True
        window.close()
        view.close()


def test_a_store_that_cannot_be_read_is_said_plainly_in_the_lists(qtbot, store):
    """The data gone from under the running app (here: its connection closed): the start
    screen and Recently deleted… say so in plain words and stay usable (no traceback)."""
    add(store, "Kept one")
    window = make_window(qtbot, store)
    store.close()
    window.start.reload()
    said = window.start.message.text()
    assert said and "Traceback" not in said and "Error" not in said
    assert window.start.empty.isVisible() and window.start.new_button.isEnabled()
    dialog = window.files.recently_deleted_dialog()
    qtbot.addWidget(dialog)
    assert dialog.message.text() == said and not dialog.restore_button.isEnabled()
