"""What a Session tells its listeners (the window): typed, so a listener cannot mistype an
event, and tiny, so the window can import it before any assessment is open."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SessionEvent(StrEnum):
    SAVED = "saved"  # payload: the datetime everything was saved
    SAVE_FAILED = "save_failed"  # payload: a plain sentence; the change is kept and retried
    CHANGED = "changed"  # payload: a Change; readiness is out of date until read again


class ChangeKind(StrEnum):
    ANSWER = "answer"
    OFFICERS = "officers"
    SCHOOLS = "schools"
    DETAILS = "details"
    ACTION_ITEMS = "action_items"
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class Change:
    """What changed: an answer (with its question id), or one of the assessment's parts."""

    kind: ChangeKind
    question_id: str = ""

    def __str__(self) -> str:
        return f"answer:{self.question_id}" if self.kind is ChangeKind.ANSWER else self.kind.value
