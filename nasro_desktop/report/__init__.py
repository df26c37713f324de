"""The readiness report, as PDF or Word bytes (reportlab). No Qt and no SQL.

Import-cheap on purpose: reportlab (~0.3 s to import) is loaded only when a report is made
(the window does not load it until the first report; CONTRIBUTING names this boundary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from nasro_desktop.report.options import DEFAULT_OPTIONS, ReportOptions

if TYPE_CHECKING:
    from nasro_desktop.domain.model import Assessment, Form
    from nasro_desktop.domain.results import Readiness

def render_report(form: Form, assessment: Assessment, readiness: Readiness,
                  options: ReportOptions = DEFAULT_OPTIONS,
                  progress: Callable[[float], None] | None = None) -> bytes:
    """The readiness report as the bytes of a tagged PDF. `progress`, if given, is called with
    0.0 .. 1.0 as the pages are laid out."""
    from nasro_desktop.report.renderer import render_pdf  # reportlab: when first used

    return render_pdf(form, assessment, readiness, options, progress)


def render_word(form: Form, assessment: Assessment, readiness: Readiness,
                options: ReportOptions = DEFAULT_OPTIONS,
                progress: Callable[[float], None] | None = None) -> bytes:
    """The same report as `render_report`, as the bytes of a Word (.docx) document: the same
    story, so the same text, names rule, notices and fingerprint (report/word.py)."""
    from nasro_desktop.report.word import render_docx  # python-docx: when first used

    return render_docx(form, assessment, readiness, options, progress)


def board_texts(form: Form, assessment: Assessment, readiness: Readiness,
                options: ReportOptions = DEFAULT_OPTIONS) -> list[tuple[str, str]]:
    """(where, text) for every typed text the board edition prints, exactly as it prints it
    (names replaced unless `options.show_names`, cut to the page's room): what the window
    shows the chief to check before a board edition is saved or printed."""
    from nasro_desktop.report.board import printed_texts

    return printed_texts(form, assessment, readiness, replace(options, edition="board"))


__all__ = ["board_texts", "render_report", "render_word"]
