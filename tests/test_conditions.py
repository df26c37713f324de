import pytest
from hypothesis import given
from hypothesis import strategies as st

from nasro_desktop.domain.conditions import ConditionError, parse_condition
from nasro_desktop.domain.model import Answer


def answers(**values):
    return {k.replace("__", "."): Answer(k.replace("__", "."), v) for k, v in values.items()}


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ('mou.exists == "yes"', {"mou__exists": "yes"}, True),
        ('mou.exists == "yes"', {"mou__exists": "no"}, False),
        ('mou.exists == "yes"', {}, False),
        ('mou.exists != "yes"', {}, True),
        ("count >= 2", {"count": 3}, True),
        ("count >= 2", {"count": 1}, False),
        ("count >= 2", {}, False),
        ('count >= 2', {"count": "abc"}, False),
        ('a == "x" and b == 2', {"a": "x", "b": 2}, True),
        ('a == "x" and b == 2', {"a": "x", "b": 3}, False),
        ('a == "x" or b == 2', {"a": "y", "b": 2}, True),
        ('not (a == "x")', {"a": "x"}, False),
        ('a in ["no", "drafting"]', {"a": "drafting"}, True),
        ('a in ["no", "drafting"]', {}, False),
        ("answered(mou.signed_date)", {"mou__signed_date": "2024-01-01"}, True),
        ("answered(mou.signed_date)", {"mou__signed_date": ""}, False),
        ("not answered(x)", {}, True),
        ('d < "2025-01-01"', {"d": "2024-06-30"}, True),
        ("flag == true", {"flag": True}, True),
    ],
)
def test_conditions_evaluate(source, values, expected):
    assert parse_condition(source).evaluate(answers(**values)) is expected


def test_references_lists_every_question_read():
    cond = parse_condition('a.b == "x" and (answered(c) or d in [1, 2]) and not e')
    assert cond.references() == {"a.b", "c", "d", "e"}


@pytest.mark.parametrize(
    "source",
    ["", "a ==", '(a == "x"', "a == == b", "__import__('os')", "a; b", 'a in "x"', "answered(1)"],
)
def test_malformed_conditions_raise_condition_error(source):
    with pytest.raises(ConditionError):
        parse_condition(source)


def test_no_python_is_ever_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    hostile = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    with pytest.raises(ConditionError):
        parse_condition(hostile).evaluate({})
    assert not marker.exists()


@given(st.text(max_size=60))
def test_any_text_either_parses_or_raises_condition_error(text):
    try:
        cond = parse_condition(text)
    except ConditionError:
        return
    assert isinstance(cond.evaluate({}), bool)
