"""`nasro-desktop search | compare`: Find and Since last year from the command line.
Each returns an exit code; a problem is a UserError.

Both open the data read-only, so they also work while the window has it open.
"""

from __future__ import annotations

import argparse

from nasro_desktop.commands.as_json import comparison_json, emit, hit_json
from nasro_desktop.commands.assessments import open_saved
from nasro_desktop.commands.terminal import plain, plain_lines
from nasro_desktop.domain.compare import CannotCompare, compare, format_comparison
from nasro_desktop.errors import UserError
from nasro_desktop.session import judged
from nasro_desktop.store.search import words_of


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.words)
    if not words_of(query):
        raise UserError("Give one or more words to look for, e.g. `nasro-desktop search MOU`.")
    with open_saved(args) as store:
        hits = store.search(query, limit=args.limit)
    if args.json:
        emit("search", query=query, limit=args.limit, truncated=len(hits) >= args.limit,
             hits=[hit_json(h) for h in hits])
        return 0
    if not hits:
        print(f"Nothing found for {plain(query)!r} in notes, reasons or action items.")
        return 0
    print(f"{len(hits)} found for {plain(query)!r}" + (" (the first shown)" if
                                                      len(hits) >= args.limit else "") + ":")
    for hit in hits:
        where = hit.question_id or hit.standard_id or plain(hit.subject)
        print(f"  [{hit.assessment_id}] {plain(hit.assessment_title)} ({hit.as_of.isoformat()})"
              f" - {hit.kind_label}" + (f", {where}" if where else ""))
        print(f"      {plain(hit.snippet)}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    with open_saved(args) as store:
        second_id = args.id2
        if second_id is None:
            second_id = store.predecessor_of(args.id1)
            if second_id is None:
                raise UserError(
                    f"Assessment {args.id1} was not started from an earlier one; give the "
                    "two numbers to compare (see `nasro-desktop list`)."
                )
        first, first_r = judged(store, args.id1)
        second, second_r = judged(store, second_id)
    try:
        result = compare(first, first_r, second, second_r)
    except CannotCompare as error:
        raise UserError(str(error)) from None
    if args.json:
        emit("compare", **comparison_json(result))
        return 0
    print(plain_lines(format_comparison(result)), end="")
    return 0
