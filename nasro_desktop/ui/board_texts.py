"""Before the board edition is saved or printed: the texts typed in the app that it will print,
shown as it prints them, for the chief to check (issue 20 §2: a board packet is often public).

Who took part, the scope and the method, each next step and person responsible in the action
table, and each explanation of a standard met another way come from
`nasro_desktop.report.board_texts` (officers' names already replaced, cut to the page's room):
the one source the PDF prints from. Go on, or Cancel to edit them first (nothing is saved or
printed).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from nasro_desktop.domain.redact import LABEL
from nasro_desktop.ui.dialog_fit import FittedDialog, accept_and_cancel
from nasro_desktop.ui.labels import wrap_label

TITLE = "Check the texts the board edition prints"


def texts_as_shown(texts: list[tuple[str, str]]) -> str:
    """The texts as the dialog lists them: where each is printed, then the text."""
    return "\n\n".join(f"{where}:\n{text}" for where, text in texts)


class _Texts(QPlainTextEdit):
    """Read-only text that lets Enter and Escape reach the dialog's buttons."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            event.ignore()
            return
        super().keyPressEvent(event)


class BoardTextsDialog(FittedDialog):
    """The board edition's typed texts, as printed; OK goes on, Cancel stops."""

    def __init__(self, parent: QWidget | None, texts: list[tuple[str, str]], action: str,
                 show_names: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("boardTextsDialog")
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.texts = list(texts)
        layout = QVBoxLayout(self)
        names = ("Officers' names are printed, as you chose." if show_names else
                 f"Officers' names are replaced by {LABEL}: look for any name, nickname or "
                 "detail about a person that is still there.")  # fmt: skip
        intro = wrap_label(
            "The board edition prints these texts as they were typed in the app. A board "
            f"packet is often public: read them before you go on. {names} To change one, "
            "choose Cancel and edit it in the app (Profile for who took part, scope and "
            "method; Readiness for the action plan)."
        )
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.view = _Texts(texts_as_shown(self.texts))
        self.view.setObjectName("boardTexts")
        self.view.setReadOnly(True)
        self.view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view.setTabChangesFocus(True)
        self.view.setAccessibleName("Texts the board edition prints")
        self.view.setAccessibleDescription(intro.text())
        self.view.setMinimumHeight(self.fontMetrics().lineSpacing() * 14)
        self.view.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        layout.addWidget(self.view, 1)
        buttons, ok = accept_and_cancel(self, "These can be printed: &save…" if action == "save"
                                        else "These can be printed: &print…")  # fmt: skip
        ok.setAccessibleName("These texts can be printed: go on")
        ok.setDefault(True)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Cancel: &edit them first")
        cancel.setAccessibleName("Cancel: nothing is saved or printed")
        self.ok, self.cancel = ok, cancel
        layout.addWidget(buttons)
        self.view.setFocus()

    def shown_text(self) -> str:
        return self.view.toPlainText()


__all__ = ["BoardTextsDialog", "TITLE", "texts_as_shown"]
