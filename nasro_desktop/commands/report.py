"""`nasro-desktop report (ID | --sample) --out FILE.pdf [--as-of YYYY-MM-DD] [--paper a4]
[--edition board|full] [--names] [--format pdf|docx]`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from nasro_desktop.commands.overwrite import refuse_to_overwrite
from nasro_desktop.domain.compare import Comparison
from nasro_desktop.domain.evidence import Evidence
from nasro_desktop.domain.merge import Provenance
from nasro_desktop.domain.model import Assessment, Form
from nasro_desktop.domain.results import Readiness
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.errors import UserError
from nasro_desktop.report import render_report, render_word
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.session import form_for, since_predecessor
from nasro_desktop.store import Store, StoreError, files, sharing


def parse_as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"“{text}” is not a date this command understands. "
            "Write the --as-of date as YYYY-MM-DD, for example 2026-09-15."
        ) from None


def check_target(path: Path) -> Path:
    """Where the report goes, checked before it is made (a place that can't take it fails at
    once, not after the rendering). It is written with files.publish: atomically, never
    half-written under the user's name, private (0600) if new, keeping an older file's mode."""
    folder = path.parent
    if path.is_dir():
        raise UserError(f"{path} is a folder. Give a file name ending in .pdf after --out.")
    if not folder.is_dir():
        raise UserError(
            f"The folder {folder} does not exist. Create it, or choose another place with --out."
        )
    try:
        Path(files.temp_beside(path)).unlink()
    except OSError as error:
        raise UserError(
            f"Cannot save a file in the folder {folder} ({error.strerror or error}). "
            "Choose a folder you can save files in with --out."
        ) from None
    return path


def save(path: Path, data: bytes) -> None:
    try:
        files.publish(path, data, keep_mode=True)
    except OSError as error:
        raise UserError(
            f"Cannot save the report as {path} ({error.strerror or error}). "
            "If the file is open in a PDF viewer, close it; or choose another name with --out."
        ) from None


def judge(assessment: Assessment, as_of: date | None,
          evidence: list[Evidence]) -> tuple[Form, Readiness]:
    """The question set `assessment` uses, and its readiness as of `as_of`."""
    form = form_for(assessment)
    return form, evaluate(form, assessment, as_of, evidence=evidence)


def cmd_report(args: argparse.Namespace) -> int:
    as_of = parse_as_of(args.as_of)
    refuse_to_overwrite([Path(args.out).expanduser()], args.force)
    # --format, or the --out file's ending (.docx is Word), else pdf
    kind = args.format or ("docx" if str(args.out).lower().endswith(".docx") else "pdf")
    target = check_target(Path(args.out).expanduser())
    edition = args.edition
    evidence: list[Evidence] = []
    comparison: Comparison | None = None
    provenance: Provenance | None = None
    if args.sample:
        assessment = sample_assessment()
        form, readiness = judge(assessment, as_of, evidence)
    else:
        with Store.open(args.data_dir, read_only=True) as store:  # works beside the window
            evidence = list(store.evidence.records(args.id, check=True))  # issue 27
            assessment = store.load_assessment(args.id)
            form, readiness = judge(assessment, as_of, evidence)
            # "Since last year", when it was started from one that can be read and compared
            comparison = since_predecessor(store, assessment, readiness)
            if edition == "full":  # who gave the answers, when it was shared
                try:
                    provenance = sharing.provenance_of(store, args.id)
                except (StoreError, KeyError, TypeError, ValueError):
                    pass  # the report is then made without it
    render = render_word if kind == "docx" else render_report
    options = ReportOptions(
        edition=edition, paper=args.paper, show_names=args.names, evidence=evidence,
        comparison=comparison, provenance=provenance,
    )  # fmt: skip
    data = render(form, assessment, readiness, options)
    save(target, data)
    what = "a Word document" if kind == "docx" else "a PDF"
    if not args.quiet:
        print(f"Wrote the readiness report ({edition} edition, {what}) to {target}.")
    return 0
