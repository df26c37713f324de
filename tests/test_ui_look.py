"""The look: every page in light and dark at 1366x768 and 1024x640 (screenshots to look at), no
text clipped at 1024x640 nor at the largest text size, and View > Appearance.

Screenshots go to out/screenshots/look-*.png; with NASRO_UPDATE_DOCS=1 they are also copied to
docs/pages/ (the ones the README shows are refreshed from there).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QListWidget,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)
from ui_support import make_window

from nasro_desktop.ui import style
from nasro_desktop.ui.navigation import HOME, MOU_CHECKLIST, PROFILE, READINESS, REVIEW

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "screenshots"
DOCS = ROOT / "docs" / "pages"
SIZES = ((1366, 768), (1024, 640))
MOU_PAGE = "std:01.01.04-discipline"


@pytest.fixture(autouse=True)
def normal_look():
    yield
    app = QApplication.instance()
    style.set_appearance(app, "system")
    style.apply(app, style.NORMAL)


def pages_to_show(window) -> list[tuple[str, str]]:
    date_page = next(p.id for p in window.session.pages if "mou.signed_date" in p.question_ids)
    return [("home", HOME), ("profile", PROFILE), ("interview", MOU_PAGE),
            ("interview-dates", date_page), ("mou-checklist", MOU_CHECKLIST),
            ("review", REVIEW), ("readiness", READINESS)]


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible label or button on `root` whose text needs more room than it was given:
    a wrapped label compares the height it needs at its width; others their width."""
    problems = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or not label.text().strip() or not label.pixmap().isNull():
            continue
        if not label.isVisible():
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                problems.append(f"label {label.text()[:40]!r}: needs {need}px high, has "
                                f"{label.height()}")
        elif label.sizeHint().width() > label.width() + 1:
            problems.append(f"label {label.text()[:40]!r}: needs {label.sizeHint().width()}px "
                            f"wide, has {label.width()}")
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text().strip():
            continue
        if isinstance(button.parent(), QAbstractScrollArea):
            continue
        if button.sizeHint().width() > button.width() + 1:
            problems.append(f"button {button.text()[:40]!r}: needs {button.sizeHint().width()}px,"
                            f" has {button.width()}")
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QAbstractButton)) or not widget.isVisible():
            continue
        area = _scroll_area_of(widget)
        if area is None:
            continue
        viewport = area.viewport()
        right = widget.mapTo(viewport, widget.rect().topRight()).x()
        if right > viewport.width() + 1:
            text = widget.text()[:40] if hasattr(widget, "text") else ""
            problems.append(f"{type(widget).__name__} {text!r}: cut off at the right "
                            f"({right}px in a {viewport.width()}px view)")
    return problems + clipped_rows(root)


def clipped_rows(root: QWidget) -> list[str]:
    """Every visible row of a word-wrapping list (the sidebar) whose text needs more height
    than its row has at the width the list paints it, or that runs past the list's right edge
    (Qt then cuts the text short with "…")."""
    problems = []
    for view in root.findChildren(QListWidget):
        if not view.isVisible() or not view.wordWrap():
            continue
        viewport = view.viewport()
        style_ = view.style()
        margin = style_.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        for row in range(view.count()):
            item = view.item(row)
            rect = view.visualItemRect(item)
            if rect.bottom() < 0 or rect.top() > viewport.height():
                continue
            # A top-to-bottom list paints each row as wide as the view less its spacing.
            painted = QRect(rect)
            painted.setWidth(min(rect.width(), viewport.width() - 2 * view.spacing()))
            option = QStyleOptionViewItem()
            view.initViewItemOption(option)
            option.rect = painted
            view.itemDelegate().initStyleOption(option, view.indexFromItem(item))
            text_rect = style_.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
            need = QFontMetrics(option.font).boundingRect(
                QRect(0, 0, text_rect.width() - 2 * margin, 100_000),
                Qt.TextFlag.TextWordWrap, item.text()).height()
            label = item.text().replace("\n", " / ")[:40]
            if need > text_rect.height() + 1:
                problems.append(f"row {label!r}: needs {need}px high, has {text_rect.height()}")
            if rect.right() > viewport.width():
                problems.append(f"row {label!r}: cut off at the right ({rect.right()}px in a "
                                f"{viewport.width()}px list)")
    return problems


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(
                parent, (QAbstractItemView,)):
            return parent
        parent = parent.parentWidget()
    return None


