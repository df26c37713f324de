"""Rows of a list that wrap their words inside the list's own width.

Qt's list asks each row how big it wants to be without saying how wide the list is, so a row
like "Selection / 23 of 24 answered" at the largest text is measured on two lines, then painted
narrower (the scroll bar took its room) and cut to "23 of 24 …". This delegate measures each row
at the width the list really gives it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem


class WrappedRowsDelegate(QStyledItemDelegate):
    """Each row's height is what its text needs, wrapped at the width the list gives it."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def row_width(self) -> int:
        """The width a row is painted in: the list's visible width less the gaps around rows."""
        return max(40, self._view.viewport().width() - 2 * self._view.spacing())

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        measured = QStyleOptionViewItem(option)
        width = self.row_width()
        measured.rect.setWidth(width)
        hint = super().sizeHint(measured, index)
        return QSize(min(hint.width(), width), hint.height())
