"""Load and check question-set files (forms/<form_id>/v<N>.yaml; format in forms/README.md).

Every problem is reported with the file, the line and the question id, all at once, so whoever
edits a form fixes it in one pass. A broken file raises FormError; it never crashes the app:
the registry keeps working with the files that are sound and lists the broken ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from nasro_desktop.domain.answer_types import ANSWER_TYPES, AnswerKind
from nasro_desktop.domain.conditions import Condition, ConditionError, parse_condition
from nasro_desktop.domain.model import (
    AnswerType,
    Form,
    Owner,
    Question,
    Section,
    Standard,
    StandardClass,
    Wording,
)
from nasro_desktop.domain.readings import READINGS
from nasro_desktop.domain.rules import RULE_NAMES
from nasro_desktop.paths import forms_dir

DEFAULT_FORM_ID = "nasro-2018"
PROFILE_SECTION = "profile"
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
QUESTION_FIELDS = {
    "id", "section", "standard", "element", "type", "text", "wordings", "help", "na",
    "show_if", "options", "replaces", "observation", "met_another_way", "applicability",
    "meaning_changed", "party",
}  # fmt: skip
_LINE = "__line__"
_Choice = TypeVar("_Choice", Owner, StandardClass)


@dataclass(frozen=True)
class FormIssue:
    file: str
    line: int
    question_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        if self.question_id:
            where += f", question {self.question_id}"
        return f"{where}: {self.message}"


class FormError(Exception):
    def __init__(self, issues: list[FormIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def _file_error(name: str, line: int, message: str) -> FormError:
    """A problem with a whole file (no question of its own)."""
    return FormError([FormIssue(name, line, "", message)])


# The C parser reads the 2,500-line question set ~7x faster than the pure-Python one; the
# constructor stays Python (safe), which is where line numbers are recorded.
@lru_cache(maxsize=1)
def _line_loader(yaml: Any) -> Any:
    safe_base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(safe_base):  # type: ignore[misc]
        """Safe YAML that remembers the line of every mapping."""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} appears twice", key_node.start_mark
                    )
                seen.add(key)
            mapping: dict[str, Any] = super().construct_mapping(node, deep=deep)
            mapping[_LINE] = node.start_mark.line + 1
            return mapping

    return LineLoader


def load_form(path: str | Path) -> Form:
    """The question set in `path`, checked."""
    import yaml  # PyYAML is loaded when a question set is first read

    path = Path(path)
    name = _display_name(path)
    try:  # as read_text() reads it: UTF-8, any line end as "\n"
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as error:
        raise _file_error(name, 0, f"cannot be read ({error})") from None
    try:
        data = yaml.load(text, Loader=_line_loader(yaml))  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(error, "problem", None) or str(error)
        raise _file_error(name, line, f"is not valid YAML: {problem}") from None
    return _Builder(name, path).build(data)


def _display_name(path: Path) -> str:
    parts = path.parts
    if "forms" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("forms") - 1 :])
    return str(path)


class _Builder:
    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self.issues: list[FormIssue] = []

    def problem(self, line: int, qid: str, message: str) -> None:
        self.issues.append(FormIssue(self.name, line, qid, message))

    def text_field(self, entry: dict[str, Any], key: str, qid: str, *, required: bool = True) -> str:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(entry.get(_LINE, 0), qid, f"missing required field '{key}'")
            return ""
        if not isinstance(value, str | int | float):
            self.problem(entry.get(_LINE, 0), qid, f"field '{key}' must be text")
            return ""
        return " ".join(str(value).split())

    def unknown_keys(self, entry: dict[str, Any], allowed: set[str], qid: str, what: str) -> None:
        for key in entry:
            if key != _LINE and key not in allowed:
                self.problem(entry[_LINE], qid, f"unknown field '{key}' in {what}")

    def build(self, data: Any) -> Form:
        if not isinstance(data, dict):
            self.problem(
                1, "", "must be a mapping with form_id, version, sections, standards, questions"
            )
            raise FormError(self.issues)
        self.unknown_keys(
            data,
            {"form_id", "version", "title", "sections", "standards", "questions"},
            "",
            "the file",
        )
        form_id = self.text_field(data, "form_id", "")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.problem(
                data.get(_LINE, 1),
                "",
                "missing required field 'version' (a whole number, 1 or more)",
            )
            version = 0
        title = self.text_field(data, "title", "")
        sections = self.build_sections(data)
        section_ids = {s.id for s in sections} | {PROFILE_SECTION}
        standards = self.build_standards(data, section_ids)
        questions = self.build_questions(data, section_ids, {s.id: s.owner for s in standards})
        if self.issues:
            raise FormError(self.issues)
        return Form(
            form_id=form_id,
            version=version,
            title=title,
            sections=tuple(sections),
            standards=tuple(standards),
            questions=tuple(questions),
            source=str(self.path),
        )

    def entries(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        raw = data.get(key)
        if not isinstance(raw, list) or not raw:
            self.problem(data.get(_LINE, 1), "", f"missing required field '{key}' (a list)")
            return []
        good = []
        for item in raw:
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problem(data.get(_LINE, 1), "", f"every entry of '{key}' must be a mapping")
        return good

    def build_sections(self, data: dict[str, Any]) -> list[Section]:
        sections: list[Section] = []
        for entry in self.entries(data, "sections"):
            sid = self.text_field(entry, "id", "")
            self.unknown_keys(entry, {"id", "number", "title", "intro"}, "", "a section")
            number = entry.get("number")
            if not isinstance(number, int):
                self.problem(entry[_LINE], "", f"section {sid!r} needs a whole 'number'")
                number = 0
            if any(s.id == sid for s in sections):
                self.problem(entry[_LINE], "", f"duplicate section id {sid!r}")
            sections.append(
                Section(
                    sid,
                    number,
                    self.text_field(entry, "title", ""),
                    self.text_field(entry, "intro", "", required=False),
                )
            )
        return sections

    def build_standards(self, data: dict[str, Any], section_ids: set[str]) -> list[Standard]:
        standards: list[Standard] = []
        seen: set[str] = set()
        allowed = {
            "id",
            "number",
            "title",
            "class",
            "class_note",
            "section",
            "owner",
            "next_step",
            "rule",
        }
        for entry in self.entries(data, "standards"):
            sid = self.text_field(entry, "id", "")
            line = entry[_LINE]
            self.unknown_keys(entry, allowed, "", f"standard {sid}")
            if sid in seen:
                self.problem(line, "", f"duplicate standard id {sid!r}")
            seen.add(sid)
            cls = self.one_of(entry.get("class"), StandardClass.UNCLASSIFIED, line, "",
                              f"standard {sid}: class")
            owner = self.one_of(entry.get("owner"), Owner.BOTH, line, "", f"standard {sid}: owner")
            section = self.text_field(entry, "section", "")
            if section and section not in section_ids:
                self.problem(line, "", f"standard {sid}: unknown section {section!r}")
            rule = entry.get("rule")
            if rule is not None and rule not in RULE_NAMES:
                self.problem(
                    line,
                    "",
                    f"standard {sid}: unknown rule {rule!r} (known: {', '.join(sorted(RULE_NAMES))})",
                )
                rule = None
            standards.append(
                Standard(
                    id=sid,
                    number=self.text_field(entry, "number", ""),
                    title=self.text_field(entry, "title", ""),
                    cls=cls,
                    section=section,
                    owner=owner,
                    next_step=self.text_field(entry, "next_step", ""),
                    rule=rule,
                    class_note=self.text_field(entry, "class_note", "", required=False),
                    line=line,
                )
            )
        return standards

    def condition(
        self, source: Any, line: int, qid: str, earlier: set[str], all_ids: set[str], what: str
    ) -> Condition | None:
        if not isinstance(source, str) or not source.strip():
            self.problem(line, qid, f"{what} must be a condition written as text")
            return None
        try:
            condition = parse_condition(source)
        except ConditionError as error:
            self.problem(line, qid, f"{what}: {error}")
            return None
        for ref in sorted(condition.references()):
            if ref == qid:
                self.problem(line, qid, f"{what} refers to the question itself")
            elif ref not in all_ids:
                self.problem(line, qid, f"{what} refers to unknown question {ref!r}")
            elif ref not in earlier:
                self.problem(
                    line,
                    qid,
                    f"{what} refers to {ref!r}, which comes later; conditions may only use earlier answers",
                )
        return condition

    def build_questions(
        self, data: dict[str, Any], section_ids: set[str], owners: dict[str, Owner]
    ) -> list[Question]:
        entries = self.entries(data, "questions")
        known = _Known(
            sections=section_ids,
            standards=set(owners),
            owners=owners,
            questions={str(e.get("id")) for e in entries if e.get("id")},
        )
        questions: list[Question] = []
        for entry in entries:
            questions.append(self.question(entry, known))
            known.earlier.add(questions[-1].id)
        self.only_facts_hide(questions)
        return questions

    def only_facts_hide(self, questions: list[Question]) -> None:
        """A question may be hidden only by applicability facts, and fail safe: while the
        facts it depends on are unanswered, it is shown (and counts)."""
        facts = {q.id for q in questions if q.applicability}
        ids = {q.id for q in questions}
        for question in questions:
            if question.show_if is None:
                continue
            others = sorted((question.show_if.references() & ids) - facts)
            if others:
                self.problem(question.line, question.id,
                             f"show_if may only use applicability facts, not {', '.join(others)}")
            elif not question.show_if.evaluate({}):
                self.problem(question.line, question.id,
                             "show_if must show the question while its facts are unanswered "
                             "(fail safe)")

    def question(self, entry: dict[str, Any], known: _Known) -> Question:
        """One question entry, every field checked (in this order, so the problems are listed
        as they appear in the entry)."""
        line = entry[_LINE]
        qid = self.question_id(entry, line, known)
        self.unknown_keys(entry, QUESTION_FIELDS, qid, "a question")
        answer_type = self.answer_type(entry, line, qid)
        kind = ANSWER_TYPES[answer_type]
        section = self.question_section(entry, line, qid, known)
        standard = self.question_standard(entry, line, qid, kind, known)
        help_ = entry.get("help") or {}
        if not isinstance(help_, dict):
            self.problem(line, qid, "'help' must have 'why' and 'evidence'")
            help_ = {}
        na = self.na_block(entry, line, qid)
        if kind.needs_help:
            self.required_help(help_, na, line, qid)
        options = self.options(entry, line, qid, kind)
        show_if = None
        if "show_if" in entry:
            show_if = self.condition(entry["show_if"], line, qid, known.earlier,
                                     known.questions, "show_if")  # fmt: skip
        wordings = self.wordings(entry, line, qid, known)
        replaces = self.replaces(entry, line, qid, known)
        return Question(
            id=qid,
            section=section,
            type=answer_type,
            text=_words(entry.get("text")) or self._missing_text(line, qid),
            standard=standard,
            element=str(entry.get("element") or ""),
            help_why=_words(help_.get("why")),
            help_evidence=_words(help_.get("evidence")),
            na_allowed=bool(na.get("allowed", False)),
            na_note=_words(na.get("why")),
            options=options,
            show_if=show_if,
            wordings=wordings,
            replaces=replaces,
            observation=self.observation(entry, kind, line, qid),
            alternate_allowed=self.flag(entry, "met_another_way", True, line, qid),
            meaning_changed=self.meaning_changed(entry, replaces, line, qid),
            applicability=self.applicability(entry, answer_type, line, qid),
            party=self.party(entry, standard, known, line, qid),
            line=line,
        )

    # -- one check per field of a question --

    def question_id(self, entry: dict[str, Any], line: int, known: _Known) -> str:
        qid = self.text_field(entry, "id", "")
        if qid and not _ID.match(qid):
            self.problem(line, qid, "ids use lowercase letters, digits, '.', '_' and '-' only")
        if qid in known.earlier:
            self.problem(line, qid, "duplicate question id")
        return qid

    def answer_type(self, entry: dict[str, Any], line: int, qid: str) -> AnswerType:
        raw = entry.get("type")
        if raw is None:
            self.problem(line, qid, "missing required field 'type'")
            return AnswerType.TEXT
        if raw not in {t.value for t in AnswerType}:
            known = ", ".join(t.value for t in AnswerType)
            self.problem(line, qid, f"unknown answer type {raw!r} (known: {known})")
            return AnswerType.TEXT
        return AnswerType(raw)

    def question_section(self, entry: dict[str, Any], line: int, qid: str, known: _Known) -> str:
        section = self.text_field(entry, "section", qid)
        if section and section not in known.sections:
            self.problem(line, qid, f"unknown section {section!r}")
        return section

    def question_standard(
        self, entry: dict[str, Any], line: int, qid: str, kind: AnswerKind, known: _Known
    ) -> str | None:
        standard = entry.get("standard")
        if standard is None:
            if kind.needs_standard:
                self.problem(line, qid, f"missing required field 'standard' (every {kind.type} "
                             "question serves a standard)")  # fmt: skip
            return None
        if str(standard) not in known.standards:
            self.problem(line, qid, f"unknown standard {str(standard)!r}")
        return str(standard)

    def na_block(self, entry: dict[str, Any], line: int, qid: str) -> dict[str, Any]:
        na = entry.get("na") or {}
        if not isinstance(na, dict) or not isinstance(na.get("allowed", False), bool):
            self.problem(line, qid, "'na' must have 'allowed: true|false' and 'why'")
            return {}
        return na

    def required_help(self, help_: dict[str, Any], na: dict[str, Any], line: int, qid: str) -> None:
        for key in ("why", "evidence"):
            if not _words(help_.get(key)):
                self.problem(line, qid, f"missing required field 'help.{key}'")
        if "allowed" not in na or not _words(na.get("why")):
            self.problem(line, qid, "missing required field 'na' (allowed: true|false, and why)")

    def options(
        self, entry: dict[str, Any], line: int, qid: str, kind: AnswerKind
    ) -> tuple[str, ...]:
        options = entry.get("options") or []
        if kind.needs_options and (not isinstance(options, list) or not options):
            self.problem(line, qid, f"a {kind.type} question needs 'options'")
            return ()
        return tuple(str(o) for o in options)

    def wordings(
        self, entry: dict[str, Any], line: int, qid: str, known: _Known
    ) -> tuple[Wording, ...]:
        wordings = []
        for wording in entry.get("wordings") or []:
            if not isinstance(wording, dict) or "text" not in wording:
                self.problem(line, qid, "each entry of 'wordings' needs 'if' and 'text'")
                continue
            cond = None
            if "if" in wording:
                cond = self.condition(wording["if"], wording.get(_LINE, line), qid, known.earlier,
                                      known.questions, "wording condition")  # fmt: skip
            wordings.append(Wording(" ".join(str(wording["text"]).split()), cond))
        return tuple(wordings)

    def ids(self, entry: dict[str, Any], key: str, line: int, qid: str, what: str
            ) -> tuple[str, ...]:
        """`key: an.id` or `key: [ids]`; anything else is a problem (and no ids)."""
        value = entry.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(line, qid, f"'{key}' must be a list of {what} ids")
            return ()
        return tuple(str(v) for v in value)

    def replaces(
        self, entry: dict[str, Any], line: int, qid: str, known: _Known
    ) -> tuple[str, ...]:
        replaces = self.ids(entry, "replaces", line, qid, "old question")
        for old in replaces:
            if old in known.questions:
                self.problem(line, qid, f"replaces {old!r}, which is still a question in this file")
        return replaces

    def meaning_changed(
        self, entry: dict[str, Any], replaces: tuple[str, ...], line: int, qid: str
    ) -> tuple[str, ...]:
        """`meaning_changed: [old.id]`: ids of `replaces` whose answers carry here though the
        question now means something else: an upgrade marks them "confirm again"."""
        value = self.ids(entry, "meaning_changed", line, qid, "replaced")
        for old in value:
            if old not in replaces:
                self.problem(line, qid, f"meaning_changed names {old!r}, which it does not replace")
        return value

    def observation(self, entry: dict[str, Any], kind: AnswerKind, line: int, qid: str) -> bool:
        value = self.flag(entry, "observation", False, line, qid)
        if value and not kind.may_be_observation:
            self.problem(line, qid, "only a status question can be an observation")
        return value

    def flag(self, entry: dict[str, Any], key: str, default: bool, line: int, qid: str) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            self.problem(line, qid, f"'{key}' must be true or false")
            return default
        return value

    def applicability(
        self, entry: dict[str, Any], answer_type: AnswerType, line: int, qid: str
    ) -> str:
        """`applicability: <reading id>`: a yes/no fact whose answer can switch something
        off, said in that Reading (printed on "How this was scored", tested on its own)."""
        value = entry.get("applicability")
        if value is None:
            return ""

        if answer_type is not AnswerType.YESNO and entry.get("type") in set(AnswerType):
            self.problem(line, qid, "only a yesno question can be an applicability fact")
        if value not in {r.id for r in READINGS}:
            self.problem(line, qid, f"applicability {value!r} is not a reading's id "
                         "(domain/readings.py READINGS)")
        return str(value)

    def party(
        self, entry: dict[str, Any], standard: str | None, known: _Known, line: int, qid: str
    ) -> Owner:
        """`party: agency | district | both`: whose part the question is when the two sides
        answer on their own copies; without it, its standard's owner (a profile question:
        both)."""
        default = known.owners.get(standard or "", Owner.BOTH)
        value = entry.get("party")
        return default if value is None else self.one_of(value, default, line, qid, "party")

    def one_of(self, value: Any, default: _Choice, line: int, qid: str, what: str) -> _Choice:
        """`value` as a member of `default`'s kind; else a problem ("{what} must be agency,
        district or both, not 'x'") and `default`."""
        names = [member.value for member in type(default)]
        if value in names:
            return type(default)(value)
        self.problem(line, qid, f"{what} must be {', '.join(names[:-1])} or {names[-1]}, "
                     f"not {value!r}")
        return default

    def _missing_text(self, line: int, qid: str) -> str:
        self.problem(line, qid, "missing required field 'text'")
        return ""


