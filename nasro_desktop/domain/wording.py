"""Words shared by the window, the report and the command line: one source for each.

The disclaimer, the glossary of the document's terms, and how an answer is described. Pages
and the renderer import these; they keep no copies of their own.
"""

from __future__ import annotations

import re

from nasro_desktop import DISPLAY_NAME
from nasro_desktop.domain.model import CHOICE_LABELS, Choice

DOCUMENT = "the NASRO standards and best practices for SRO programs (2018 edition)"

DISCLAIMER = (
    f"This is a self-assessment made by the program itself with the {DISPLAY_NAME} "
    "app. It is not issued, reviewed or endorsed by the National Association of School "
    "Resource Officers (NASRO), and it is not legal advice."
)

# Under the title of page 1 and in every page's footer, in both editions.
SELF_ASSESSMENT = "Self-assessment by the program — not a NASRO certification"
# On every page of a paper that prints officers' names (the full edition, or the board edition
# when the chief chose to print names).
NAMES_WARNING = "Contains officers' names — not for public posting"

# Term -> plain explanation, in the order a reader meets them. The window shows these on
# hover/focus; the report prints them as a short glossary before its tables (the board edition:
# the terms its pages use, found by TERM_MARKS).
GLOSSARY: dict[str, str] = {
    "NASRO": "National Association of School Resource Officers, author of these standards.",
    "SRO": "School Resource Officer: a sworn officer assigned to work in schools.",
    "MOU": "Memorandum of understanding: the agency and district's signed agreement on the "
    "program.",
    "Mandatory": "A standard NASRO marks M: the program must meet it. Ready means every "
    "mandatory standard is met.",
    "Recommended": "A practice NASRO marks R: advised. It counts for the score, not the "
    "verdict.",
    "Recommended score": "The recommended practices in place: met counts 1, partly met ½.",
    "Assessment date": "The day answers are judged as of: due by then and not done is overdue.",
    "Partly met": "Some, not all, of what a standard asks is in place: not met, for the "
    "verdict.",
    "Met another way": "The program's own way, explained; NASRO makes no such allowance: the "
    "board judges it.",
    "Not applicable": "Does not apply to this program, for a reason it gives; not counted.",
    "Not classed": "Marked neither M nor R: shown and judged, but changes neither the verdict "
    "nor the score.",
    "Basic SRO course": "The basic course for SROs, due before the assignment or in its first "
    "year.",
    "Advanced SRO course": "The follow-on course, about a year after the basic course.",
    "Rapid-deployment training": "Training one officer to respond at once to an active "
    "attacker.",
    "Probation review": "The review ending a new SRO's probation; the school takes part.",
    "FERPA": "Family Educational Rights and Privacy Act: the federal law on student records.",
    "TRIAD": "The SRO's three roles: law-enforcement officer, counselor or mentor, teacher.",
    "CPTED": "Crime Prevention Through Environmental Design: safer grounds by how they are laid "
    "out, lit and kept.",
    "Trauma-informed": "Working in a way that recognizes how past harm (abuse, violence, "
    "loss) affects a student's behavior, and avoids making it worse.",
    "Data fingerprint": "A code made from the saved data and the Assessment date: same data, "
    "same code.",
}

# Term -> the words (case-insensitive, whole words) that show a page uses it.
TERM_MARKS: dict[str, tuple[str, ...]] = {
    "NASRO": ("NASRO",),
    "SRO": ("SRO", "SROs"),
    "MOU": ("MOU",),
    "Mandatory": ("mandatory",),
    "Recommended": ("recommended",),
    "Recommended score": ("recommended score",),
    "Assessment date": ("assessment date",),
    "Partly met": ("partly met", "partly"),
    "Met another way": ("met another way",),
    "Not applicable": ("not applicable",),
    "Not classed": ("not classed",),
    "Basic SRO course": ("basic SRO course", "basic course"),
    "Advanced SRO course": ("advanced SRO course", "advanced course"),
    "Rapid-deployment training": ("rapid-deployment", "rapid deployment"),
    "Probation review": ("probation", "probationary"),
    "FERPA": ("FERPA",),
    "TRIAD": ("TRIAD",),
    "CPTED": ("CPTED",),
    "Trauma-informed": ("trauma-informed",),
    "Data fingerprint": ("fingerprint",),
}


def terms_used(text: str) -> list[str]:
    """The glossary's terms that `text` uses, in the glossary's order."""
    return [term for term, marks in TERM_MARKS.items()
            if any(re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", text, re.IGNORECASE)
                   for m in marks)]  # fmt: skip


# Plain labels for the window's and report's field names that used the document's jargon.
PLAIN_LABELS = {
    "owner": "Who usually fixes it",
    "as_of": "Assessment date",
    "recommended_score": "Recommended score",
}


def choice_label(value: object) -> str:
    """The words for a stored status answer ("met" -> "Yes"); unknown values say so."""
    try:
        return CHOICE_LABELS[Choice(str(value))]
    except ValueError:
        return "Unreadable answer"
