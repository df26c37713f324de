"""The question set covers every row of the standards inventory, with the right class.

The inventory (tests/data/standards-inventory.md, a copy of ../shared/standards-inventory.md) is
parsed, not restated: a row added there fails here, naming the row. Only what the inventory does
not spell out is kept in this file: the MOU topic slugs, the 27 TRIAD items (the inventory says
"9 areas" and points at the reference) and where each dated fact is captured.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from nasro_desktop.domain.forms import load_form
from nasro_desktop.domain.model import AnswerType, Form, Officer, School, StandardClass

ROOT = Path(__file__).resolve().parent.parent
FORM_PATH = ROOT / "forms" / "nasro-2018" / "v1.yaml"
INVENTORY = Path(__file__).resolve().parent / "data" / "standards-inventory.md"
SHARED = ROOT.parent / "shared"

CLASS_CODES = {"M": StandardClass.MANDATORY, "R": StandardClass.RECOMMENDED}

MOU_TOPIC_SLUGS = {
    "formal school discipline": "discipline",
    "TRIAD roles": "triad-roles",
    "decision to arrest": "arrest",
    "chain of command": "chain-of-command",
    "uniform": "uniform",
    "weapons storage": "weapons-storage",
    "less-lethal tools": "less-lethal",
    "information sharing": "information-sharing",
    "documentation and reporting": "documentation",
    "expenses": "expenses",
    "office space and supplies": "office-space",
    "hours on campus": "hours",
    "day-to-day duties": "daily-duties",
    "extracurricular activities": "extracurricular",
}

# NASRO 03.02.02: three lists of nine, in our own short labels -> question id.
TRIAD_ITEMS = {
    "law enforcement": {
        "constitutional and state law": "triad.leo.constitutional_law",
        "armed response": "triad.leo.armed_response",
        "crime prevention and mitigation": "triad.leo.crime_prevention",
        "interviews and interrogation": "triad.leo.interviews",
        "investigations": "triad.leo.investigations",
        "CPTED for schools": "triad.leo.cpted",
        "high-visibility patrol": "triad.leo.patrol",
        "juvenile justice advocacy": "triad.leo.juvenile_justice",
        "mandatory reporting": "triad.leo.mandatory_reporting",
    },
    "teacher": {
        "crime prevention": "triad.teacher.crime_prevention",
        "social media": "triad.teacher.social_media",
        "school safety": "triad.teacher.school_safety",
        "victimization": "triad.teacher.victimization",
        "laws for students": "triad.teacher.student_law",
        "traffic stops": "triad.teacher.traffic_stops",
        "driver safety": "triad.teacher.driver_safety",
        "decision making": "triad.teacher.decision_making",
        "topics on request": "triad.teacher.requested_topics",
    },
    "mentor": {
        "mentoring": "triad.mentor.mentoring",
        "crime prevention": "triad.mentor.crime_prevention",
        "empowering youth": "triad.mentor.empowering_youth",
        "resiliency and wellness": "triad.mentor.resiliency",
        "adolescent brain development": "triad.mentor.brain_development",
        "social and emotional development": "triad.mentor.social_emotional",
        "supporting diversity": "triad.mentor.diversity",
        "youth decision-making skills": "triad.mentor.decision_skills",
        "trauma-informed practice": "triad.mentor.trauma_informed",
    },
}

# The inventory's last section: each dated fact -> where the app captures it.
OFFICER, SCHOOL, QUESTION = "Officer", "School", "question"
DATED_FACTS = {
    "Per officer": {
        "hire/sworn date or years of experience": [
            (OFFICER, "sworn_date"),
            (OFFICER, "years_experience"),
        ],
        "assignment date": [(OFFICER, "assignment_date")],
        "Basic course date": [(OFFICER, "basic_course_date")],
        "Advanced course date": [(OFFICER, "advanced_course_date")],
        "last annual school-safety training": [(OFFICER, "last_annual_training")],
        "last rapid-deployment training": [(OFFICER, "last_rapid_deployment")],
        "probation end and whether the school took part in its review": [
            (OFFICER, "probation_end"),
            (OFFICER, "probation_review_with_school"),
        ],
    },
    "Per school": {
        "name": [(SCHOOL, "name")],
        "enrollment": [(SCHOOL, "enrollment")],
        "buildings": [(SCHOOL, "buildings")],
        "acreage": [(SCHOOL, "acreage")],
        "calls for service": [(SCHOOL, "calls_for_service")],
        "SROs assigned": [(SCHOOL, "sros_assigned")],
        "non-sworn safety staff": [(SCHOOL, "non_sworn_safety_staff")],
    },
    "MOU": {
        "signed date": [(QUESTION, "mou.signed_date")],
        "last annual review date": [(QUESTION, "mou.last_review_date")],
        "parties": [(QUESTION, "mou.parties")],
    },
}
FACT_QUESTION_TYPES = {
    "mou.signed_date": AnswerType.DATE,
    "mou.last_review_date": AnswerType.DATE,
    "mou.parties": AnswerType.TEXT,
}

RULES = {
    "02.01.02": "experience",
    "02.01.03": "sro_per_school",
    "03.01.01": "annual_training",
    "03.02.01": "basic_course",
    "03.03.01": "advanced_course",
    "03.04.01": "rapid_deployment",
    "04.01.02": "mou_review",
    "04.01.05": "probation_review",
}


# --- parsing the inventory ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Row:
    id: str
    topic: str
    cls: StandardClass
    details: str

    @property
    def label(self) -> str:
        return f"inventory row {self.id} ({self.topic})"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _class(code: str) -> StandardClass:
    return CLASS_CODES.get(code, StandardClass.UNCLASSIFIED if code.startswith("—") else None)


def inventory_text() -> str:
    return INVENTORY.read_text(encoding="utf-8")


def numbered_rows() -> list[Row]:
    rows = []
    for line in inventory_text().splitlines():
        cells = _cells(line) if line.startswith("|") else []
        if len(cells) == 4 and re.fullmatch(r"\d\d\.\d\d\.\d\d", cells[0]):
            cls = _class(cells[2])
            assert cls is not None, f"inventory row {cells[0]}: unknown class {cells[2]!r}"
            rows.append(Row(cells[0], cells[1], cls, cells[3]))
    return rows


def mou_topic_rows() -> list[Row]:
    text = inventory_text()
    block = text[text.index("MOU topics.") : text.index("## Section 2")]
    rows = []
    for line in block.splitlines():
        cells = _cells(line) if line.startswith("|") else []
        if len(cells) == 3 and cells[0] != "topic" and not set(cells[0]) <= {"-"}:
            cls = _class(cells[1])
            assert cls is not None, f"inventory MOU topic {cells[0]!r}: unknown class {cells[1]!r}"
            rows.append(
                Row(f"01.01.04-{MOU_TOPIC_SLUGS.get(cells[0], '?')}", cells[0], cls, cells[2])
            )
    return rows


def elements(row: Row) -> list[tuple[str, str]]:
    """The lettered elements of a row: [("a", "clearly defined process"), ...]."""
    parts = re.split(r"(?:^|;\s*)([a-z])\)\s*", row.details)
    return list(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))


def dated_facts() -> dict[str, list[str]]:
    text = inventory_text()
    block = text[text.index("## Facts that need dates") :]
    facts: dict[str, list[str]] = {}
    for item in re.findall(r"^- (.+?)(?=^- |^\S|\Z)", block, flags=re.M | re.S):
        group, _, rest = " ".join(item.split()).partition(": ")
        facts[group] = [p.strip() for p in rest.rstrip(".").split(", ")]
    return facts


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def form() -> Form:
    return load_form(FORM_PATH)


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(FORM_PATH.read_text(encoding="utf-8"))


def status_questions(form: Form, standard_id: str):
    return [q for q in form.questions_for(standard_id) if q.type is AnswerType.STATUS]


def assert_scored(form: Form, row: Row, standard_id: str | None = None) -> None:
    sid = standard_id or row.id
    assert sid in {s.id for s in form.standards}, f"{row.label}: no standard {sid!r} in the form"
    standard = form.standard(sid)
    assert standard.cls is row.cls, (
        f"{row.label}: the form classes standard {sid} as {standard.cls.value}, "
        f"the inventory as {row.cls.value}"
    )
    assert status_questions(form, sid) or standard.rule, f"{row.label}: nothing asks about it"


# --- the inventory, row by row ------------------------------------------------------------


def test_inventory_copy_matches_shared():
    shared = SHARED / "standards-inventory.md"
    if not shared.exists():
        pytest.skip("../shared is not present (a clone on its own): nothing to compare")
    assert inventory_text() == shared.read_text(encoding="utf-8"), (
        "tests/data/standards-inventory.md differs from ../shared/standards-inventory.md: copy it again"
    )


def test_inventory_parses_into_all_rows():
    ids = [r.id for r in numbered_rows()]
    assert len(ids) == 4 + 7 + 6 + 5, ids
    assert [r.topic for r in mou_topic_rows()] == list(MOU_TOPIC_SLUGS), (
        "the inventory's MOU topics differ from the slugs this test knows: "
        f"{[r.topic for r in mou_topic_rows() if r.topic not in MOU_TOPIC_SLUGS]}"
    )


def test_every_numbered_row_is_a_standard_with_its_class(form):
    for row in numbered_rows():
        assert_scored(form, row)


def test_every_mou_topic_is_its_own_standard(form):
    for row in mou_topic_rows():
        assert_scored(form, row)
        standard = form.standard(row.id)
        assert standard.number == "01.01.04", f"MOU topic {row.topic!r}: number {standard.number}"
        assert standard.section == "administration", f"MOU topic {row.topic!r}"


def test_every_lettered_element_is_asked(form):
    lettered = [r for r in numbered_rows() if elements(r)]
    assert {r.id for r in lettered} >= {"02.01.01", "03.01.01"}
    for row in lettered:
        for letter, what in elements(row):
            if what.startswith("recommended"):
                # an element the document marks as a recommendation inside a mandatory standard
                sid = f"{row.id}-{letter}"
                split = Row(sid, f"{row.topic}, element {letter}", StandardClass.RECOMMENDED, what)
                assert_scored(form, split)
                assert form.standard(sid).class_note, f"{split.label}: say why it is split off"
            else:
                sid = row.id
            asked = [q for q in status_questions(form, sid) if q.element == letter]
            assert asked, f"{row.label}: element {letter} ({what}) has no question"


def test_triad_lists_are_asked_item_by_item(form):
    row = next(r for r in numbered_rows() if r.id == "03.02.02")
    counts = [int(n) for n in re.findall(r"\((\d+)(?: areas)?\)", row.details)]
    assert counts == [len(items) for items in TRIAD_ITEMS.values()], (
        f"{row.label}: the inventory counts {counts}, this test lists "
        f"{[len(items) for items in TRIAD_ITEMS.values()]}"
    )
    for role, items in TRIAD_ITEMS.items():
        for label, qid in items.items():
            assert form.has_question(qid), (
                f"{row.label}: TRIAD {role} item {label!r} ({qid}) is missing"
            )
            question = form.question(qid)
            assert question.standard == "03.02.02" and question.type is AnswerType.STATUS, qid
            assert "03.02.02" in question.help_why, f"{qid}: help should cite NASRO 03.02.02"
    asked = {q.id for q in form.questions if q.id.startswith("triad.")}
    listed = {qid for items in TRIAD_ITEMS.values() for qid in items.values()}
    assert asked == listed, f"TRIAD questions not in this test's list: {sorted(asked - listed)}"


def test_staffing_and_climate_factors_are_asked_one_by_one(form):
    rows = {r.id: r for r in numbered_rows()}
    for sid in ("02.01.03", "02.01.04"):
        factors = re.split(r":|considers", rows[sid].details)[-1].split(",")
        assert len(status_questions(form, sid)) >= len(factors), (
            f"{rows[sid].label}: {len(factors)} factors, "
            f"{len(status_questions(form, sid))} questions"
        )


def test_dated_facts_are_captured(form):
    parsed = dated_facts()
    assert list(parsed) == list(DATED_FACTS), f"inventory fact groups: {list(parsed)}"
    fields = {
        OFFICER: {f.name for f in dataclasses.fields(Officer)},
        SCHOOL: {f.name for f in dataclasses.fields(School)},
    }
    for group, facts in parsed.items():
        for fact in facts:
            places = DATED_FACTS[group].get(fact)
            assert places, f"inventory fact '{group}: {fact}' is not mapped to a field or question"
            for kind, name in places:
                if kind == QUESTION:
                    assert form.has_question(name), f"inventory fact '{group}: {fact}': no {name}"
                    assert form.question(name).type is FACT_QUESTION_TYPES[name], name
                else:
                    assert name in fields[kind], (
                        f"inventory fact '{group}: {fact}': no {kind}.{name}"
                    )
        assert set(DATED_FACTS[group]) == set(facts), (
            f"mapped facts no longer in the inventory: {set(DATED_FACTS[group]) - set(facts)}"
        )
    tables = {q.type: q for q in form.questions if q.section == "profile"}
    assert tables[AnswerType.OFFICERS].id == "profile.officers"
    assert tables[AnswerType.SCHOOLS].id == "profile.schools"


# --- shape of the set ---------------------------------------------------------------------


def test_identity_sections_and_document_order(form):
    assert (form.form_id, form.version) == ("nasro-2018", 1)
    assert [(s.id, s.number) for s in form.sections] == [
        ("administration", 1),
        ("selection", 2),
        ("training", 3),
        ("collaboration", 4),
    ]
    assert form.section("administration").title == "Administration and the MOU"
    expected = []
    for row in numbered_rows():
        expected.append(row.id)
        if row.id == "01.01.04":
            expected += [r.id for r in mou_topic_rows()]
        if row.id == "03.01.01":
            expected.append("03.01.01-c")
    assert [s.id for s in form.standards] == expected


def test_rules_are_attached(form):
    attached = {s.id: s.rule for s in form.standards if s.rule}
    assert attached == RULES


def test_unclassified_standards_say_why(form):
    for standard in form.standards:
        if standard.cls is StandardClass.UNCLASSIFIED:
            assert "no class" in standard.class_note, f"standard {standard.id}: class_note"


def test_every_standard_has_owner_and_a_concrete_next_step(form):
    for standard in form.standards:
        assert standard.owner, standard.id
        assert len(standard.next_step.split()) >= 12, f"standard {standard.id}: next_step too thin"


def test_every_status_question_has_help_and_an_na_decision(form, raw):
    raw_by_id = {q["id"]: q for q in raw["questions"]}
    for question in form.questions:
        if question.type is not AnswerType.STATUS:
            continue
        assert question.help_why and question.help_evidence, f"{question.id}: help.why/evidence"
        assert "NASRO " in question.help_why, f"{question.id}: help.why should cite the standard"
        na = raw_by_id[question.id].get("na") or {}
        assert isinstance(na.get("allowed"), bool), f"{question.id}: na.allowed must be decided"
        assert question.na_note, f"{question.id}: na.why must explain the decision"


def test_mou_topic_questions_have_a_draft_wording(form):
    for standard in form.standards:
        if not standard.id.startswith("01.01.04-"):
            continue
        for question in status_questions(form, standard.id):
            assert "MOU" in question.text, f"{question.id}: should ask what the MOU settles"
            drafts = [w for w in question.wordings if w.condition is not None]
            assert drafts, f"{question.id}: needs a wording for when no MOU is signed yet"
            assert all("Met only if" in w.text for w in drafts), question.id


def test_mou_facts_come_first_and_dates_only_when_signed(form):
    ids = [q.id for q in form.questions]
    first_topic = next(q.id for q in form.questions if (q.standard or "").startswith("01.01.04-"))
    for fact in ("mou.exists", "mou.signed_date", "mou.last_review_date", "mou.parties"):
        assert ids.index(fact) < ids.index(first_topic), fact
    assert form.question("mou.exists").type is AnswerType.YESNO
    for fact in ("mou.signed_date", "mou.last_review_date"):
        assert form.question(fact).show_if is not None, fact


def test_only_applicability_facts_hide_questions(form):
    """Issue 19: an answer to a status question never hides another question (hiding could
    turn a gap into nothing); only a declared applicability fact may, and fail safe."""
    facts = {q.id for q in form.questions if q.applicability}
    for question in form.questions:
        if question.show_if is not None:
            assert question.show_if.references() <= facts, question.id
            assert question.is_visible({}), question.id


def test_ids_are_lowercase_dotted(form):
    for question in form.questions:
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9_]+)+", question.id), question.id


def test_no_sentence_copied_from_the_reference():
    script = SHARED / "tools" / "copy-check.py"
    if not script.exists():
        pytest.skip("../shared/tools/copy-check.py is not present")
    result = subprocess.run(
        [sys.executable, str(script), str(ROOT)], capture_output=True, text=True, timeout=60
    )
    mine = ("forms/", "nasro_desktop/domain/sample.py")
    copied = [line for line in result.stdout.splitlines() if line.startswith(mine)]
    assert not copied, "copied from the NASRO reference:\n" + "\n".join(copied)
    assert result.stdout.rstrip().splitlines()[-1].startswith("copied runs"), result.stdout