def _words(value: Any) -> str:
    """Text from the file with its runs of spaces and line breaks made single spaces."""
    return " ".join(str(value or "").split())


@dataclass
class _Known:
    """What a question may refer to: sections, standards, every question id in the file, and
    the ids before it (a condition may only use earlier answers)."""

    sections: set[str]
    standards: set[str]
    questions: set[str]
    owners: dict[str, Owner] = field(default_factory=dict)  # standard id -> its owner
    earlier: set[str] = field(default_factory=set)


class FormRegistry:
    """Every question set on disk, loaded when first asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[tuple[str, int], Path] = {}
        self._loaded: dict[tuple[str, int], Form] = {}
        self.problems: list[FormError] = []
        for path in sorted(root.glob("*/v*.yaml")):
            match = re.fullmatch(r"v(\d+)\.yaml", path.name)
            if match:
                self._files[(path.parent.name, int(match.group(1)))] = path

    def versions(self, form_id: str = DEFAULT_FORM_ID) -> list[int]:
        return sorted(v for (fid, v) in self._files if fid == form_id)

    def knows(self, form_id: str, version: int | None = None) -> bool:
        if version is None:
            return any(fid == form_id for fid, _ in self._files)
        return (form_id, version) in self._files

    def get(self, form_id: str, version: int) -> Form:
        key = (form_id, version)
        if key not in self._loaded:
            if key not in self._files:
                raise _file_error(f"{form_id} v{version}", 0, "this question set is not installed")
            form = load_form(self._files[key])
            if (form.form_id, form.version) != key:
                raise _file_error(_display_name(self._files[key]), 1,
                                  f"says form_id {form.form_id!r} version {form.version}, but its "
                                  f"path says {form_id} v{version}")
            self._loaded[key] = form
        return self._loaded[key]

    def current(self, form_id: str = DEFAULT_FORM_ID) -> Form:
        """The newest sound version; a broken newer file is recorded in `problems` and skipped."""
        for version in reversed(self.versions(form_id)):
            try:
                return self.get(form_id, version)
            except FormError as error:
                if error not in self.problems:
                    self.problems.append(error)
        raise _file_error(form_id, 0, "no usable question set is installed")


@lru_cache(maxsize=1)
def form_registry() -> FormRegistry:
    return FormRegistry(forms_dir())


def current_form() -> Form:
    return form_registry().current(DEFAULT_FORM_ID)
