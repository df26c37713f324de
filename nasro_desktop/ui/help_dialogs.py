"""Help > How scoring works and Help > About. A mixin of `MainWindow`."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox, QPushButton, QVBoxLayout

from nasro_desktop import DISPLAY_NAME, __version__
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.window_parts import WindowParts

LICENCES_BUTTON = "third_party_licences"


class HelpDialogs(WindowParts):
    """The help dialogs (mixed into MainWindow)."""

    @Slot()
    def show_scoring_help(self) -> None:
        self.scoring_help_dialog().exec()

    def scoring_help_dialog(self):
        """Help > How scoring works: the rules in words (domain.scoring.describe_rules)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDialogButtonBox, QScrollArea

        from nasro_desktop.domain.model import RapidDeploymentReading
        from nasro_desktop.domain.readings import describe_rules
        from nasro_desktop.ui.dialog_fit import FittedDialog

        reading = (self.session.assessment.rapid_deployment_reading if self.session
                   else RapidDeploymentReading.TWICE_A_YEAR)
        dialog = FittedDialog(self)
        dialog.setWindowTitle("How scoring works")
        dialog.resize(720, 560)
        layout = QVBoxLayout(dialog)
        layout.addWidget(wrap_label("How the verdict is reached", "heading", dialog))
        scroll = QScrollArea(dialog)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # the engine's own words for this assessment (its readings included), else the rules
        lines = (self.session.readiness.rules if self.session
                 else describe_rules(reading, None))
        text = wrap_label("\n\n".join(f"• {line}" for line in lines), None, scroll)
        text.setAccessibleName("How scoring works")
        text.setMargin(8)
        scroll.setWidget(text)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        return dialog

    @Slot()
    def show_about(self) -> None:
        box = self.about_box()
        box.exec()
        if box.clickedButton() == box.findChild(QPushButton, LICENCES_BUTTON):
            self.licences_dialog().exec()

    def about_box(self) -> QMessageBox:
        """Help > About: the version, what the app is, the disclaimer, where the data is, and
        a button for the third-party licences."""
        from nasro_desktop.domain.wording import DISCLAIMER

        box = QMessageBox(QMessageBox.Icon.NoIcon, f"About {DISPLAY_NAME}",
                          f"{DISPLAY_NAME} {__version__}\n\nA guided check of a School Resource "
                          "Officer program against the standards NASRO published in 2018 for "
                          "SRO programs. The questions are written in plain words and cite "
                          "each standard's number; they are not NASRO's text.\n\n"
                          f"{DISCLAIMER}\n\nWorks offline; your data "
                          f"stays on this computer, in:\n{self.store.data_dir}\n\n"
                          "Built with open-source software (Qt, Python and others), each "
                          "under its own licence: see Third-party licences.",
                          QMessageBox.StandardButton.Close, self)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        licences = box.addButton("Third-party &licences…", QMessageBox.ButtonRole.ActionRole)
        licences.setObjectName(LICENCES_BUTTON)
        box.setDefaultButton(QMessageBox.StandardButton.Close)
        return box

    def licences_dialog(self):
        """The bundle's THIRD-PARTY-NOTICES.txt (a pip install: the same text built from the
        installed packages), read-only and searchable with the keyboard."""
        from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit

        from nasro_desktop.notices import FILE_NAME, notices_text
        from nasro_desktop.ui.dialog_fit import FittedDialog

        dialog = FittedDialog(self)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, text.setFocus)  # once shown: arrows and Page Down scroll it
        return dialog
