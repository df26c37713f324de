"""Bringing two copies of one assessment together: a three-way merge against the copy as it was
shared.

The agency and the district each answer their own parts on their own laptop. When a copy comes
back, every item (an answer, a detail of the assessment, an officer, a school, an action item)
is compared three ways: as shared (`base`), as it is here (`ours`) and as it came back
(`theirs`):

- the same on both sides: nothing to do;
- changed on one side only: that side's version is taken without asking, and listed;
- changed on both sides, differently: a conflict; the user chooses "keep ours" or "take theirs".

Items are plain JSON-like dicts keyed by a stable key (a question id, a detail's name, or a
row's key that the caller derives from the shared copy: rows are matched by where they came
from, never by name). Nothing here reads or writes a file: `plan_merge` says what would change,
`apply_merge` returns the merged items, and every value that is replaced is kept in
`MergeOutcome.replaced` so that nothing is lost without the user having seen it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nasro_desktop.domain.model import Form, Owner

KINDS = ("details", "answers", "officers", "schools", "action_items")

Item = Mapping[str, Any] | None
Snapshot = dict[str, dict[str, Any]]  # kind -> key -> item (a dict); an absent key: no item


class Side(StrEnum):
    OURS = "ours"
    THEIRS = "theirs"


class Change(StrEnum):
    TAKEN = "taken"  # only they changed it: their version is taken
    KEPT = "kept"  # only we changed it: ours stays
    CONFLICT = "conflict"  # both changed it, differently: the user chooses


@dataclass(frozen=True)
class Difference:
    kind: str  # one of KINDS
    key: str
    label: str  # the item in plain words (the question, the officer's name...)
    party: Owner  # whose part it is (a question's party; rows and details: both)
    change: Change
    base: Item
    ours: Item
    theirs: Item

    @property
    def ident(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass
class MergePlan:
    differences: list[Difference] = field(default_factory=list)

    def of(self, change: Change) -> list[Difference]:
        return [d for d in self.differences if d.change is change]

    @property
    def conflicts(self) -> list[Difference]:
        return self.of(Change.CONFLICT)

    @property
    def taken(self) -> list[Difference]:
        return self.of(Change.TAKEN)

    @property
    def kept(self) -> list[Difference]:
        return self.of(Change.KEPT)

    @property
    def changes_anything(self) -> bool:
        return bool(self.taken) or bool(self.conflicts)


@dataclass
class MergeOutcome:
    merged: Snapshot
    # every value that the merge replaced or did not take, with the side it came from:
    # (difference, the side whose version was set aside)
    replaced: list[tuple[Difference, Side]] = field(default_factory=list)


def empty_snapshot() -> Snapshot:
    return {kind: {} for kind in KINDS}


def question_party(form: Form, question_id: str) -> Owner:
    """Whose part a question is (agency, district or both): the question set's `party:` for it,
    which defaults to its standard's owner; a question this question set no longer has belongs
    to both."""
    if not form.has_question(question_id):
        return Owner.BOTH
    return form.question(question_id).party


def _label(form: Form | None, kind: str, key: str, items: tuple[Item, ...]) -> str:
    if kind == "answers":
        if form is not None and form.has_question(key):
            question = form.question(key)
            return f"{question.text} ({question.standard or 'profile'})"
        return key
    if kind == "details":
        return {"title": "Title", "agency": "Agency", "district": "District",
                "prepared_by": "Prepared by", "as_of": "Assessment date",
                "rapid_deployment_reading": "Reading of 'bi-annual'"}.get(key, key)
    for item in items:
        if item:
            name = item.get("name") or item.get("next_step") or ""
            if name:
                noun = {"officers": "Officer", "schools": "School",
                        "action_items": "Action item"}[kind]
                return f"{noun}: {str(name)[:80]}"
    return key


def plan_merge(base: Snapshot, ours: Snapshot, theirs: Snapshot, form: Form | None = None
               ) -> MergePlan:
    """Every item that differs between ours and theirs, and what happens to it."""
    plan = MergePlan()
    for kind in KINDS:
        b, o, t = base.get(kind, {}), ours.get(kind, {}), theirs.get(kind, {})
        for key in sorted(set(b) | set(o) | set(t)):
            bi, oi, ti = b.get(key), o.get(key), t.get(key)
            if oi == ti:
                continue
            if oi == bi:
                change = Change.TAKEN
            elif ti == bi:
                change = Change.KEPT
            else:
                change = Change.CONFLICT
            party = (question_party(form, key) if form is not None and kind == "answers"
                     else Owner.BOTH)
            plan.differences.append(Difference(
                kind=kind, key=key, label=_label(form, kind, key, (ti, oi, bi) if change is Change.TAKEN else (oi, ti, bi)), party=party,
                change=change, base=bi, ours=oi, theirs=ti))
    return plan


def apply_merge(ours: Snapshot, plan: MergePlan, choices: Mapping[str, Side] | None = None,
                *, default: Side | None = None) -> MergeOutcome:
    """Ours with the plan applied. `choices` settles each conflict by its `ident`; a conflict
    without a choice takes `default`, and with no default the merge refuses (ValueError):
    nothing is decided silently."""
    choices = dict(choices or {})
    merged: Snapshot = {kind: dict(ours.get(kind, {})) for kind in KINDS}
    outcome = MergeOutcome(merged=merged)
    for diff in plan.differences:
        if diff.change is Change.KEPT:
            outcome.replaced.append((diff, Side.THEIRS))
            continue
        if diff.change is Change.TAKEN:
            side = Side.THEIRS
        else:
            chosen = choices.get(diff.ident, default)
            if chosen is None:
                raise ValueError(f"no choice made for {diff.label}")
            side = Side(chosen)
        if side is Side.THEIRS:
            if diff.theirs is None:
                merged[diff.kind].pop(diff.key, None)
            else:
                merged[diff.kind][diff.key] = dict(diff.theirs)
            if diff.ours is not None:
                outcome.replaced.append((diff, Side.OURS))
        elif diff.theirs is not None:
            outcome.replaced.append((diff, Side.THEIRS))
    return outcome


def choose_for_party(plan: MergePlan, party: Owner, side: Side) -> dict[str, Side]:
    """"Take theirs for all district questions": a choice for every conflict of one party."""
    return {d.ident: side for d in plan.conflicts if d.kind == "answers" and d.party is party}


# --- who said what --------------------------------------------------------------------------


@dataclass(frozen=True)
class Settled:
    """A place where the two sides disagreed, and what was kept."""

    question_id: str
    label: str
    ours: Any  # each side's stored answer value (None: not answered)
    theirs: Any
    kept: Side
    other: str  # who the other side was (organisation and name)


@dataclass(frozen=True)
class Provenance:
    """Who gave the answers of an assessment the agency and the district answered together:
    for each answered question, the party whose answer it is; and where they disagreed."""

    party: Owner  # this copy's own side
    answered_by: Mapping[str, Owner]  # question id -> the party whose answer stands
    settled: tuple[Settled, ...] = ()
    # question id -> the name of the person whose answer stands, where known
    names: Mapping[str, str] = field(default_factory=dict)

    def who(self, question_id: str) -> str:
        """ "District — Dr. Renee Alvarado" (the side, then the person where known); "" for
        a question nobody answered."""
        if question_id not in self.answered_by:
            return ""
        side = self.answered_by[question_id].label
        name = self.names.get(question_id, "")
        return f"{side} — {name}" if name else side

    def by_standard(self, form: Form) -> dict[str, str]:
        """Each standard with an answer: "the agency", "the district" or "both sides"; one
        side whose answers all come from one known person adds the name ("the district —
        Dr. Renee Alvarado"), as the spreadsheet's "Answered by" does."""
        parties: dict[str, set[Owner]] = {}
        people: dict[str, set[str]] = {}
        for qid, party in self.answered_by.items():
            if form.has_question(qid) and form.question(qid).standard:
                sid = str(form.question(qid).standard)
                parties.setdefault(sid, set()).add(party)
                people.setdefault(sid, set()).add(self.names.get(qid, ""))
        words = {Owner.AGENCY: "the agency", Owner.DISTRICT: "the district"}
        out = {}
        for sid, found in parties.items():
            if len(found) != 1 or Owner.BOTH in found:
                out[sid] = "both sides"
                continue
            side = words[next(iter(found))]
            [name, *more] = sorted(people[sid])
            out[sid] = f"{side} — {name}" if name and not more else side
        return out
