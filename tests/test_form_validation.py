"""Every kind of broken question-set file gets an error naming the file, the line and the id."""

from pathlib import Path

import pytest

from nasro_desktop.domain.forms import FormError, FormRegistry, load_form

MINI = Path(__file__).parent / "domain_forms" / "mini.yaml"


def write(tmp_path, text, name="v1.yaml"):
    folder = tmp_path / "forms" / "mini"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path, old, new):
    text = MINI.read_text(encoding="utf-8")
    assert old in text, old
    return write(tmp_path, text.replace(old, new, 1))


def line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def only_issue(path):
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert len(caught.value.issues) == 1, caught.value
    return caught.value.issues[0]


def test_the_mini_form_loads():
    form = load_form(MINI)
    assert form.form_id == "mini" and form.version == 1
    assert [q.id for q in form.questions_for("01.01.01")] == ["def.fulltime", "def.sworn"]
    assert form.question("mou.signed_date").show_if is not None


def test_duplicate_question_id(tmp_path):
    path = broken(tmp_path, "  - id: def.sworn", "  - id: def.fulltime")
    issue = only_issue(path)
    assert issue.question_id == "def.fulltime"
    assert "duplicate" in issue.message
    lines = path.read_text().splitlines()
    second = [n for n, line in enumerate(lines, start=1) if line == "  - id: def.fulltime"][1]
    assert issue.line == second
    assert issue.file.endswith("forms/mini/v1.yaml")
    assert str(issue).startswith("forms/mini/v1.yaml, line ")


def test_unknown_standard_reference(tmp_path):
    issue = only_issue(broken(tmp_path, 'standard: "01.01.02"', 'standard: "09.09.09"'))
    assert issue.question_id == "purpose.triad"
    assert "unknown standard '09.09.09'" in issue.message


def test_condition_on_unknown_question(tmp_path):
    path = broken(tmp_path, "show_if: 'mou.exists != \"no\"'", "show_if: 'mou.exist != \"no\"'")
    issue = only_issue(path)
    assert issue.question_id == "mou.signed_date"
    assert "unknown question 'mou.exist'" in issue.message
    assert issue.line == line_of(path, "id: mou.signed_date")


def test_condition_on_a_later_question(tmp_path):
    path = broken(tmp_path, "text: Is the SRO sworn?", "text: Is the SRO sworn?\n    show_if: 'mou.exists != \"no\"'")
    issue = only_issue(path)
    assert issue.question_id == "def.sworn"
    assert "comes later" in issue.message


def test_unreadable_condition(tmp_path):
    issue = only_issue(broken(tmp_path, "show_if: 'mou.exists != \"no\"'", "show_if: 'mou.exists =='"))
    assert issue.question_id == "mou.signed_date"
    assert "condition" in issue.message


def test_unknown_answer_type(tmp_path):
    issue = only_issue(broken(tmp_path, "type: yesno", "type: maybe"))
    assert issue.question_id == "mou.exists"
    assert "unknown answer type 'maybe'" in issue.message


@pytest.mark.parametrize(
    ("old", "new", "field", "qid"),
    [
        ("    help: {why: Because., evidence: A roster.}\n", "", "help.why", "def.fulltime"),
        ("    na: {allowed: false, why: Always needed.}\n", "", "na", "def.fulltime"),
        ("    text: Is the SRO full-time?\n", "", "text", "def.fulltime"),
        ("    type: status\n    text: Is the SRO full-time?", "    text: Is the SRO full-time?", "type", "def.fulltime"),
        ("    standard: \"01.01.01\"\n    element: a", "    element: a", "standard", "def.fulltime"),
        ("version: 1\n", "", "version", ""),
    ],
)
def test_missing_required_field(tmp_path, old, new, field, qid):
    with pytest.raises(FormError) as caught:
        load_form(broken(tmp_path, old, new))
    messages = [i for i in caught.value.issues if f"'{field}'" in i.message]
    assert messages, caught.value
    assert messages[0].question_id == qid
    assert messages[0].line > 0


