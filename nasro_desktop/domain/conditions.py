"""A small, safe condition language over earlier answers (no eval).

    mou.exists == "yes"
    not answered(mou.signed_date) or mou.exists in ["no", "drafting"]
    school.count >= 2 and (a != "x" or b == 3)

Grammar:  or := and ("or" and)* ; and := not ("and" not)* ; not := "not" not | comparison ;
comparison := operand [ ("=="|"!="|"<"|"<="|">"|">=") operand | "in" list ] ;
operand := IDENT | STRING | NUMBER | "true" | "false" | "answered(" IDENT ")" | "(" or ")".
An unanswered question is nothing: `x == "yes"` is false, `x != "yes"` is true, `x < 3` is false.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class ConditionError(ValueError):
    """A condition that cannot be read; the message says where."""


_TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>-?\d+(?:\.\d+)?)
    |(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
    |(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "answered"}
_COMPARISONS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
                ">": operator.gt, ">=": operator.ge}


def _value_of(answers: Mapping[str, Any], question_id: str) -> Any:
    answer = answers.get(question_id)
    value = getattr(answer, "value", answer)
    return None if value == "" else value


@dataclass(frozen=True)
class Condition:
    source: str
    _tree: tuple[Any, ...]

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        return bool(_eval(self._tree, answers))

    def references(self) -> set[str]:
        """The question ids this condition reads."""
        found: set[str] = set()
        _collect(self._tree, found)
        return found


def parse_condition(source: str) -> Condition:
    tokens = _tokenize(source)
    parser = _Parser(tokens, source)
    tree = parser.parse_or()
    if parser.pos != len(tokens):
        raise ConditionError(f"unexpected {tokens[parser.pos][1]!r} in condition {source!r}")
    return Condition(source, tree)


def _tokenize(source: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    pos = 0
    text = source.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(f"cannot read condition {source!r} at {text[pos:]!r}")
        pos = match.end()
        kind = match.lastgroup or ""
        raw = match.group(kind)
        if kind == "number":
            tokens.append(("lit", float(raw) if "." in raw else int(raw)))
        elif kind == "string":
            tokens.append(("lit", re.sub(r"\\(.)", r"\1", raw[1:-1])))
        elif kind == "name" and raw in _KEYWORDS:
            tokens.append(("kw", raw))
        else:
            tokens.append((kind, raw))
    if not tokens:
        raise ConditionError("empty condition")
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]], source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.pos = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str, value: Any = None) -> Any:
        token = self.peek()
        if token is None or token[0] != kind or (value is not None and token[1] != value):
            found = "the end" if token is None else repr(token[1])
            expected = value or kind
            raise ConditionError(f"expected {expected!r} but found {found} in {self.source!r}")
        self.pos += 1
        return token[1]

    def at(self, kind: str, value: Any = None) -> bool:
        token = self.peek()
        return token is not None and token[0] == kind and (value is None or token[1] == value)

    def parse_or(self) -> tuple[Any, ...]:
        node = self.parse_and()
        while self.at("kw", "or"):
            self.pos += 1
            node = ("or", node, self.parse_and())
        return node

    def parse_and(self) -> tuple[Any, ...]:
        node = self.parse_not()
        while self.at("kw", "and"):
            self.pos += 1
            node = ("and", node, self.parse_not())
        return node

    def parse_not(self) -> tuple[Any, ...]:
        if self.at("kw", "not"):
            self.pos += 1
            return ("not", self.parse_not())
        return self.parse_comparison()

    def parse_comparison(self) -> tuple[Any, ...]:
        left = self.parse_operand()
        token = self.peek()
        if token and token[0] == "op" and token[1] in _COMPARISONS:
            self.pos += 1
            return ("cmp", token[1], left, self.parse_operand())
        if self.at("kw", "in"):
            self.pos += 1
            self.take("op", "[")
            items = []
            while not self.at("op", "]"):
                items.append(self.take("lit"))
                if not self.at("op", "]"):
                    self.take("op", ",")
            self.take("op", "]")
            return ("in", left, tuple(items))
        return ("truthy", left)

    def parse_operand(self) -> tuple[Any, ...]:
        token = self.peek()
        if token is None:
            raise ConditionError(f"condition {self.source!r} ends too early")
        kind, value = token
        if kind == "lit":
            self.pos += 1
            return ("lit", value)
        if kind == "name":
            self.pos += 1
            return ("ref", value)
        if kind == "kw" and value in ("true", "false"):
            self.pos += 1
            return ("lit", value == "true")
        if kind == "kw" and value == "answered":
            self.pos += 1
            self.take("op", "(")
            name = self.take("name")
            self.take("op", ")")
            return ("answered", name)
        if kind == "op" and value == "(":
            self.pos += 1
            node = self.parse_or()
            self.take("op", ")")
            return node
        raise ConditionError(f"unexpected {value!r} in condition {self.source!r}")


def _operand(node: tuple[Any, ...], answers: Mapping[str, Any]) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        return _value_of(answers, node[1])
    return _eval(node, answers)


def _eval(node: tuple[Any, ...], answers: Mapping[str, Any]) -> Any:
    kind = node[0]
    if kind == "or":
        return _eval(node[1], answers) or _eval(node[2], answers)
    if kind == "and":
        return _eval(node[1], answers) and _eval(node[2], answers)
    if kind == "not":
        return not _eval(node[1], answers)
    if kind == "answered":
        return _value_of(answers, node[1]) is not None
    if kind == "truthy":
        return bool(_operand(node[1], answers))
    if kind == "in":
        return _operand(node[1], answers) in node[2]
    if kind == "cmp":
        op, left, right = node[1], _operand(node[2], answers), _operand(node[3], answers)
        if op not in ("==", "!=") and (left is None or right is None):
            return False
        try:
            return _COMPARISONS[op](left, right)
        except TypeError:  # comparing text with a number: never true, never a crash
            return False
    return _operand(node, answers)


def _collect(node: tuple[Any, ...], found: set[str]) -> None:
    if node[0] in ("ref", "answered"):
        found.add(node[1])
        return
    for child in node[1:]:
        if isinstance(child, tuple) and child and isinstance(child[0], str):
            _collect(child, found)