def widest(page: QWidget) -> list[tuple[int, str]]:
    """The widgets asking for the most width (what made the window grow)."""
    sizes = [(w.minimumSizeHint().width(), f"{type(w).__name__} {getattr(w, 'text', str)()!s:.30}")
             for w in page.findChildren(QWidget) if w.isVisible()]
    return sorted(sizes, reverse=True)[:6]


def no_horizontal_scrolling(window) -> list[str]:
    found = []
    for area in window.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().isVisible() \
                and area.horizontalScrollBar().maximum() > 0:
            found.append(f"{type(area).__name__} {area.objectName()}")
    return found


@pytest.mark.parametrize("text", ["normal", "larger"])
@pytest.mark.parametrize("appearance", ["light", "dark"])
def test_every_page_in_light_and_dark_at_both_sizes(qtbot, store, appearance, text):
    OUT.mkdir(parents=True, exist_ok=True)
    window = make_window(qtbot, store)
    window.set_appearance(appearance)
    if text == "larger":  # View > Larger text, twice (130%)
        window.set_text_scale(style.larger())
        window.set_text_scale(style.larger())
    assert style.current_appearance() == appearance
    assert style.is_dark() == (appearance == "dark")
    window.open_sample()
    problems = []
    tag = appearance if text == "normal" else f"{appearance}-larger"
    for width, height in SIZES:
        window.resize(width, height)
        for name, page_id in pages_to_show(window):
            window.go_to(page_id)
            settle(qtbot)
            assert window.width() == width, f"{name}: the window grew to {window.width()}px"
            if name == "interview-dates":
                page = window.workspace.pages[page_id]
                page.block_for("mou.signed_date").date_edit.line.setFocus()
            settle(qtbot)
            path = OUT / f"look-{name}-{tag}-{width}x{height}.png"
            assert window.grab().save(str(path))
            if os.environ.get("NASRO_UPDATE_DOCS"):
                DOCS.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, DOCS / path.name)
            if name in ("home", "interview", "interview-dates", "mou-checklist", "readiness"):
                problems += [f"{name} {width}: {p}" for p in clipped_texts(window.workspace)]
            problems += [f"{name} {width}: scrolls sideways: {p}"
                         for p in no_horizontal_scrolling(window)]
    window.show_start()
    settle(qtbot)
    window.grab().save(str(OUT / f"look-start-{tag}-1024x640.png"))
    if os.environ.get("NASRO_UPDATE_DOCS"):
        shutil.copy(OUT / f"look-start-{tag}-1024x640.png", DOCS)
    if os.environ.get("NASRO_UPDATE_DOCS") and tag == "light":  # the README's
        for name, target in (("interview", "screenshot.png"), ("readiness", "readiness.png"),
                             ("home", "home.png")):
            shutil.copy(OUT / f"look-{name}-light-1366x768.png", ROOT / "docs" / target)
    window.set_text_scale(style.NORMAL)
    assert not problems, "\n".join(problems)


