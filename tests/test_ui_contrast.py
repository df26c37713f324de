"""Every control's outline stands out 3:1 (WCAG 1.4.11) in light and dark, sampled from the
pixels the window draws: the answer radios, "Mark for review", the officer dialog's school check
boxes and its other check boxes (issue 22: in dark mode they were about 1.15:1, the school boxes
showed no box). Indicators grow with Larger text. Shown and pressed as a person does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionButton
from ui_support import make_window

from nasro_desktop.ui import style
from nasro_desktop.ui.profile_dialogs import OfficerDialog


def _best_contrast(image: QImage, rect, background: QColor) -> float:
    """The most any pixel inside `rect` stands out from `background` (the outline's ring is
    the strongest part of an empty indicator)."""
    best = 1.0
    for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
        for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
            best = max(best, style.contrast(QColor(image.pixel(x, y)), background))
    return best


def _indicator_rect(button, element=QStyle.SubElement.SE_RadioButtonIndicator):
    option = QStyleOptionButton()
    button.initStyleOption(option)
    return button.style().subElementRect(element, option, button)


def _background(image: QImage) -> QColor:
    return QColor(image.pixel(image.width() - 2, image.height() // 2))


def _ring(widget, element) -> float:
    """How much the widget's indicator stands out from what is around it, in the pixels its
    parent draws (a widget grabbed alone is drawn on its own window colour)."""
    parent = widget.parentWidget()
    while parent.testAttribute(Qt.WidgetAttribute.WA_SetPalette):  # drawn as its parent is
        parent = parent.parentWidget()
    image = parent.grab().toImage()
    rect = _indicator_rect(widget, element).translated(widget.mapTo(parent, widget.rect()
                                                                     .topLeft()))
    around = QColor(image.pixel(max(0, rect.left() - 3), rect.center().y()))
    return _best_contrast(image, rect, around)


@pytest.fixture(params=["light", "dark"])
def appearance(request):
    yield request.param
    style.set_appearance(QApplication.instance(), "system")


def _choose(window, appearance: str) -> None:
    """View > Appearance > Light or Dark, as the user picks it."""
    window.appearance_actions[appearance].trigger()
    QApplication.processEvents()


def test_answer_radios_and_mark_for_review_stand_out(qtbot, store, appearance):
    window = make_window(qtbot, store)
    _choose(window, appearance)
    window.open_sample()
    spec = window.session.pages[4]
    window.go_to(spec.id)
    block = window.workspace.pages[spec.id].visible_blocks()[0]
    unchecked = next(b for b in block.chooser.buttons() if not b.isChecked())
    ring = _ring(unchecked, QStyle.SubElement.SE_RadioButtonIndicator)
    assert ring >= 3.0, (appearance, ring)
    ring = _ring(block.flag, QStyle.SubElement.SE_CheckBoxIndicator)
    assert ring >= 3.0, (appearance, "flag", ring)


def test_officer_dialog_school_boxes_show_a_box(qtbot, store, appearance):
    from nasro_desktop.session import Session

    window = make_window(qtbot, store)
    _choose(window, appearance)
    session = Session.open_sample(store)
    dialog = OfficerDialog(session, session.assessment.officers[0])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    picker = dialog.schools
    row = next(r for r in range(picker.count())
               if picker.item(r).checkState() == Qt.CheckState.Unchecked)
    item_rect = picker.visualItemRect(picker.item(row))
    image = picker.viewport().grab().toImage()
    background = QColor(image.pixel(item_rect.right() - 2, item_rect.center().y()))
    box = item_rect.adjusted(0, 0, -(item_rect.width() - item_rect.height() - 6), 0)
    assert _best_contrast(image, box, background) >= 3.0, appearance
    # ticked by Space, as the dialog says
    picker.setFocus()
    picker.setCurrentRow(row)
    qtbot.keyClick(picker.viewport(), Qt.Key.Key_Space)
    assert picker.item(row).checkState() == Qt.CheckState.Checked
    assert _ring(dialog.review, QStyle.SubElement.SE_CheckBoxIndicator) >= 3.0, appearance


def test_indicators_grow_with_larger_text(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    spec = window.session.pages[4]
    window.go_to(spec.id)
    button = window.workspace.pages[spec.id].visible_blocks()[0].chooser.buttons()[0]
    normal = _indicator_rect(button).width()
    try:
        for _ in range(3):  # View > Larger text, three times (Ctrl++)
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Plus,
                           Qt.KeyboardModifier.ControlModifier)
        assert style.current_scale() > 1.3
        qtbot.wait(20)
        larger = _indicator_rect(button).width()
        assert larger >= round(normal * 1.3), (normal, larger)
    finally:
        window.set_text_scale(style.NORMAL)
    assert _indicator_rect(button).width() == normal


def _edge(widget) -> float:
    """How much the widget's outline stands out, in the pixels its window draws: on the
    left and the right edge, at mid height, the strongest of its three outermost pixels
    against the pixel two outside it; the weaker side counts."""
    top = widget.window()
    image = top.grab().toImage()
    rect = widget.rect().translated(widget.mapTo(top, widget.rect().topLeft()))
    y = rect.center().y()
    sides = []
    for outside, inside in ((rect.left() - 2, (rect.left(), rect.left() + 1, rect.left() + 2)),
                            (rect.right() + 2, (rect.right(), rect.right() - 1,
                                                rect.right() - 2))):
        around = QColor(image.pixel(outside, y))
        sides.append(max(style.contrast(QColor(image.pixel(x, y)), around) for x in inside))
    return min(sides)


def _controls(page):
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QProgressBar,
        QPushButton,
    )

    for kind in (QLineEdit, QPlainTextEdit, QComboBox, QPushButton, QProgressBar,
                 QAbstractItemView):
        for widget in page.findChildren(kind):
            if widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect():
                yield widget


@pytest.mark.parametrize("larger", [False, True], ids=["normal", "larger"])
def test_switching_while_the_window_runs_keeps_every_outline(qtbot, store, larger):
    """Light, pages built, then View > Appearance > Dark while it runs (and back): the answer
    radios, Mark for review, fields, buttons, lists and tables stand out 3:1 on pages built
    before the switch and after it, at normal and Larger text (a radio under Larger text's
    style sheet took the application's palette, not its parent's: 1.1:1 in dark)."""
    from PySide6.QtWidgets import QCheckBox, QRadioButton

    window = make_window(qtbot, store)
    _choose(window, "light")
    window.open_sample()
    if larger:  # View > Larger text, twice (Ctrl++)
        for _ in range(2):
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Plus,
                           Qt.KeyboardModifier.ControlModifier)
    before, after = window.session.pages[4].id, window.session.pages[9].id
    try:
        window.go_to(before)
        window.go_to("profile")
        for appearance in ("dark", "light", "dark"):
            _choose(window, appearance)
            for page_id in (before, after, "profile"):
                window.go_to(page_id)
                QApplication.processEvents()
                page = window.workspace.pages[page_id]
                for radio in page.findChildren(QRadioButton):
                    if radio.isVisible() and not radio.isChecked():
                        ring = _ring(radio, QStyle.SubElement.SE_RadioButtonIndicator)
                        assert ring >= 3.0, (appearance, page_id, radio.text(), ring)
                for box in page.findChildren(QCheckBox):
                    if box.isVisible() and not box.isChecked():
                        ring = _ring(box, QStyle.SubElement.SE_CheckBoxIndicator)
                        assert ring >= 3.0, (appearance, page_id, box.text(), ring)
                controls = list(_controls(page))
                assert controls, page_id
                for control in controls:
                    edge = _edge(control)
                    assert edge >= 3.0, (appearance, page_id, type(control).__name__,
                                         control.accessibleName(), edge)
    finally:
        window.set_text_scale(style.NORMAL)


def test_empty_progress_bars_show_their_outline(qtbot, store, appearance):
    """Home of a new assessment: every section's bar is empty, and still shows as a bar."""
    from test_ui_shell import start_new

    from nasro_desktop.ui.navigation import HOME

    window = make_window(qtbot, store)
    start_new(window)
    _choose(window, appearance)  # while it runs, the bars already built
    window.go_to(HOME)
    QApplication.processEvents()
    bars = [row[1] for row in window.workspace.pages[HOME].rows.values() if row[1].isVisible()]
    assert bars and all(bar.value() == 0 for bar in bars)
    for bar in bars:
        assert _edge(bar) >= 3.0, (appearance, bar.accessibleName(), _edge(bar))
