"""One home for each fact (issue 21 §2): what is derived stays derived, and what two layers
share is the same thing in both."""

from __future__ import annotations

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.results import SubjectKind
from nasro_desktop.domain.rules import OFFICER_RULES, RULE_NAMES, RULES, officer_key
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report.options import ReportOptions


def test_every_rule_that_judges_officers_has_a_column_in_the_report():
    form = current_form()
    assessment = sample_assessment(form)
    assert assessment.officers and all(o.id is None for o in assessment.officers)
    readiness = evaluate(form, assessment)
    per_officer = {r.standard.rule for r in readiness.results
                   if any(f.kind is SubjectKind.OFFICER for f in r.findings)}
    assert per_officer and per_officer <= set(OFFICER_RULES)
    assert set(OFFICER_RULES) <= RULE_NAMES and set(RULES) <= RULE_NAMES
    # the report finds each officer's findings under the engine's own key (unsaved officers too)
    for result in readiness.results:
        if result.standard.rule in per_officer:
            for index, officer in enumerate(assessment.officers):
                assert result.finding(SubjectKind.OFFICER, officer_key(officer, index))


def test_the_report_shows_each_officers_findings_for_an_unsaved_sample():
    from nasro_desktop.report import people
    from nasro_desktop.report.sections import Report

    form = current_form()
    assessment = sample_assessment(form)
    readiness = evaluate(form, assessment)
    found = people.officer_findings(Report(form, assessment, readiness,
                                           ReportOptions(edition="full")))
    assert set(found) == set(OFFICER_RULES)
    assert any(f is not None for rule in found for f in found[rule])


def test_the_app_name_and_the_data_folder_names_are_written_once():
    """The display name lives in nasro_desktop/__init__.py and the data folder's file names in
    store/files.py; every other module reads them there (a copy would drift when one changes)."""
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "nasro_desktop"
    homes = {
        re.compile(r"SRO Program Readiness"): "__init__.py",
        re.compile(r"""["']nasro\.db["']"""): "store/files.py",
        re.compile(r"""["']backups["']"""): "store/files.py",
    }
    for pattern, home in homes.items():
        found = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                       if pattern.search(p.read_text(encoding="utf-8")))
        assert found == [home], (pattern.pattern, found)
