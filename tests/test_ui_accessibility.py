"""Every control on every page can be reached by keyboard and tells a screen reader what it is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QWidget,
)
from ui_support import make_window

from nasro_desktop.ui.navigation import PROFILE, READINESS, REVIEW

CONTROLS = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)


@pytest.fixture
def window(qtbot, store):
    return make_window(qtbot, store)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QHeaderView):
            continue  # part of its table, which is named
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            continue  # the inner editor of a spin box or combo box: the outer control is named
        if widget.parent() is not None and type(widget.parent()).__name__ == "QCalendarWidget":
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName().strip() or text.replace("&", "").strip()):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} tooltip={widget.toolTip()!r}")
        if widget.isEnabled() and widget.focusPolicy() == Qt.FocusPolicy.NoFocus \
                and not isinstance(widget, QAbstractButton):
            missing.append(f"{type(widget).__name__} cannot take keyboard focus")
    return missing


def test_every_control_on_every_page_has_a_name_a_screen_reader_can_read(window, qtbot):
    problems = {"start": unnamed_controls(window)}
    window.open_sample()
    page_ids = [PROFILE, *(spec.id for spec in window.session.pages), REVIEW, READINESS]
    assert len(set(page_ids)) > 30
    for page_id in page_ids:
        window.go_to(page_id)
        qtbot.wait(1)
        found = unnamed_controls(window.centralWidget())
        if found:
            problems[page_id] = found
    problems = {page: found for page, found in problems.items() if found}
    assert not problems, problems


def test_the_check_finds_an_unnamed_control(window):
    stray = QLineEdit(window.centralWidget())
    stray.show()
    assert any("QLineEdit" in problem for problem in unnamed_controls(window.centralWidget()))
    stray.setAccessibleName("Stray")
    assert not unnamed_controls(window.centralWidget())
