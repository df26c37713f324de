"""Help > How scoring works, Help > About and the third-party licences: dialogs built on a
parent window from what they show (the open assessment, the data folder)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nasro_desktop import DISPLAY_NAME, __version__
from nasro_desktop.domain.model import RapidDeploymentReading
from nasro_desktop.domain.readings import describe_rules
from nasro_desktop.domain.wording import DISCLAIMER
from nasro_desktop.notices import FILE_NAME, notices_text
from nasro_desktop.session import Session
from nasro_desktop.ui.dialog_fit import ChoiceBox, FittedDialog
from nasro_desktop.ui.labels import wrap_label


def _closing(dialog: FittedDialog, layout: QVBoxLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)


def scoring_help_dialog(parent: QWidget, session: Session | None) -> FittedDialog:
    """Help > How scoring works: the rules in words, the engine's own for the open assessment
    (its readings included), else the rules as a new assessment reads them."""
    dialog = FittedDialog(parent)
    dialog.setWindowTitle("How scoring works")
    dialog.resize(720, 560)
    layout = QVBoxLayout(dialog)
    layout.addWidget(wrap_label("How the verdict is reached", "heading", dialog))
    scroll = QScrollArea(dialog)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    lines = (session.readiness.rules if session is not None
             else describe_rules(RapidDeploymentReading.TWICE_A_YEAR, None))
    text = wrap_label("\n\n".join(f"• {line}" for line in lines), None, scroll)
    text.setAccessibleName("How scoring works")
    text.setMargin(8)
    scroll.setWidget(text)
    layout.addWidget(scroll, 1)
    _closing(dialog, layout)
    return dialog


def show_about(parent: QWidget, data_dir: Path) -> None:
    if about_box(parent, data_dir).ask() == "licences":
        licences_dialog(parent).exec()


def about_box(parent: QWidget, data_dir: Path) -> ChoiceBox:
    """Help > About: the version, what the app is, the disclaimer, where the data is, and a
    button for the third-party licences."""
    box = ChoiceBox(parent, f"About {DISPLAY_NAME}",
                    f"{DISPLAY_NAME} {__version__}\n\nA guided check of a School Resource "
                    "Officer program against the standards NASRO published in 2018 for "
                    "SRO programs. The questions are written in plain words and cite "
                    "each standard's number; they are not NASRO's text.\n\n"
                    f"{DISCLAIMER}\n\nWorks offline; your data "
                    f"stays on this computer, in:\n{data_dir}\n\n"
                    "Built with open-source software (Qt, Python and others), each "
                    "under its own licence: see Third-party licences.",
                    icon=QMessageBox.Icon.NoIcon)
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    close = box.choice("", "Close", QMessageBox.ButtonRole.RejectRole)
    box.choice("licences", "Third-party &licences…", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    return box


def licences_dialog(parent: QWidget) -> FittedDialog:
    """The bundle's THIRD-PARTY-NOTICES.txt (a pip install: the same text built from the
    installed packages), read-only and searchable with the keyboard."""
    dialog = FittedDialog(parent)
    dialog.setWindowTitle("Third-party licences")
    dialog.resize(760, 560)
    layout = QVBoxLayout(dialog)
    layout.addWidget(wrap_label(
        f"The software {DISPLAY_NAME} is built on, each with its licence; Qt's source code "
        f"is offered at the top. The downloaded app carries the same text as {FILE_NAME} "
        "in its folder.", None, dialog))
    text = QPlainTextEdit(dialog)
    text.setReadOnly(True)
    text.setPlainText(notices_text())
    text.setAccessibleName("Third-party licences")
    text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    layout.addWidget(text, 1)
    _closing(dialog, layout)
    QTimer.singleShot(0, text.setFocus)  # once shown: arrows and Page Down scroll it
    return dialog
