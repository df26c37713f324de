"""Help > How scoring works and Help > About. A mixin of `MainWindow`, split from it."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QVBoxLayout

from nasro_desktop import __version__
from nasro_desktop.ui.labels import wrap_label
from nasro_desktop.ui.window_parts import WindowParts

APP_TITLE = "SRO Program Readiness"


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
        form = self.session.form if self.session else None
        text = wrap_label("\n\n".join(f"• {line}" for line in describe_rules(reading, form)),
                          None, scroll)
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
        from PySide6.QtWidgets import QMessageBox

        from nasro_desktop.domain.wording import DISCLAIMER

        QMessageBox.about(
            self, f"About {APP_TITLE}",
            f"{APP_TITLE} {__version__}\n\nA guided check of a School Resource Officer "
            "program against the standards NASRO published in 2018 for SRO programs. "
            "The questions are written in plain words and cite "
            "each standard's number; they are not NASRO's text.\n\n"
            f"{DISCLAIMER}\n\nWorks offline; your data "
            f"stays on this computer, in:\n{self.store.data_dir}")
