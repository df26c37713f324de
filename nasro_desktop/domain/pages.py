"""Which questions go on which page of the interview."""

from __future__ import annotations

from dataclasses import dataclass

from nasro_desktop.domain.model import Form


@dataclass(frozen=True)
class PageSpec:
    """One page of the interview: one standard (or a small group of questions of one standard)."""

    id: str  # "std:<standard id>" or "std:<standard id>#<n>"; also what `last_page` holds
    section: str
    standard_id: str | None
    title: str
    question_ids: tuple[str, ...]


# A standard with many questions is split into pages of about this many (the TRIAD lists).
PAGE_SPLIT = 12


def interview_pages(form: Form) -> list[PageSpec]:
    """The question pages of every interview section, in order.

    One page per standard, in the order the form lists them; questions that name no standard (or
    a standard of another section) join the page of the question before them. A standard with
    many questions is split by lettered element (or into chunks of about PAGE_SPLIT)."""
    pages: list[PageSpec] = []
    for section in form.sections:
        standards = form.standards_in(section.id)
        by_standard: dict[str, list[str]] = {s.id: [] for s in standards}
        orphans_first: list[str] = []
        current: str | None = None
        for question in form.questions_in(section.id):
            if question.standard in by_standard:
                current = question.standard
                by_standard[current].append(question.id)
            elif current is not None:
                by_standard[current].append(question.id)
            else:
                orphans_first.append(question.id)
        if orphans_first:
            if standards:
                by_standard[standards[0].id][:0] = orphans_first
            else:
                pages.append(
                    PageSpec(f"sec:{section.id}", section.id, None, section.title,
                             tuple(orphans_first))
                )
        for standard in standards:
            ids = by_standard[standard.id]
            title = f"{standard.number}  {standard.title}"
            chunks = _split(form, ids)
            if len(chunks) == 1:
                pages.append(PageSpec(f"std:{standard.id}", section.id, standard.id, title,
                                      tuple(chunks[0])))
            else:
                for n, chunk in enumerate(chunks, start=1):
                    pages.append(
                        PageSpec(f"std:{standard.id}#{n}", section.id, standard.id,
                                 f"{title} (part {n} of {len(chunks)})", tuple(chunk))
                    )
    return pages


def _split(form: Form, ids: list[str]) -> list[list[str]]:
    if len(ids) <= PAGE_SPLIT:
        return [ids]
    # Questions before the first lettered/grouped one stay with the first group.
    groups: list[list[str]] = []
    last_key: object = None
    for qid in ids:
        question = form.question(qid)
        key = question.element or (qid.rsplit(".", 1)[0] if "." in qid else qid)
        if groups and (key == last_key or not question.element and len(groups[-1]) < 2):
            groups[-1].append(qid)
        else:
            groups.append([qid])
        last_key = key
    if 1 < len(groups) <= 6 and all(len(g) <= 2 * PAGE_SPLIT for g in groups):
        return groups
    return [ids[i : i + PAGE_SPLIT] for i in range(0, len(ids), PAGE_SPLIT)]
