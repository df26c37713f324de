"""The open assessment and every edit to it: a plain-Python controller (no Qt).

The window never saves anything itself. Each change goes through a `Session`, which updates the
assessment in memory, saves it through the store at once (through `PendingSaves`, so a failed
save is kept and retried, never lost), and marks the readiness result for recomputation.
Listeners (the window) hear about it through plain callbacks, Mu-style, so all of this is tested
with plain pytest and no window.

The window imports this module (and with it the form loader and the scoring engine) when the
first assessment opens, so the start screen does not pay for them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from nasro_desktop.domain import forms  # forms.form_registry: looked up when called
from nasro_desktop.domain.answer_types import ANSWER_TYPES, AnswerValueError
from nasro_desktop.domain.compare import CannotCompare, compare, program_key
from nasro_desktop.domain.entries import (
    InvalidEntry,
    Problem,
    officer_problems,
    school_problems,
)
from nasro_desktop.domain.forms import FormError, current_form
from nasro_desktop.domain.links import renamed_school
from nasro_desktop.domain.model import (
    ActionItem,
    Answer,
    AnswerType,
    Assessment,
    Form,
    Officer,
    Owner,
    RapidDeploymentReading,
    School,
)
from nasro_desktop.domain.pages import PageSpec, interview_pages
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate, officer_status
from nasro_desktop.domain.titles import default_title
from nasro_desktop.errors import UserError
from nasro_desktop.events import Change, ChangeKind, SessionEvent
from nasro_desktop.store import PendingSaves, StoreError, sharing

if TYPE_CHECKING:
    from pathlib import Path

    from nasro_desktop.domain.compare import Comparison
    from nasro_desktop.domain.evidence import Evidence
    from nasro_desktop.domain.merge import MergeOutcome, Provenance, Side
    from nasro_desktop.domain.results import Readiness
    from nasro_desktop.store import Store
    from nasro_desktop.store.evidence import Staged
    from nasro_desktop.store.reading import AssessmentSummary
    from nasro_desktop.store.sharing import Preview

_Row = TypeVar("_Row", Officer, School, ActionItem)

# The detail fields a user may change through save_details (all plain assessment attributes).
DETAIL_FIELDS = (
    "title",
    "agency",
    "district",
    "prepared_by",
    "as_of",
    "rapid_deployment_reading",
    "last_page",
)

_KEEP: Any = object()  # "leave this part of the answer as it is"


# --- The session ------------------------------------------------------------------------

Listener = Callable[[SessionEvent, object], None]


@dataclass
class SaveState:
    """When everything was last saved, and why the last save failed ("" when it did not)."""

    saved_at: datetime | None = None
    message: str = ""


@dataclass
class Session:
    """One open assessment. Create with `Session.open`, `Session.create` or `Session.open_sample`.

    Listeners hear `(event, payload)`, typed in nasro_desktop/events.py: SAVED (the datetime),
    SAVE_FAILED (a plain sentence; the change is kept in memory and retried), CHANGED (a
    `Change`: an answer and its question id, or officers, schools, details, action items,
    evidence); readiness is then out of date until read again.
    """

    store: Store
    form: Form
    assessment: Assessment
    pending: PendingSaves = field(default_factory=PendingSaves)
    clock: Callable[[], datetime] = datetime.now
    _readiness: Readiness | None = field(default=None, init=False, repr=False)
    _listeners: list[Listener] = field(default_factory=list, init=False, repr=False)
    _summary: tuple[int, str] | None = field(default=None, init=False, repr=False)
    state: SaveState = field(default_factory=SaveState, init=False)
    _judged: dict[int, tuple[Assessment, Readiness]] = field(
        default_factory=dict, init=False, repr=False)  # other assessments, for compare_with

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, store: Store, assessment_id: int) -> Session:
        assessment = store.load_assessment(assessment_id)
        return cls(store, form_for(assessment), assessment)

    @classmethod
    def create(cls, store: Store, *, agency: str, district: str, prepared_by: str,
               as_of: date, title: str = "") -> Session:
        form = current_form()
        assessment = Assessment(
            title=title.strip() or default_title(agency, district, as_of),
            agency=agency.strip(), district=district.strip(), prepared_by=prepared_by.strip(),
            as_of=as_of, form_id=form.form_id, form_version=form.version,
        )
        return cls(store, form, store.create_assessment(assessment))._summed()

    @classmethod
    def open_sample(cls, store: Store) -> Session:
        """Save a fresh copy of the built-in sample in the store and open it."""
        form = current_form()
        return cls(store, form, store.create_assessment(sample_assessment(form)))._summed()

    def _summed(self) -> Session:
        """This session, with the start screen's summary of it brought up to date."""
        self.refresh_summary()
        return self

    def newer_form(self) -> Form | None:
        """The newest sound version of this assessment's question set, if newer than its own."""
        registry = forms.form_registry()
        form_id = self.assessment.form_id or self.form.form_id
        if not any(v > self.form.version for v in registry.versions(form_id)):
            return None  # no file to read: costs nothing when there is no newer set
        try:
            newest = registry.current(form_id)
        except FormError:
            return None
        return newest if newest.version > self.form.version else None

    def upgraded(self, new_form: Form) -> Session:
        """Move the assessment to `new_form` in the store (answers follow `replaces`) and
        return a session on it. Refused while a change is still waiting to be saved."""
        self._saved_first("the questions were not changed")
        assessment = self.store.upgrade_form(self.assessment_id, new_form)
        return type(self)(self.store, new_form, assessment, clock=self.clock)._summed()

    @cached_property
    def pages(self) -> list[PageSpec]:
        """The interview's question pages (see interview_pages), computed once."""
        return interview_pages(self.form)

    # -- listeners -------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, event: SessionEvent, payload: object) -> None:
        for listener in list(self._listeners):
            listener(event, payload)

    # -- saving ----------------------------------------------------------------------------

    @property
    def assessment_id(self) -> int:
        assert self.assessment.id is not None
        return self.assessment.id

    def _submit(self, key: str, operation: Callable[[], object]) -> bool:
        saved = self.pending.submit(key, operation)
        self._after_save(saved)
        return saved

    def _after_save(self, saved: bool) -> None:
        if saved and self.pending.pending == 0:
            self.state.saved_at = self.clock()
            self.state.message = ""
            self._emit(SessionEvent.SAVED, self.state.saved_at)
        else:
            error = self.pending.last_error
            self.state.message = str(error) if error else "The last change could not be saved."
            self._emit(SessionEvent.SAVE_FAILED, self.state.message)

    @property
    def has_unsaved(self) -> bool:
        return self.pending.pending > 0

    def retry(self) -> bool:
        """Try the kept changes again (the window calls this from a timer). True: all saved."""
        if not self.pending.pending:
            return True
        done = self.pending.retry()
        self._after_save(done)
        return done

    def save_now(self) -> bool:
        """Ctrl+S: save anything still waiting, now. True when nothing is left unsaved."""
        self.refresh_summary()
        if self.pending.pending:
            return self.retry()
        self._after_save(True)  # nothing waiting: say Saved now
        return True

    def _changed(self, what: Change) -> None:
        self._readiness = None
        self._emit(SessionEvent.CHANGED, what)

    # -- answers ---------------------------------------------------------------------------

    def answer(self, question_id: str) -> Answer | None:
        return self.assessment.answers.get(question_id)

    def value(self, question_id: str) -> Any:
        return self.assessment.value(question_id)

    def set_answer(self, question_id: str, value: Any = _KEEP, *, note: str = _KEEP,
                   na_reason: str = _KEEP, flagged: bool = _KEEP) -> bool:
        """Change one answer (any of its parts) and save it. True when it was saved now."""
        question = self.form.question(question_id)
        answer = self.assessment.answers.get(question_id)
        if answer is None:
            answer = Answer(question_id)
            self.assessment.answers[question_id] = answer
        if value is not _KEEP:
            answer.value = normalize_value(question.type, value)
            answer.reconfirm = False
        if note is not _KEEP:
            answer.note = note
        if na_reason is not _KEEP:
            answer.na_reason = na_reason
        if flagged is not _KEEP:
            answer.flagged = bool(flagged)
        answer.updated = self.clock()
        snapshot = copy.copy(answer)
        aid = self.assessment_id

        def operation() -> object:
            return self.store.save_answer(aid, snapshot)

        saved = self._submit(f"answer:{question_id}", operation)
        self._changed(Change(ChangeKind.ANSWER, question_id))
        return saved

    # -- officers, schools, action items ---------------------------------------------------

    def save_officer(self, officer: Officer) -> Officer:
        """Add (id None) or update an officer. Raises InvalidEntry on blocking problems."""
        blocking = [p for p in officer_problems(officer, self.assessment.as_of) if p.blocking]
        if blocking:
            raise InvalidEntry(blocking)
        row = self._save_row("officer", self.assessment.officers, officer, self.store.save_officer)
        self._changed(Change(ChangeKind.OFFICERS))
        return row

    def delete_officer(self, officer: Officer) -> bool:
        return self._delete_row("officer", self.assessment.officers, officer,
                                self.store.delete_officer, ChangeKind.OFFICERS)

    def save_school(self, school: School) -> School:
        """Add or update a school; a renamed school keeps its officers (their links follow)."""
        blocking = [p for p in school_problems(school) if p.blocking]
        if blocking:
            raise InvalidEntry(blocking)
        before = next((s.name for s in self.assessment.schools
                       if school.id is not None and s.id == school.id), None)
        row = self._save_row("school", self.assessment.schools, school, self.store.save_school)
        if before is not None and before != row.name:
            for officer in renamed_school(self.assessment.officers, before, row.name):
                self._save_row("officer", self.assessment.officers, officer,
                               self.store.save_officer)
            self._changed(Change(ChangeKind.OFFICERS))
        self._changed(Change(ChangeKind.SCHOOLS))
        return row

    def delete_school(self, school: School) -> bool:
        return self._delete_row("school", self.assessment.schools, school,
                                self.store.delete_school, ChangeKind.SCHOOLS)

    def save_action_item(self, item: ActionItem) -> ActionItem:
        """Add or update one action-plan row. A new row for a standard that already has one
        updates that row instead (the plan has one row per gap)."""
        if item.id is None:
            existing = next((a for a in self.assessment.action_items
                             if a.standard_id == item.standard_id and item.standard_id), None)
            if existing is not None:
                item = replace(item, id=existing.id)
                if existing.id is None:  # its insert is still waiting: update that object
                    _copy_into(existing, item)
                    item = existing
        row = self._save_row("action", self.assessment.action_items, item,
                             self.store.save_action_item)
        self._changed(Change(ChangeKind.ACTION_ITEMS))
        return row

    def delete_action_item(self, item: ActionItem) -> bool:
        return self._delete_row("action", self.assessment.action_items, item,
                                self.store.delete_action_item, ChangeKind.ACTION_ITEMS)

    def _save_row(self, kind: str, rows: list[_Row], new: _Row,
                  save: Callable[[int, Any], Any]) -> _Row:
        """`new` copied into its row in `rows` (the same object, or the same id), or added as
        a copy; that row saved (kept and retried as an answer is) and returned."""
        row = _row_of(rows, new)
        if row is None:
            row = copy.copy(new)
            rows.append(row)
        elif row is not new:
            _copy_into(row, new)
        aid = self.assessment_id
        snapshot = copy.copy(row)
        key = f"{kind}:{row.id}" if row.id is not None else f"{kind}:new:{id(row)}"

        def operation() -> object:
            result = save(aid, snapshot)
            if row.id is None and getattr(result, "id", None) is not None:
                row.id = result.id
            return result

        self._submit(key, operation)
        return row

    def _delete_row(self, kind: str, rows: list[Any], target: Any,
                    delete: Callable[[int, int], Any], change: ChangeKind) -> bool:
        row = _row_of(rows, target)
        saved = True
        if row is not None:
            rows.remove(row)
            if row.id is None:
                # never reached the file: replace its waiting insert with nothing
                saved = self._submit(f"{kind}:new:{id(row)}", lambda: None)
            else:
                aid, rid = self.assessment_id, row.id
                saved = self._submit(f"{kind}:{rid}", lambda: delete(aid, rid))
        self._changed(Change(change))
        return saved

    # -- details ---------------------------------------------------------------------------

    def save_details(self, **changes: Any) -> bool:
        """Change assessment details (title, agency, district, prepared_by, as_of,
        rapid_deployment_reading, last_page) and save them."""
        unknown = set(changes) - set(DETAIL_FIELDS)
        if unknown:
            raise TypeError(f"not a detail: {', '.join(sorted(unknown))}")
        if "rapid_deployment_reading" in changes:
            changes["rapid_deployment_reading"] = RapidDeploymentReading(
                changes["rapid_deployment_reading"])
        saved = True
        aid = self.assessment_id
        for name, value in changes.items():
            setattr(self.assessment, name, value)

            def operation(name: str = name, value: Any = value) -> None:
                self.store.save_details(aid, **{name: value})

            saved = self._submit(f"details:{name}", operation) and saved
        if set(changes) - {"last_page"}:
            self._changed(Change(ChangeKind.DETAILS))
        return saved

    def set_last_page(self, page_id: str) -> bool:
        if self.assessment.last_page == page_id:
            return True
        return self.save_details(last_page=page_id)

    # -- readiness -------------------------------------------------------------------------

    @property
    def readiness(self) -> Readiness:
        if self._readiness is None:
            self._readiness = evaluate(self.form, self.assessment, evidence=self._evidence())
        return self._readiness

    def _evidence(self) -> list[Any]:
        """The files attached to this assessment (their expiry dates fall due); none when the
        store cannot list them, which never stops the verdict from showing."""
        try:
            return list(self.store.evidence.records(self.assessment_id))
        except (StoreError, OSError):
            return []

    def evidence_changed(self) -> None:
        """A file was attached, edited or removed: judge again (its expiry may fall due)."""
        self._changed(Change(ChangeKind.EVIDENCE))

    # -- evidence files: the file is copied in first (store.evidence.stage, on a worker
    # thread); each change to the records is saved as an answer is (kept and tried again
    # when the disk is full or the file busy) and told as a change

    def _evidence_edit(self, key: str, edit: Callable[[], object]) -> bool:
        def operation() -> None:
            edit()
            self.evidence_changed()

        return self._submit(f"evidence:{key}", operation)

    def record_evidence(self, staged: Staged, kind: str, key: str, *,
                        standard_id: str = "") -> Evidence | None:
        """The record of a file copied in; None when it could not be saved yet (kept, with
        the file, and saved by `retry`, as an answer is)."""
        made: list[Evidence] = []
        self._evidence_edit(f"new:{staged.sha256}:{kind}:{key}", lambda: made.append(
            self.store.evidence.record(staged, self.assessment_id, kind, key,
                                       standard_id=standard_id)))
        return made[0] if made else None

    def update_evidence(self, evidence_id: int, **changes: Any) -> bool:
        """`description=` and/or `valid_until=`, as store.evidence.update takes them. False:
        not saved yet (kept and tried again, as an answer is)."""
        return self._evidence_edit(f"{evidence_id}:{','.join(sorted(changes))}",
                                   lambda: self.store.evidence.update(evidence_id, **changes))

    def remove_evidence(self, evidence_id: int) -> bool:
        return self._evidence_edit(f"{evidence_id}:removed",
                                   lambda: self.store.evidence.remove(evidence_id))

    def restore_evidence(self, evidence_id: int) -> bool:
        return self._evidence_edit(f"{evidence_id}:removed",
                                   lambda: self.store.evidence.restore(evidence_id))

    def refresh_summary(self) -> bool:
        """Keep the start screen's % answered and verdict in step (saved only when changed)."""
        readiness = self.readiness
        # next year's copy: an answer carried over counts once it is confirmed
        carried = sum(1 for q in self.form.visible_questions(self.assessment.answers)
                      if (a := self.assessment.answers.get(q.id)) is not None and a.reconfirm)
        percent = readiness.percent_answered if not carried or not readiness.total else \
            round(100 * max(0, readiness.answered - carried) / readiness.total)
        summary = (percent, readiness.verdict.value)
        if summary == self._summary:
            return True
        self._summary = summary
        aid = self.assessment_id
        return self._submit("summary", lambda: self.store.set_summary(aid, *summary))

    def officer_training_status(self, officer: Officer) -> str:
        """One line in words and symbols naming the training due or overdue (from the engine's
        findings for this officer, matched by identity, never by name)."""
        officers = self.assessment.officers
        index = next((i for i, o in enumerate(officers) if o is officer), None)
        if index is None:
            index = next((i for i, o in enumerate(officers)
                          if officer.id is not None and o.id == officer.id), len(officers))
        return officer_status(self.readiness, officer, index)

    # -- since last year -------------------------------------------------------------------

    def comparable(self) -> list[AssessmentSummary]:
        """The saved assessments this one can be compared with: the one it was started from
        first, then the others of the same program (agency and district) and question set,
        latest first. Deleted and damaged ones are left out."""
        own, before = self.assessment_id, self.predecessor_id()
        key = program_key(self.assessment.agency, self.assessment.district)
        found = [s for s in self.store.list_assessments()
                 if s.id != own and not s.problem and s.form_id == self.form.form_id
                 and (s.id == before or program_key(s.agency, s.district) == key)]
        return sorted(found, key=lambda s: (s.id != before, -s.as_of.toordinal(), -s.id))

    def predecessor_id(self) -> int | None:
        """The assessment this one was started from ("Start next year's from this…")."""
        return self.store.predecessor_of(self.assessment_id)

    def compare_with(self, other_id: int, readiness: Readiness | None = None) -> Comparison:
        """This assessment (with `readiness`, by default its own) against another saved one;
        the earlier is "then". Raises CannotCompare, or a StoreError when the other cannot be
        read, or QuestionSetUnavailable. The other is read and judged once per session (it is not the one being edited)."""
        if other_id not in self._judged:
            self._judged[other_id] = judged(self.store, other_id)
        other, other_readiness = self._judged[other_id]
        return compare(self.assessment, readiness or self.readiness, other, other_readiness)

    # -- sharing with the other party (store/sharing.py, domain/merge.py) -------------------

    def _saved_first(self, what: str) -> None:
        """Anything still waiting saved first; with nothing waiting no "Saved at" is claimed
        (an Undo the last merge with no merge changes nothing)."""
        if self.pending.pending and not self.save_now():
            raise StoreError(f"Some of your latest changes are not saved yet, so {what}. Wait "
                             "until the status bar says Saved, then try again.")

    @property
    def sharing(self) -> dict[str, Any] | None:
        """How this assessment is shared: None, or its link record (store/sharing.py)."""
        return sharing.link_of(self.store, self.assessment_id)

    def provenance(self) -> Provenance | None:
        """Who gave each answer and where the two sides disagreed (None: not shared)."""
        return sharing.provenance_of(self.store, self.assessment_id)

    def share(self, dest: Path, *, party: Owner, name: str, with_evidence: bool = False
              ) -> Path:
        """Write the file for the other party: on an assessment shared with us, the copy sent
        back; otherwise a new round of sharing. The evidence files go only `with_evidence`."""
        self._saved_first("nothing was shared")
        return sharing.write_exchange(self.store, self.assessment_id, dest, party=party,
                                      name=name, with_evidence=with_evidence)

    def merge_preview(self, src: Path) -> Preview:
        """What merging a returned copy would change; nothing is written."""
        self._saved_first("nothing was merged")
        return sharing.preview(self.store, self.assessment_id, src, self.form)

    def merged(self, src: Path, choices: dict[str, Side], default: Side | None = None
               ) -> tuple[Session, MergeOutcome]:
        """Merge a returned copy with the user's choices; a session on the merged assessment
        (the window swaps to it), and what was taken and set aside."""
        self._saved_first("nothing was merged")
        _seen, outcome = sharing.merge_file(self.store, self.assessment_id, src, choices=choices,
                                            default=default, form=self.form)
        return self._reopened(), outcome

    def merge_undone(self, *, force: bool = False) -> Session | None:
        """Put the assessment back as it was before the last merge (None: there was none).
        Raises sharing.ChangedSinceMerge when it was changed since, unless `force`."""
        self._saved_first("the merge was not undone")
        if not sharing.undo_merge(self.store, self.assessment_id, force=force):
            return None
        return self._reopened()

    def _reopened(self) -> Session:
        session = type(self).open(self.store, self.assessment_id)
        session.clock = self.clock
        return session._summed()

    @classmethod
    def open_shared(cls, store: Store, src: Path, *, party: Owner, separate: bool = False
                    ) -> Session:
        """Open a file shared by the other party as a new, linked assessment here. Raises
        sharing.EarlierRoundHere when this side's copy of the round before is here (merge the
        file into it instead), unless `separate`."""
        return cls.open(store, sharing.open_shared(store, src, party=party,
                                                   separate=separate))._summed()


