"""`nasro-desktop share | open-shared | merge | undo-merge`: the agency and the district each
answer their part on their own computer, then bring the answers together (store/sharing.py,
domain/merge.py). `merge` prints every difference; with `--dry-run` it changes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from nasro_desktop.commands.terminal import cut, say, visible
from nasro_desktop.domain.merge import Change, Difference, Side
from nasro_desktop.domain.model import Owner
from nasro_desktop.errors import UserError
from nasro_desktop.session import form_for
from nasro_desktop.store import sharing
from nasro_desktop.store.db import Store


def _words(diff: Difference, item: object) -> str:
    if item is None:
        return "(none)"
    if isinstance(item, dict):
        if diff.kind == "answers":
            value = item.get("value")
            return "(not answered)" if value in (None, "") else str(value)
        if diff.kind == "details":
            return str(item.get("value"))
        return str(item.get("name") or item.get("next_step") or "")
    return str(item)


def cmd_share(args: argparse.Namespace) -> int:
    with Store.open(args.data_dir) as store:
        link = sharing.link_of(store, args.id) or {}
        party = Owner(link.get("party") or args.as_party)
        written = sharing.write_exchange(store, args.id, Path(args.out), party=party,
                                         name=args.name or "", with_evidence=args.with_evidence)
        left_out = list(store.last_left_out)
    back = link.get("role") == "linked"
    say(f"{'Sent back' if back else 'Shared'} assessment {args.id} as {party.label.lower()}"
        f"{' with its evidence files' if args.with_evidence else ''}: {visible(written)}")
    for what in left_out:
        say(f"Left out: {visible(what)}")
    return 0


def cmd_open_shared(args: argparse.Namespace) -> int:
    src = Path(args.file)
    try:
        sender = sharing.read_exchange(src).sender
        mine = Owner.AGENCY if sender.party is Owner.DISTRICT else Owner.DISTRICT
        with Store.open(args.data_dir) as store:
            new_id = sharing.open_shared(store, src, party=mine, separate=args.separate)
    except sharing.EarlierRoundHere as earlier:
        raise UserError(
            f"You already have the earlier round of this shared assessment, as assessment "
            f"{earlier.assessment_id} ({visible(earlier.title)}). To bring this round into it: "
            f"nasro-desktop merge {earlier.assessment_id} {visible(src)} (add --dry-run to see "
            "the differences first). To open it as a separate copy: add --separate. Nothing "
            "was changed.") from None
    say(f"Opened the assessment shared by {visible(sender.words())} as assessment {new_id}. "
        f"Answer {mine.label.lower()}'s part, then: nasro-desktop share {new_id} --out FILE")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    src = Path(args.file)
    take = None if args.take is None else Side(args.take)
    with Store.open(args.data_dir, read_only=args.dry_run) as store:
        form = form_for(store.load_assessment(args.id))
        seen = sharing.preview(store, args.id, src, form)
        plan = seen.plan
        for diff in plan.differences:
            mark = {Change.TAKEN: "take", Change.KEPT: "keep", Change.CONFLICT: "BOTH"}[diff.change]
            say(f"{mark:4}  {cut(diff.label)}: ours {cut(_words(diff, diff.ours), 30)}"
                f" | theirs {cut(_words(diff, diff.theirs), 30)}")
        for item in seen.new_evidence:
            say(f"add   evidence file {cut(item.file_name, 50)} ({item.kind.label.lower()}"
                f" {cut(item.standard_id or item.key, 30)})")
        for edit in seen.evidence_edits:
            if edit.taken:
                say(f"take  evidence file {cut(edit.ours.file_name, 50)}: their "
                    "description and valid-until date")
            else:
                say(f"keep  evidence file {cut(edit.ours.file_name, 50)}: kept yours (both "
                    "sides changed its description or valid-until date)")
        if seen.upgrade_to:
            say(f"Their copy uses version {seen.upgrade_to} of the questions: merging moves "
                f"assessment {args.id} to it too, as upgrading does.")
        if not seen.changes_anything:
            say("Nothing to merge: every change in that file is already here.")
            return 0
        if plan.conflicts and take is None:
            raise UserError(
                f"{len(plan.conflicts)} item(s) were changed on both sides (marked BOTH). "
                "Choose with --take theirs or --take ours, or merge in the window to choose "
                "one by one. Nothing was changed.")
        if args.dry_run:
            say(f"Dry run: {len(plan.taken)} to take, {len(plan.conflicts)} settled as "
                f"{take or 'chosen'}, {len(seen.new_evidence)} evidence file(s) to add; "
                "nothing was changed.")
            return 0
        sharing.merge_file(store, args.id, src, default=take, form=form)
    say(f"Merged {len(plan.taken) + len(plan.conflicts)} change(s) from "
        f"{visible(seen.file.sender.words())} into assessment {args.id}. "
        f"To put it back: nasro-desktop undo-merge {args.id}")
    return 0


def cmd_undo_merge(args: argparse.Namespace) -> int:
    try:
        with Store.open(args.data_dir) as store:
            done = sharing.undo_merge(store, args.id, force=args.force)
    except sharing.ChangedSinceMerge as error:
        raise UserError(f"{error} To undo it anyway, add --force.") from None
    if not done:
        raise UserError(f"Assessment {args.id} has no merge to undo. Nothing was changed.")
    say(f"Assessment {args.id} is back as it was before the last merge.")
    return 0
