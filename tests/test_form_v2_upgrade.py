"""Question set v2 (issue 8): an assessment saved on v1 upgrades with its answers, and the
reworded questions carry the old answers through `replaces`; where the meaning changed
(issue 19), the carried answer is marked to confirm again."""

from nasro_desktop.domain.forms import form_registry
from nasro_desktop.domain.model import Answer, Choice
from nasro_desktop.domain.results import Status
from nasro_desktop.domain.sample import sample_assessment
from nasro_desktop.domain.scoring import evaluate
from nasro_desktop.session import Session


def test_a_v1_assessment_upgrades_to_v2_with_its_answers(store):
    v1 = form_registry().get("nasro-2018", 1)
    v2 = form_registry().get("nasro-2018", 2)
    saved = store.create_assessment(sample_assessment(v1))
    store.save_answer(saved.id, Answer("admin.sro.full_time", Choice.PARTLY.value, note="shifts"))
    store.save_answer(saved.id, Answer("coll.evaluation.tool_used", Choice.NOT_MET.value))
    session = Session(store, v1, store.load_assessment(saved.id))
    assert session.newer_form().version == 2
    upgraded = session.upgraded(v2)
    answers = upgraded.assessment.answers
    # carried, but the question now asks something else: to confirm again
    full_time = answers["admin.sro.full_time_officer"]
    assert (full_time.value, full_time.note, full_time.reconfirm) == ("partly", "shifts", True)
    assert answers["coll.evaluation.tool_in_use"].value == "not_met"
    assert answers["coll.evaluation.tool_in_use"].reconfirm
    for new_id in ("admin.sro.full_time_officer", "sel.communication.speaking",
                   "sel.communication.writing", "sel.process.clear",
                   "coll.definition.roles_clear", "coll.evaluation.tool_in_use",
                   "coll.probation.school_role"):
        assert answers[new_id].reconfirm, new_id
    # only reworded: carried as it was
    assert not answers["admin.purpose.aim"].reconfirm
    assert upgraded.assessment.form_version == 2
    # the new TRIAD role questions are open until answered, and say so
    readiness = evaluate(v2, upgraded.assessment)
    assert readiness.result("03.02.02").status is Status.UNKNOWN
    assert readiness.open_can_change_verdict or readiness.verdict.value == "not_ready"


def test_every_v1_question_is_in_v2_or_replaced():
    v1 = form_registry().get("nasro-2018", 1)
    v2 = form_registry().get("nasro-2018", 2)
    replaced = v2.replacement_map()
    for question in v1.questions:
        assert v2.has_question(question.id) or question.id in replaced, question.id