def test_nothing_clipped_at_the_largest_text_size_on_a_small_screen(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    window.resize(1024, 640)
    window.set_text_scale(style.SCALES[-1])
    problems = []
    for name, page_id in pages_to_show(window):
        if name not in ("home", "interview", "interview-dates", "mou-checklist", "readiness"):
            continue
        window.go_to(page_id)
        settle(qtbot)
        assert window.width() == 1024, (name, window.width(), widest(window.workspace.pages[page_id]), [
            (pid, p.minimumSizeHint().width()) for pid, p in window.workspace.pages.items()],
            window.minimumSizeHint().width(), window.workspace.minimumSizeHint().width(),
            window.workspace.sidebar.section_list.width(), window.workspace.stack.minimumSizeHint().width())
        window.grab().save(str(OUT / f"look-{name}-largest-1024x640.png"))
        problems += [f"{name}: {p}" for p in clipped_texts(window.workspace)]
        problems += [f"{name}: scrolls sideways: {p}" for p in no_horizontal_scrolling(window)]
    assert not problems, "\n".join(problems)


def test_appearance_is_remembered_and_chips_follow_it(qtbot, store):
    window = make_window(qtbot, store)
    window.open_sample()
    home = window.workspace.pages[HOME]
    light_chip = home.status.styleSheet()
    window.appearance_actions["dark"].trigger()
    assert style.is_dark() and window.appearance_actions["dark"].isChecked()
    assert store.get_setting(style.APPEARANCE_SETTING) == "dark"
    assert home.status.styleSheet() != light_chip  # the chip's colour follows the palette
    assert home.status.text()[0] in "○◐✔✘"  # a symbol and words, not colour alone
    window.appearance_actions["system"].trigger()
    assert not window.appearance_actions["dark"].isChecked()
    assert store.get_setting(style.APPEARANCE_SETTING) == "system"


def test_the_clipping_check_finds_clipped_text(qtbot):
    """The check above fails when text is cut: a label too narrow, one beyond the view."""
    from PySide6.QtWidgets import QScrollArea, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    narrow = QLabel("A label far too long for the room it was given", root)
    narrow.setGeometry(0, 0, 60, 20)
    area = QScrollArea(root)
    area.setGeometry(0, 40, 200, 100)
    body = QWidget()
    QVBoxLayout(body).addWidget(QLabel("Fits in its own box but not in the view " * 3, body))
    body.setMinimumWidth(900)
    area.setWidget(body)
    root.resize(400, 200)
    root.show()
    qtbot.waitExposed(root)
    found = clipped_texts(root)
    assert any("needs" in p and "far too long" in p for p in found)
    assert any("cut off at the right" in p for p in found)


def test_the_clipping_check_finds_cut_list_rows(qtbot):
    """A row too low for its wrapped text, and one wider than its list, are both found."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QListWidgetItem

    root = QWidget()
    qtbot.addWidget(root)
    listing = QListWidget(root)
    listing.setWordWrap(True)
    listing.setGeometry(0, 0, 160, 200)
    low = QListWidgetItem("Selection\nfar too many words to fit on the one line it has", listing)
    low.setSizeHint(QSize(140, 20))
    wide = QListWidgetItem("Wide", listing)
    wide.setSizeHint(QSize(400, 30))
    root.resize(200, 220)
    root.show()
    qtbot.waitExposed(root)
    found = clipped_rows(root)
    assert any("far too many" in p and "needs" in p for p in found), found
    assert any("'Wide'" in p and "cut off at the right" in p for p in found), found


def test_the_review_page_fits_a_small_screen_at_the_largest_text(qtbot, store):
    """At 200% in 1024x640 the Review page needed 1,172 px of width (its filter row): now the
    filters flow onto more lines and the table folds into two columns, every word whole."""
    from nasro_desktop.ui.review_page import Column

    window = make_window(qtbot, store)
    window.open_sample()
    window.resize(1024, 640)
    window.set_text_scale(style.SCALES[-1])
    window.go_to(REVIEW)
    settle(qtbot)
    page = window.workspace.pages[REVIEW]
    assert window.width() == 1024, widest(page)
    assert page.minimumSizeHint().width() <= page.width(), widest(page)  # needed vs given
    problems = clipped_texts(page) + [f"scrolls sideways: {p}"
                                      for p in no_horizontal_scrolling(window)]
    table = page.table
    header = table.horizontalHeader()
    shown = [c for c in Column if not table.isColumnHidden(c)]
    used = sum(header.sectionSize(c) for c in shown)
    if used > table.viewport().width() + 1:
        problems.append(f"columns need {used}px, the table shows {table.viewport().width()}")
    fm = table.fontMetrics()
    for column in shown:  # a heading or a word wider than its column is cut ("offic…")
        words = {w for r in range(page.model.rowCount())
                 for w in str(page.model.index(r, column).data()).split()}
        words.update(str(page.model.headerData(column, Qt.Orientation.Horizontal)).split())
        need = max(fm.horizontalAdvance(w) for w in words)
        if need > header.sectionSize(column) - 6 and column != Column.QUESTION:
            problems.append(f"column {column.name}: a word needs {need}px, has "
                            f"{header.sectionSize(column)}")
    window.grab().save(str(OUT / "look-review-largest-1024x640.png"))
    assert not problems, "\n".join(problems)
    # the folded table still says everything: section, standard, answer, flag and note
    row = next(r for r in page.model.rows() if r.note and r.standard)
    index = next(page.model.index(i, Column.QUESTION) for i in range(page.model.rowCount())
                 if page.model.index(i, 0).data(Qt.ItemDataRole.UserRole + 1) == row.question_id)
    assert row.section in index.data() and row.standard in index.data()
    answer = index.siblingAtColumn(Column.ANSWER).data()
    assert row.answer in answer and row.note in answer
    # back to normal size: the six columns again, the filters on one line
    window.set_text_scale(style.NORMAL)
    window.resize(1366, 768)
    settle(qtbot)
    assert not any(table.isColumnHidden(c) for c in Column)
    rows = {page.filter_row.getItemPosition(page.filter_row.indexOf(b))[0]
            for b in page.filter_buttons.values()}
    assert rows == {0}
