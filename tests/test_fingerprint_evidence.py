"""Issue 20 §5: the data fingerprint covers the evidence records and the Assessment date it was
judged at, and has one home (`scoring.evaluate` -> `Readiness.fingerprint`): the PDF made by
the `report` command, the window's Save PDF and the window's Readiness page show one code for
the same data, and a new code when an evidence record is added or removed."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
from datetime import date, datetime

import pypdf
from PySide6.QtWidgets import QApplication

from nasro_desktop.cli import main
from nasro_desktop.domain.evidence import Evidence, EvidenceKind
from nasro_desktop.domain.fingerprint import fingerprint
from nasro_desktop.domain.forms import current_form
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.store import Store
from nasro_desktop.ui.navigation import READINESS

FORM = current_form()
CODE = re.compile(r"Data fingerprint ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


def record(key: str = "01.01.04", **changes) -> Evidence:
    base = Evidence(id=7, assessment_id=1, kind=EvidenceKind.STANDARD, key=key,
                    file_name="mou.pdf", media_type="application/pdf", size=10, sha256="ab" * 32,
                    added=datetime(2026, 9, 1, 12), standard_id=key)  # fmt: skip
    return dataclasses.replace(base, **changes)


def test_the_fingerprint_covers_each_evidence_record_and_the_assessment_date():
    a = sample_assessment(FORM)
    plain = evaluate(FORM, a).fingerprint
    assert plain == fingerprint(a, a.as_of)  # no files: the code it always had
    with_file = evaluate(FORM, a, evidence=[record()]).fingerprint
    assert with_file != plain
    for change in ({"description": "Signed MOU"}, {"valid_until": date(2027, 1, 1)},
                   {"sha256": "cd" * 32}, {"file_name": "other.pdf"}, {"key": "02.01.01"}):
        assert evaluate(FORM, a, evidence=[record(**change)]).fingerprint != with_file, change
    # bookkeeping does not count: ids, when attached, whether checked on disk; a removed file
    # is as good as none
    same = record(id=99, assessment_id=5, added=datetime(2020, 1, 1), on_disk="verified")
    assert evaluate(FORM, a, evidence=[same]).fingerprint == with_file
    removed = record(deleted_at=datetime(2026, 9, 2))
    assert evaluate(FORM, a, evidence=[removed]).fingerprint == plain
    assert evaluate(FORM, a, evidence=[record(), record(key="02.01.01")]).fingerprint == \
        evaluate(FORM, a, evidence=[record(key="02.01.01"), record()]).fingerprint
    # the date judged at is part of it
    assert evaluate(FORM, a, date(2026, 12, 1)).fingerprint != plain


def test_an_officers_file_keeps_its_code_when_row_ids_change():
    a = sample_assessment(FORM)
    for i, o in enumerate(a.officers):
        o.id = i + 1
    b = sample_assessment(FORM)
    for i, o in enumerate(b.officers):
        o.id = i + 40  # the same officers after an export and import
    file_a = record(kind=EvidenceKind.OFFICER, key=str(a.officers[1].id), standard_id="")
    file_b = record(kind=EvidenceKind.OFFICER, key=str(b.officers[1].id), standard_id="")
    assert evaluate(FORM, a, evidence=[file_a]).fingerprint == \
        evaluate(FORM, b, evidence=[file_b]).fingerprint


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def cli_codes(number: int, tmp_path, edition: str) -> tuple[str, str]:
    """The code the report command prints on the PDF, and the one `status` says."""
    out = tmp_path / f"{edition}.pdf"
    code, said = run("report", str(number), "--out", str(out), "--edition", edition, "--force")
    assert code == 0, said
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    printed = set(CODE.findall(re.sub(r"\s+", " ", text)))
    assert len(printed) == 1, printed
    code, said = run("status", str(number))
    assert code == 0, said
    status = re.search(r"Data fingerprint: (\S+)", said)
    assert status is not None
    return printed.pop(), status.group(1)


def test_the_report_command_prints_a_new_code_when_evidence_is_added_or_removed(
        data_dir, tmp_path):  # fmt: skip
    source = tmp_path / "mou.pdf"
    source.write_bytes(b"%PDF-1.4 the signed MOU")
    with Store.open(data_dir) as store:
        saved = store.create_assessment(sample_assessment(FORM))
    codes = []
    for step in ("none", "added", "removed"):
        with Store.open(data_dir) as store:
            if step == "added":
                item = store.evidence.record(store.evidence.stage(source), saved.id,
                                             "standard", "01.01.04", standard_id="01.01.04")
            if step == "removed":
                store.evidence.remove(item.id)
            expected = evaluate(FORM, store.load_assessment(saved.id),
                                evidence=store.evidence.records(saved.id)).fingerprint
        for edition in ("board", "full"):
            printed, said = cli_codes(saved.id, tmp_path, edition)
            assert printed == said == expected, (step, edition)
        codes.append(expected)
    assert codes[0] != codes[1] and codes[2] == codes[0]


def test_the_window_shows_and_saves_the_code_of_its_evidence(qtbot, store, tmp_path):
    from ui_support import make_window

    window = make_window(qtbot, store)
    window.open_sample()
    window.workspace.go_to(READINESS)
    page = window.workspace.pages[READINESS]
    session = window.session

    def shown() -> str:
        QApplication.processEvents()
        match = CODE.search(page.fingerprint_label.text())
        assert match is not None
        return match.group(1)

    def saved(name: str) -> str:
        target = tmp_path / name
        page.report.save_pdf(str(target))
        qtbot.waitUntil(lambda: page.report.save_button.isEnabled() and target.exists(),
                        timeout=60_000)
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in
                                            pypdf.PdfReader(target).pages))  # fmt: skip
        printed = set(CODE.findall(text))
        assert len(printed) == 1
        return printed.pop()

    before = shown()
    assert saved("before.pdf") == before
    source = tmp_path / "cert.pdf"
    source.write_bytes(b"%PDF-1.4 a certificate")
    item = session.record_evidence(store.evidence.stage(source), "standard", "03.02.01",
                                   standard_id="03.02.01")  # fmt: skip
    added = shown()
    assert added != before
    assert saved("added.pdf") == added
    session.remove_evidence(item.id)
    assert shown() == before
    assert saved("removed.pdf") == before
