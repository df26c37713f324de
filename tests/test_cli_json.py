"""For IT: `list`, `search`, `compare` and `status` with --json (one versioned document each,
checked against the store and the engine), `status` in words, --quiet, --force, --copy, and the
exit codes (2 only for a wrong command line)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from export_fixtures import expected_plan, judged, saved_sample, saved_sixty

from nasro_desktop import cli
from nasro_desktop.cli import main
from nasro_desktop.domain.model import ActionStatus, Owner


def run_json(capsys, data_dir, *args: str) -> dict:
    assert main(["--data-dir", str(data_dir), *args]) == 0
    out = capsys.readouterr().out
    assert out.isascii()  # escaped: any console shows it, no title rewrites the terminal
    return json.loads(out)


def test_list_json(store, data_dir, capsys):
    empty = run_json(capsys, data_dir, "list", "--json")
    assert empty == {"schema": "nasro-desktop/list", "schema_version": 1,
                     "data_folder": str(data_dir), "assessments": []}
    a = saved_sample(store)
    b = saved_sixty(store)
    doc = run_json(capsys, data_dir, "list", "--json")
    rows = {row["id"]: row for row in doc["assessments"]}
    assert set(rows) == {a.id, b.id}
    row = rows[b.id]
    assert row["title"] == b.title and row["agency"] == b.agency
    assert row["assessment_date"] == b.as_of.isoformat()
    assert row["question_set"] == {"id": b.form_id, "version": b.form_version}
    assert row["readable"] is True and row["problem"] is None
    assert set(row) == {"id", "title", "agency", "district", "assessment_date", "question_set",
                        "created", "updated", "percent_answered", "verdict", "readable",
                        "problem"}


@pytest.mark.parametrize("build", [saved_sample, saved_sixty])
def test_status_json_is_the_engine_s(store, data_dir, capsys, build):
    a = build(store)
    form, r = judged(a, store.evidence.records(a.id))
    doc = run_json(capsys, data_dir, "status", str(a.id), "--json")
    assert doc["schema"] == "nasro-desktop/status" and doc["schema_version"] == 1
    assert doc["verdict"] == r.verdict.value and doc["verdict_label"] == r.verdict.label
    assert doc["assessment"]["assessment_date"] == r.as_of.isoformat()
    counts = doc["counts"]
    assert (counts["mandatory_met"], counts["mandatory_total"]) == (r.mandatory_met,
                                                                    r.mandatory_total)
    assert counts["gaps"] == len(r.gaps) and counts["officers"] == len(a.officers)
    assert counts["open_questions"] == r.open_questions
    assert [s["id"] for s in doc["standards"]] == [x.standard.id for x in r.results]
    for s, x in zip(doc["standards"], r.results, strict=True):
        assert s["status"] == x.status.value and s["class"] == x.standard.cls.value
        assert [f["detail"] for f in s["findings"]] == [f.detail for f in x.findings]
        assert [f["key"] for f in s["findings"]] == [f.key for f in x.findings]
    plan = expected_plan(a, r)
    assert len(doc["action_plan"]) == len(plan)
    for got, want in zip(doc["action_plan"], plan, strict=True):
        assert got["standard"] == want["standard"] and got["next_step"] == want["next_step"]
        assert got["target_date"] == (want["target_date"].isoformat()
                                      if want["target_date"] else None)
        assert got["late"] is want["late"]
        # classes, statuses and the party as stable codes (the workbook has the words)
        assert ActionStatus(got["status"]).label == want["status"]
        assert Owner(got["party"]).label == want["party"]
        assert got["class"] in ("mandatory", "recommended", "unclassified")
        assert got["standard_status"] in ("met", "partly", "not_met", "unknown", "na")


def test_status_in_words(store, data_dir, capsys):
    a = saved_sample(store)
    _, r = judged(a)
    assert main(["--data-dir", str(data_dir), "status", str(a.id)]) == 0
    out = capsys.readouterr().out
    assert f"Verdict: {r.verdict.label}." in out
    assert f"Mandatory standards met: {r.mandatory_met} of {r.mandatory_total}" in out
    assert f"Standards not met ({len(r.gaps)})" in out
    for gap in r.gaps:
        assert f"{gap.standard.number} " in out
    assert main(["--data-dir", str(data_dir), "status", "999"]) == 1
    assert "999" in capsys.readouterr().err


def test_search_json(store, data_dir, capsys):
    a = saved_sample(store)
    doc = run_json(capsys, data_dir, "search", "Łukasz", "--json")
    assert doc["schema"] == "nasro-desktop/search" and doc["query"] == "Łukasz"
    assert doc["hits"] and all(h["assessment_id"] == a.id for h in doc["hits"])
    assert {"kind", "kind_label", "snippet", "text", "assessment_date"} <= set(doc["hits"][0])
    assert doc["truncated"] is False
    nothing = run_json(capsys, data_dir, "search", "zzzqqq", "--json")
    assert nothing["hits"] == []


def test_compare_json(store, data_dir, capsys):
    a = saved_sample(store)
    b = store.start_next_year(a.id, date(2027, 9, 15))
    doc = run_json(capsys, data_dir, "compare", str(b.id), "--json")
    assert doc["schema"] == "nasro-desktop/compare"
    assert doc["then"]["id"] == a.id and doc["now"]["id"] == b.id
    assert doc["same_program"] is True
    _, r = judged(a)
    assert doc["mandatory_met"]["then"] == {"met": r.mandatory_met, "total": r.mandatory_total}
    assert {s["change"] for s in doc["standards"]} <= {"newly_met", "no_longer_met",
                                                       "still_open", "unchanged"}
    assert len(doc["standards"]) == len(r.results)


def test_exit_codes(store, data_dir, capsys, monkeypatch):
    with pytest.raises(SystemExit) as usage:  # the command line itself is wrong: 2
        main(["--data-dir", str(data_dir), "status"])
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        main(["--data-dir", str(data_dir), "list", "--no-such-option"])
    assert usage.value.code == 2
    assert main(["--data-dir", str(data_dir), "status", "42"]) == 1  # the user can fix it

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr("nasro_desktop.commands.assessments.cmd_list", broken)
    assert main(["--data-dir", str(data_dir), "list"]) == cli.INTERNAL_ERROR == 3
    err = capsys.readouterr().err
    assert "something went wrong" in err and "Traceback" not in err


def test_quiet_force_and_copy(store, data_dir, tmp_path, capsys):
    from nasro_desktop.store import Store

    a = saved_sample(store)
    store.close()  # as the window would be: closed (an import needs the data to itself)
    base = ["--data-dir", str(data_dir)]
    out = tmp_path / "a.json"
    assert main([*base, "export", str(a.id), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*base, "export", str(a.id), "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main([*base, "import", str(out), "--quiet"]) == 1  # in the list already
    assert "--copy" in capsys.readouterr().err
    assert main([*base, "import", str(out), "--copy", "--quiet"]) == 0
    new_id = int(capsys.readouterr().out.strip())  # only the number, for a script
    with Store.open(data_dir, read_only=True) as reader:
        assert reader.load_assessment(new_id).title.endswith("(imported copy 2)")
    pdf = tmp_path / "r.pdf"
    assert main([*base, "report", str(a.id), "--out", str(pdf), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    first = pdf.read_bytes()
    assert main([*base, "report", str(a.id), "--out", str(pdf)]) == 1
    assert "--force" in capsys.readouterr().err and pdf.read_bytes() == first
    assert main([*base, "report", str(a.id), "--out", str(pdf), "--force"]) == 0


def test_status_open_count_and_next_steps_agree(store, data_dir, capsys):
    """Every question left answered, one of them Not sure: `status` says 0 still open, and no
    step asks to answer an open question; the Not sure one is asked to be found out."""
    from nasro_desktop.domain.scoring import unanswered_questions
    from nasro_desktop.session import Session

    session = Session.open_sample(store)
    left = unanswered_questions(session.form, session.assessment)
    assert left
    for question in left:
        assert session.set_answer(question.id, "not_sure")
    assert main(["--data-dir", str(data_dir), "status", str(session.assessment_id)]) == 0
    out = capsys.readouterr().out
    assert "(0 still open that count for the verdict)" in out
    assert "open question" not in out
    assert 'Find out and change the 1 answer "Not sure" for this standard.' in out
