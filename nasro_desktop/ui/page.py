"""The window's pages: the ids of its own pages, and what every page follows (so the window
needs no `hasattr` checks).

- The ids of the pages besides the interview's (`domain/pages.py` names those): `HOME`,
  `PROFILE`, `REVIEW`, `READINESS` and `MOU_CHECKLIST` (reached from its anchor page, not by
  Next). This is their one home.

- `Page` (every page): `refresh()` redraws it from the session (pages never hold answers of
  their own), `focus_first()` puts the keyboard on its first control.
- `QuestionPage` (interview pages): `focus_question(id)` and `highlight_question(id)`, for
  jumps from Home, Review, Readiness and Next unanswered.
- `IdlePrepared` (Review and Readiness): `has_idle_work()` / `prepare()`, the work done while
  the page is hidden and the user reads another one.

The Readiness page also takes its data through `set_data(form, assessment, readiness)`, which
its tests and the benches use without a window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtWidgets import QScrollArea, QWidget

if TYPE_CHECKING:
    from nasro_desktop.ui.question_block import QuestionBlock

HOME = "home"
MOU_CHECKLIST = "mou-checklist"
PROFILE = "profile"
REVIEW = "review"
READINESS = "readiness"


@runtime_checkable
class Page(Protocol):
    def refresh(self) -> None:
        """Redraw from the session."""

    def focus_first(self) -> None:
        """Keyboard focus on the page's first control."""


@runtime_checkable
class QuestionPage(Protocol):
    blocks: list[QuestionBlock]  # the question blocks, in order

    def focus_question(self, question_id: str) -> None: ...

    def highlight_question(self, question_id: str) -> None: ...


@runtime_checkable
class IdlePrepared(Protocol):
    def has_idle_work(self) -> bool:
        """Something to bring up to date while hidden."""

    def prepare(self) -> None:
        """Do it now (one step of idle time)."""


def scroll_to_top(widget: QWidget) -> None:
    """Every scroll area of a page back at its top-left (a page opens at its top)."""
    for area in widget.findChildren(QScrollArea):
        area.verticalScrollBar().setValue(0)
        area.horizontalScrollBar().setValue(0)