def test_unknown_field_is_reported(tmp_path):
    issue = only_issue(broken(tmp_path, "    element: a\n", "    elemnt: a\n"))
    assert "unknown field 'elemnt'" in issue.message


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "form_id: mini\nversion: 1\nsections: [\n  - id: x\n")
    issue = only_issue(path)
    assert "not valid YAML" in issue.message
    assert issue.line >= 3


def test_duplicate_key_is_reported(tmp_path):
    issue = only_issue(broken(tmp_path, "    element: a\n", "    element: a\n    element: b\n"))
    assert "appears twice" in issue.message


def test_replaces_a_live_id_is_refused(tmp_path):
    issue = only_issue(broken(tmp_path, "    element: b\n", "    element: b\n    replaces: [def.fulltime]\n"))
    assert issue.question_id == "def.sworn"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("replaces", "5", "'replaces' must be a list of old question ids"),
    ("meaning_changed", "{a: b}", "'meaning_changed' must be a list of replaced ids"),
    ("observation", "maybe", "'observation' must be true or false"),
    ("met_another_way", "0", "'met_another_way' must be true or false"),
])
def test_a_field_of_the_wrong_kind_is_a_problem_not_a_crash(tmp_path, field, value, message):
    path = broken(tmp_path, "    element: b\n", f"    element: b\n    {field}: {value}\n")
    issue = only_issue(path)
    assert (issue.question_id, issue.message) == ("def.sworn", message)
    assert issue.line == line_of(path, "- id: def.sworn")


def test_several_problems_are_reported_together(tmp_path):
    text = MINI.read_text().replace("type: yesno", "type: maybe", 1).replace('standard: "01.01.02"', 'standard: "x"')
    with pytest.raises(FormError) as caught:
        load_form(write(tmp_path, text))
    assert len(caught.value.issues) == 2


def test_not_a_mapping(tmp_path):
    issue = only_issue(write(tmp_path, "- just\n- a list\n"))
    assert "mapping" in issue.message


def test_registry_skips_a_broken_newer_version(tmp_path):
    write(tmp_path, MINI.read_text(), "v1.yaml")
    write(tmp_path, MINI.read_text().replace("version: 1", "version: 2").replace("type: yesno", "type: maybe"), "v2.yaml")
    registry = FormRegistry(tmp_path / "forms")
    assert registry.versions("mini") == [1, 2]
    assert registry.current("mini").version == 1
    assert registry.problems and "maybe" in str(registry.problems[0])


def test_registry_refuses_a_file_whose_version_disagrees_with_its_name(tmp_path):
    write(tmp_path, MINI.read_text(), "v3.yaml")
    with pytest.raises(FormError):
        FormRegistry(tmp_path / "forms").get("mini", 3)


def test_wording_follows_answers():
    from nasro_desktop.domain.model import Answer

    form = load_form(MINI)
    q = form.question("mou.arrest")
    assert q.text_for({}).startswith("Will the MOU you draft")
    assert q.text_for({"mou.exists": Answer("mou.exists", "yes")}).startswith("Does your MOU")


def test_a_question_s_party_defaults_to_its_standard_s_owner_and_may_be_set(tmp_path):
    form = load_form(MINI)
    assert form.question("def.sworn").party is form.standard("01.01.01").owner
    assert form.question("profile.officers").party.value == "both"  # no standard: both
    path = broken(tmp_path, '    standard: "01.01.01"\n    element: b',
                  '    standard: "01.01.01"\n    party: district\n    element: b')
    assert load_form(path).question("def.sworn").party.value == "district"


def test_an_unknown_party_is_refused_in_plain_words(tmp_path):
    path = broken(tmp_path, '    standard: "01.01.01"\n    element: b',
                  '    standard: "01.01.01"\n    party: school board\n    element: b')
    issue = only_issue(path)
    assert issue.question_id == "def.sworn"
    assert issue.line == line_of(path, "  - id: def.sworn")
    assert issue.message == "party must be agency, district or both, not 'school board'"
