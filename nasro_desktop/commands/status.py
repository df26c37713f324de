"""`nasro-desktop status ID [--json]`: where one assessment stands, as the Readiness page says
it: the verdict, the counts, and the standards not met with their action-plan steps; with
--json, every standard's status and findings too (schema in commands/as_json.py and the
README). Opens the data read-only, so it works while the window has it open."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from nasro_desktop.commands.as_json import emit, status_json
from nasro_desktop.commands.assessments import open_saved
from nasro_desktop.commands.terminal import plain, say
from nasro_desktop.domain.model import ActionStatus
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.session import form_for
from nasro_desktop.store.tables import is_late

if TYPE_CHECKING:
    from nasro_desktop.domain.model import Assessment
    from nasro_desktop.domain.results import Readiness


def cmd_status(args: argparse.Namespace) -> int:
    with open_saved(args) as store:
        assessment = store.load_assessment(args.id)
        evidence = store.evidence.records(args.id)
    form = form_for(assessment)
    readiness = evaluate(form, assessment, evidence=evidence)
    if args.json:
        emit("status", **status_json(assessment, form, readiness))
        return 0
    _print_status(assessment, readiness)
    return 0


def _print_status(assessment: Assessment, readiness: Readiness) -> None:
    r = readiness
    a = assessment
    say(f"Assessment {a.id}: {plain(a.title) or 'untitled'}")
    say(f"{plain(a.agency) or 'No agency'} and {plain(a.district) or 'no district'}; "
        f"assessment date {r.as_of.isoformat()}")
    say(f"Verdict: {r.verdict.label}. {plain(r.verdict_sentence)}")
    score = "" if r.recommended_score is None else f", score {r.recommended_score:.0f}%"
    say(f"Mandatory standards met: {r.mandatory_met} of {r.mandatory_total}; recommended: "
        f"{r.recommended_met} of {r.recommended_total} met{score}")
    deciding = r.open_questions - r.open_recommended
    verb = "counts" if deciding == 1 else "count"
    still = f"{deciding} still open that {verb} for the verdict"
    if r.open_recommended:  # a recommended standard's question counts for the score only
        still += f", {r.open_recommended} for the recommended score only"
    say(f"Questions answered: {r.answered} of {r.total} ({still})")
    say(f"Data fingerprint: {r.fingerprint}")
    if not r.gaps:
        say("Every applicable standard is met.")
        return
    say("")
    say(f"Standards not met ({len(r.gaps)}), most urgent first:")
    for gap in r.gaps:
        late = is_late(gap.target_date, gap.action_status is ActionStatus.DONE, r.as_of)
        target = f"target {gap.target_date.isoformat()}" if gap.target_date else "no target date"
        say(f"  {gap.rank:>2}. {gap.status.symbol} {gap.standard.number} "
            f"{plain(gap.standard.title)} ({gap.standard.cls.label}): {gap.status.label}; "
            f"{gap.owner.label}, {target}, {gap.action_status.label}" + (", LATE" if late else ""))
        say(f"      Next step: {plain(gap.next_step)}")