def judged(store: Store, assessment_id: int) -> tuple[Assessment, Readiness]:
    """A saved assessment and its readiness as of its own date."""
    assessment = store.load_assessment(assessment_id)
    return assessment, evaluate(form_for(assessment), assessment)


def since_predecessor(store: Store, assessment: Assessment,
                      readiness: Readiness) -> Comparison | None:
    """The report's "Since last year": `assessment` against the one it was started from;
    None when it was not started from one, or that one cannot be read or compared (the
    report is then made without the part)."""
    if assessment.id is None:
        return None
    try:
        before = store.predecessor_of(assessment.id)
        if before is None:
            return None
        return compare(assessment, readiness, *judged(store, before))
    except (CannotCompare, QuestionSetUnavailable, StoreError):
        return None


class QuestionSetUnavailable(UserError):
    """This copy of the app cannot load the question set an assessment uses (a newer copy of
    the app saved it, or the set's file is damaged); the message says what to do."""


def form_for(assessment: Assessment) -> Form:
    """The question set an assessment was started with (kept until the user upgrades it)."""
    if not assessment.form_id:
        return current_form()
    try:
        return forms.form_registry().get(assessment.form_id, assessment.form_version)
    except FormError as error:
        raise QuestionSetUnavailable(
            f"Assessment {assessment.id} uses the question set {assessment.form_id} version "
            f"{assessment.form_version}, which this copy of the app cannot load "
            f"({str(error).splitlines()[0]}). Install the newest version of the app (or "
            "reinstall it), then try again.") from None


def normalize_value(kind: AnswerType, value: Any) -> Any:
    """The stored form of an answer value (see Answer.value and domain/answer_types.py)."""
    try:
        return ANSWER_TYPES[kind].normalise_value(value)
    except AnswerValueError as error:
        raise InvalidEntry([Problem("value", str(error))]) from None


def _row_of(rows: list[_Row], target: _Row) -> _Row | None:
    """`target`'s row in `rows`: the same object, or the saved row with its id."""
    return next((r for r in rows if r is target or (target.id is not None and r.id == target.id)),
                None)


def _copy_into(target: Any, source: Any) -> None:
    for f in fields(target):
        if f.name == "id" and source.id is None:
            continue
        setattr(target, f.name, getattr(source, f.name))
