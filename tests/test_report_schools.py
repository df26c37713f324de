"""Issue 20: the full edition's Schools table counts each school's SROs as the officers linked
to it (domain/links.py, as the rule for 02.01.03, the Profile page and the spreadsheet count
them), not the stored "SROs assigned" number the school dialog no longer fills."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pypdf

from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.links import links
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.report import render_report
from nasro_desktop.report.options import ReportOptions
from nasro_desktop.store.tables import judged

sys.path.insert(0, str(Path(__file__).parent))
from report_fixtures import assessment  # noqa: E402

FORM = current_form()


def schools_part(data: bytes) -> str:
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", " ", text)
    start = text.index("Staffing per school")
    return text[start:text.index("schools have at least one SRO assigned", start) + 60]


def test_the_schools_table_counts_the_officers_linked_to_each_school():
    a = assessment(FORM, officers=9, schools=9)  # officers serve School 1..7; 8 and 9: none
    for sc in a.schools:
        sc.sros_assigned = None  # the school dialog no longer asks
    a.schools[7].sros_assigned = 3  # a stale stored number, never printed
    counts = [links(a).sro_count(i) for i in range(len(a.schools))]
    assert counts[7] == counts[8] == 0 and sum(counts) == 9
    part = schools_part(render_report(FORM, a, evaluate(FORM, a), ReportOptions(edition="full")))
    assert "not recorded" not in part
    assert part.count("✘ none") == 2
    for i, sc in enumerate(a.schools):
        if counts[i]:
            assert re.search(rf"{sc.name} .*?✔ {counts[i]}\b", part), sc.name
    assert "7 of 9 schools have at least one SRO assigned" in part
    # the spreadsheet says the same numbers (store/tables.py)
    tables = {t.key: t for t in judged(a, FORM)}
    column = [c.key for c in tables["schools"].columns].index("sros_assigned")
    assert [row[column] for row in tables["schools"].rows] == counts
