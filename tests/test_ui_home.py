"""The assessment home, Next unanswered (Ctrl+J), page jumps and the Back/Next double-click
guard, driven in the real window (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_shell import compliant_people, profile_done, start_new
from ui_support import make_window

from nasro_desktop.domain.model import AnswerType
from nasro_desktop.store import exchange
from nasro_desktop.ui.home_page import open_questions
from nasro_desktop.ui.navigation import HOME, PROFILE, READINESS

ANSWER = {AnswerType.STATUS: "met", AnswerType.YESNO: "yes", AnswerType.TEXT: "Both parties",
          AnswerType.DATE: date(2026, 8, 1), AnswerType.INTEGER: 2}


def answer_everything(session) -> None:
    """Every visible question answered (answers can reveal follow-ups: until none is left)."""
    compliant_people(session)
    for _ in range(10):
        left = open_questions(session)
        if not left:
            return
        for item in left:
            question = session.form.question(item.question_id)
            value = question.options[0] if question.type is AnswerType.CHOICE else \
                ANSWER[question.type]
            session.set_answer(question.id, value)


def click_primary(qtbot, window) -> None:
    window.refresh_now()
    home = window.workspace.pages[HOME]
    qtbot.mouseClick(home.primary, Qt.MouseButton.LeftButton)


def test_a_new_assessment_says_not_started_and_starts_at_the_first_question(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    home = window.workspace.pages[HOME]
    assert window.current_page == HOME
    assert "Not started" in home.status.text()
    assert "Not ready" not in home.status.text()
    assert home.primary.text() == "Start the interview"
    assert "minutes" in home.explanation.text() or "hour" in home.explanation.text()
    assert "Not started" in window.workspace.sidebar.section_list.item(len(window.workspace.sections) - 1).text()
    assert "Not started" in window.workspace.sidebar.section_list.item(0).text()
    first = open_questions(window.session)[0]
    click_primary(qtbot, window)
    assert window.current_page == first.page_id == PROFILE  # officers and schools come first


def test_the_primary_button_goes_to_unanswered_then_unmet_required_then_readiness(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    profile_done(session)
    # 1. questions left: the first unanswered question, focused and highlighted
    first = open_questions(session)[0]
    click_primary(qtbot, window)
    assert window.current_page == first.page_id
    block = window.workspace.pages[first.page_id].block_for(first.question_id)
    assert block.isAncestorOf(QApplication.focusWidget())
    assert block.property("highlighted") and block.jumped_label.isVisible()
    # 2. all answered, one required item not met: its page
    answer_everything(session)
    gap = next(q for q in session.form.questions
               if q.type == AnswerType.STATUS and q.standard
               and session.form.standard(q.standard).cls == "mandatory")
    session.set_answer(gap.id, "not_met")
    window.go_to(HOME)
    window.refresh_now()
    home = window.workspace.pages[HOME]
    assert home.primary.text() == "Fix the next mandatory item"
    assert "1 mandatory item not met" in home.status.text()
    standard = session.form.standard(gap.standard)
    assert standard.title in home.gaps_label.text() and standard.number in home.gaps_label.text()
    click_primary(qtbot, window)
    assert window.workspace.spec(window.current_page).standard_id == gap.standard
    # 3. everything met: the verdict
    session.set_answer(gap.id, "met")
    window.go_to(HOME)
    window.refresh_now()
    assert window.workspace.pages[HOME].primary.text() == "See the readiness verdict"
    click_primary(qtbot, window)
    assert window.current_page == READINESS


def test_next_unanswered_walks_every_open_question_exactly_once(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    # some answered, so the walk has gaps to skip
    for spec in session.pages[::3]:
        session.set_answer(spec.question_ids[0], "met")
    window.refresh_now()
    expected = [(q.page_id, q.question_id) for q in open_questions(session)]
    assert len(expected) > 50
    seen = []
    for _ in expected:
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_J,
                       Qt.KeyboardModifier.ControlModifier)
        seen.append((window.current_page, window.workspace.current_question()))
    assert seen == expected
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_J,
                   Qt.KeyboardModifier.ControlModifier)
    assert (window.current_page, window.workspace.current_question()) == expected[0]  # round again


def test_next_unanswered_after_answering_moves_on_from_the_answered_question(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    profile_done(window.session)
    window.workspace.next_unanswered()
    first = window.workspace.current_question()
    page = window.workspace.pages[window.current_page]
    page.block_for(first).chooser.button("met").click()
    window.workspace.next_unanswered()
    assert window.workspace.current_question() != first
    assert window.workspace.current_question() == open_questions(window.session)[0].question_id


def test_a_fast_double_click_on_next_moves_one_page(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    window.go_to(window.session.pages[0].id)
    start = window.workspace.page_ids.index(window.current_page)
    qtbot.mouseDClick(window.workspace.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.workspace.next_button, Qt.MouseButton.LeftButton)  # within the interval
    assert window.workspace.page_ids.index(window.current_page) == start + 1
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    qtbot.mouseClick(window.workspace.next_button, Qt.MouseButton.LeftButton)
    assert window.workspace.page_ids.index(window.current_page) == start + 2


def test_a_page_opens_at_its_top(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    long_page = max(window.session.pages, key=lambda p: len(p.question_ids))
    window.go_to(long_page.id)
    page = window.workspace.pages[long_page.id]
    page.scroll_area.verticalScrollBar().setValue(page.scroll_area.verticalScrollBar().maximum())
    window.go_to(HOME)
    window.workspace.go_to_section(long_page.section)
    window.go_to(long_page.id, focus=False)
    assert page.scroll_area.verticalScrollBar().value() == 0


def test_the_home_page_follows_each_answer(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    home = window.workspace.pages[HOME]
    before = home.total_label.text()
    question = window.session.pages[0].question_ids[0]
    window.session.set_answer(question, "met")
    window.go_to(HOME)
    qtbot.waitUntil(lambda: home.total_label.text() != before)
    assert "1 of" in home.total_label.text()
    assert "Not started" not in home.status.text()


def answer_already_box(window, button_text: str) -> None:
    """Click a button of the "Already in your list" question when it comes up."""
    from PySide6.QtCore import QTimer

    def click() -> None:
        box = window.files.already_box
        if box is None or not box.isVisible():
            QTimer.singleShot(20, click)
            return
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


def test_copies_are_labelled_and_a_second_import_asks_first(qtbot, store, tmp_path):
    window = make_window(qtbot, store)
    window.open_sample()
    window.open_sample()
    titles = sorted(s.title for s in store.list_assessments())
    assert titles[0].startswith("Sample (fictional): ") and titles[1].endswith("(copy 2)")
    exported = exchange.export_assessment(store, window.session.assessment_id, tmp_path / "pine.json")
    before = len(store.list_assessments())
    # 1. open the one in the list: nothing imported
    answer_already_box(window, "Open the one in my list")
    opened = window.files.import_path(exported)
    assert len(store.list_assessments()) == before and opened == window.session.assessment_id
    assert "same answers" in window.files.already_box.text()
    # 2. import as a copy: a new one, labelled
    answer_already_box(window, "Import as a copy")
    new_id = window.files.import_path(exported)
    assert len(store.list_assessments()) == before + 1
    assert store.load_assessment(new_id).title.endswith("(imported copy 2)")
    # 3. cancel: nothing
    answer_already_box(window, "Cancel")
    assert window.files.import_path(exported) is None
    assert len(store.list_assessments()) == before + 1


def test_the_section_opens_into_its_standards_with_their_status(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    session = window.session
    gap = session.readiness.mandatory_gaps[0]
    page_id = next(p.id for p in session.pages if p.section == gap.standard.section)
    window.go_to(page_id)
    listing = window.workspace.sidebar.standards_list
    assert listing.isVisible()
    texts = [listing.item(r).text() for r in range(listing.count())]
    in_section = session.form.standards_in(gap.standard.section)
    assert len(texts) == len(in_section)
    line = next(t for t in texts if t.startswith(f"{gap.standard.number} {gap.standard.title}"))
    assert f"{gap.status.symbol} {gap.status.label}" in line  # symbol and word
    # Enter on a standard opens its page
    row = next(r for r in range(listing.count())
               if listing.item(r).text().startswith(gap.standard.number + " "
                                                   + gap.standard.title))
    listing.setFocus()
    listing.setCurrentRow(row)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    assert window.workspace.spec(window.current_page).standard_id == gap.standard.id
    window.go_to(HOME)
    assert not listing.isVisible()


def test_the_mou_topics_can_be_checked_on_one_page(qtbot, store):
    from nasro_desktop.ui.interview_page import mou_topic_pages
    from nasro_desktop.ui.page import MOU_CHECKLIST

    window = make_window(qtbot, store)
    start_new(window)
    session = window.session
    topics = mou_topic_pages(session)
    assert len(topics) == 14
    anchor = window.workspace.opened_from(MOU_CHECKLIST)
    window.go_to(anchor)
    page = window.workspace.pages[anchor]
    page.block_for("mou.exists").chooser.button("yes").click()
    button = next(b for b in page.findChildren(type(window.workspace.next_button))
                  if b.text().startswith("Check the MOU"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.current_page == MOU_CHECKLIST
    checklist = window.workspace.pages[MOU_CHECKLIST]
    shown = checklist.visible_choosers()
    assert {q for q, _c in shown} == {q for t in topics for q in t.question_ids
                                     if session.form.question(q).type == AnswerType.STATUS
                                     and session.form.question(q).is_visible(
                                         session.assessment.answers)}
    # by keyboard: Space picks the focused answer, Enter moves to the next question
    first_id, first = shown[0]
    assert first.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert session.value(first_id) == "met"
    assert shown[1][1].isAncestorOf(QApplication.focusWidget())
    # the same answer on the topic's own page
    topic = next(t for t in topics if first_id in t.question_ids)
    window.go_to(topic.id)
    assert window.workspace.pages[topic.id].block_for(first_id).chooser.value() == "met"
    window.go_to(MOU_CHECKLIST)
    qtbot.mouseClick(window.workspace.back_button, Qt.MouseButton.LeftButton)
    assert window.current_page == anchor
    window.go_to(MOU_CHECKLIST)
    done = next(b for b in checklist.findChildren(type(window.workspace.next_button))
                if b.text().startswith("Done"))
    qtbot.mouseClick(done, Qt.MouseButton.LeftButton)
    assert window.workspace.section_of(window.current_page) == "selection"


def test_after_a_restore_it_is_confirmed_and_the_old_undo_is_gone(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    window.show_start()
    made = store.backups.save_to(store.data_dir.parent / "before.db")
    window.start.table.selectRow(0)
    window.start.delete_selected()  # no question asked: it can be undone
    assert window.start.undo_bar.isVisible()
    assert window.files.restore_from(made)
    assert not window.start.undo_bar.isVisible()
    assert "✔ Your assessments were restored" in window.start.message.text()
    window.store.close()


def test_notes_take_several_lines_and_grow_with_their_text(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    spec = window.session.pages[0]
    window.go_to(spec.id)
    block = window.workspace.pages[spec.id].blocks[0]
    empty_height = block.note.height()
    block.note.setFocus()
    for line in ("Payroll record, 2026", "Ask HR (Dana)", "Binder 3, tab 2", "Checked twice"):
        qtbot.keyClicks(block.note, line)
        qtbot.keyClick(block.note, Qt.Key.Key_Return)  # Enter: a new line, not the next page
    assert window.current_page == spec.id
    qtbot.waitUntil(lambda: block.note.height() > empty_height)
    saved = store.load_assessment(window.session.assessment_id).answers[block.question.id]
    assert saved.note.splitlines()[:2] == ["Payroll record, 2026", "Ask HR (Dana)"]


def test_the_help_names_the_questions_that_offer_not_applicable(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    form = window.session.form
    spec = next(p for p in window.session.pages
                if {form.question(q).na_allowed for q in p.question_ids
                    if form.question(q).type == AnswerType.STATUS} == {True, False})
    window.go_to(spec.id)
    page = window.workspace.pages[spec.id]
    strict = next(b for b in page.visible_blocks()
                  if b.question.type == AnswerType.STATUS and not b.question.na_allowed)
    strict.focus_answer()
    qtbot.waitUntil(lambda: page.help.na.isVisibleTo(page.help))
    text = page.help.na.text()
    assert "not offered for this question" in text
    assert "On this page it is offered for" in text


def test_time_left_reads_as_plain_words():
    from nasro_desktop.ui.home_page import minutes_text

    assert minutes_text(1) == "a minute"
    assert minutes_text(40) == "20 minutes"
    assert minutes_text(134) == "an hour"
    assert minutes_text(300) == "2.5 hours"
    assert "about about" not in f"about {minutes_text(134)}"


def test_a_jump_from_review_opens_the_page_and_marks_the_question(qtbot, store):
    from nasro_desktop.ui.navigation import REVIEW

    window = make_window(qtbot, store)
    window.open_sample()
    window.go_to(REVIEW)
    review = window.workspace.pages[REVIEW]
    long_page = max(window.session.pages, key=lambda p: len(p.question_ids))
    target = long_page.question_ids[-1]  # far down its page
    review.jump_requested.emit(target)
    page = window.workspace.pages[long_page.id]
    block = page.block_for(target)
    assert window.current_page == long_page.id
    assert block.property("highlighted") and block.jumped_label.text() == "➜ You are here"
    assert block.isAncestorOf(QApplication.focusWidget())
    assert page.scroll_area.verticalScrollBar().value() > 0  # scrolled to it
    others = [b for b in page.blocks if b is not block]
    assert not any(b.property("highlighted") for b in others)


def test_continue_where_you_left_off_follows_the_last_page_seen(qtbot, store):
    window = make_window(qtbot, store)
    start_new(window)
    compliant_people(window.session)
    page = window.session.pages[5]
    window.go_to(page.id)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page == HOME
    home = window.workspace.pages[HOME]
    assert home.primary.text() == "Continue where you left off"
    click_primary(qtbot, window)
    assert window.current_page == page.id


def test_a_second_import_of_an_export_with_evidence_asks_first(qtbot, store, tmp_path):
    from nasro_desktop.domain.evidence import EvidenceKind

    window = make_window(qtbot, store)
    window.open_sample()
    aid = window.session.assessment_id
    mou = tmp_path / "signed-mou.pdf"
    mou.write_bytes(b"%PDF-1.4 signed MOU\n")
    store.evidence.attach(aid, mou, EvidenceKind.STANDARD, "01.01.04")
    exported = exchange.export_assessment(store, aid, tmp_path / "pine.zip")
    assert exported.suffix == ".zip"  # format 2: the evidence travels with it
    before = len(store.list_assessments())
    answer_already_box(window, "Open the one in my list")
    assert window.files.import_path(exported) == aid
    assert len(store.list_assessments()) == before
    answer_already_box(window, "Import as a copy")
    copy_id = window.files.import_path(exported)
    assert [e.file_name for e in store.evidence.records(copy_id)] == ["signed-mou.pdf"]


def new_by_keyboard(qtbot, window, **typed: str) -> None:
    """Start > New assessment… by the keyboard: `typed` into the dialog's fields, in order, and
    Enter in the last one."""
    from PySide6.QtCore import QTimer

    from nasro_desktop.ui.new_assessment import NewAssessmentDialog

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewAssessmentDialog) or not dialog.isVisible():
            QTimer.singleShot(20, fill)
            return
        for name, text in typed.items():
            qtbot.keyClicks(getattr(dialog, name), text)
        qtbot.keyClick(getattr(dialog, name), Qt.Key.Key_Return)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, fill)
    window.start.new_button.setFocus()
    qtbot.keyClick(window.start.new_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.session is not None)


def test_a_new_assessment_says_its_time_in_plain_words(qtbot, store):
    """A chief starts a new assessment by keyboard: Home gives the whole interview's time as
    a person says it (150 questions at half a minute: 'about 1.5 hours', never '1 hours')."""
    window = make_window(qtbot, store)
    new_by_keyboard(qtbot, window, agency="Millbrook Police", district="Millbrook USD")
    home = window.workspace.pages["home"]
    words = " ".join([home.explanation.text(), home.total_label.text()])
    assert "1 hours" not in words and "about 1.5 hours" in words, words


def test_sidebar_and_home_give_the_profile_the_same_count(qtbot, store):
    """The chief types the agency and district of a new assessment (the Profile's officers,
    schools and notes still empty): the sidebar's Profile line and Home's Profile row say the
    same count (they said '3 of 5 filled in' and '0 of 5' side by side)."""
    window = make_window(qtbot, store)
    new_by_keyboard(qtbot, window, agency="Millbrook Police", district="Millbrook USD",
                    prepared_by="Chief Ann Whitfield")
    row = next(i for i, (key, _) in enumerate(window.workspace.sections) if key == PROFILE)
    qtbot.waitUntil(lambda: "answered" in window.workspace.sidebar.section_list.item(row).text())
    side = window.workspace.sidebar.section_list.item(row).text().split("\n")[1]
    home_count = window.workspace.pages["home"].rows[PROFILE][2].text()
    assert side.startswith("0 of 5") and home_count.startswith("0 of 5"), (side, home_count)


def test_open_beside_a_section_goes_to_its_first_open_question_else_its_first_page(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    session = window.session
    home = window.workspace.pages[HOME]
    by_section: dict[str, list] = {}
    for item in open_questions(session):
        section = next((p.section for p in session.pages if p.id == item.page_id), None)
        by_section.setdefault(section, []).append(item)
    open_section = next(s for s in session.form.sections if by_section.get(s.id))
    done_section = next(s for s in session.form.sections if not by_section.get(s.id))
    first_open = by_section[open_section.id][0]
    qtbot.mouseClick(home.rows[open_section.id][3], Qt.MouseButton.LeftButton)
    assert window.current_page == first_open.page_id
    block = window.workspace.pages[first_open.page_id].block_for(first_open.question_id)
    assert block.property("highlighted")
    window.go_to(HOME)
    qtbot.mouseClick(home.rows[done_section.id][3], Qt.MouseButton.LeftButton)
    assert window.current_page == next(p.id for p in session.pages
                                       if p.section == done_section.id)


def test_an_assessment_whose_question_set_this_copy_lacks_says_what_to_do(qtbot, store,
                                                                            data_dir):
    """Saved by a newer copy of the app: opening it from the start screen says which question
    set is missing and to install the newest version, not 'something went wrong, try again'."""
    import sqlite3

    from test_ui_keyboard import _warning_after

    from nasro_desktop.domain.forms import current_form
    from nasro_desktop.domain.sample import sample_assessment
    from nasro_desktop.store.files import DB_NAME

    aid = store.create_assessment(sample_assessment(current_form())).id
    with sqlite3.connect(data_dir / DB_NAME) as db:
        db.execute("UPDATE assessments SET form_version = 99 WHERE id = ?", (aid,))
    db.close()
    window = make_window(qtbot, store)
    window.start.table.setFocus()
    window.start.table.selectRow(0)
    title, text = _warning_after(qtbot, lambda: qtbot.keyClick(window.start.table,
                                                               Qt.Key.Key_Return))
    assert title == "Could not open the assessment"
    assert "version 99" in text and "Install the newest version of the app" in text
    assert "went wrong" not in text
    assert window.session is None and window.start.isVisible()
