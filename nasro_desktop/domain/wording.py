"""Words shared by the window, the report and the command line: one source for each.

The disclaimer, the glossary of the document's terms, and how an answer is described. Pages
and the renderer import these; they keep no copies of their own.
"""

from __future__ import annotations

from nasro_desktop.domain.model import CHOICE_LABELS, Choice

DOCUMENT = "the NASRO standards and best practices for SRO programs (2018 edition)"

DISCLAIMER = (
    "This is a self-assessment made by the program itself with the SRO Program Readiness "
    "app. It is not issued, reviewed or endorsed by the National Association of School "
    "Resource Officers (NASRO), and it is not legal advice."
)

# Under the title of page 1 and in every page's footer, in both editions.
SELF_ASSESSMENT = "Self-assessment by the program — not a NASRO certification"
# On every page of a paper that prints officers' names (the full edition, or the board edition
# when the chief chose to print names).
NAMES_WARNING = "Contains officers' names — not for public posting"

# Term -> plain explanation, in the order a reader meets them. The window shows these on
# hover/focus; the report prints them as a short glossary.
GLOSSARY: dict[str, str] = {
    "NASRO": "National Association of School Resource Officers, which publishes the standards "
    "this assessment follows.",
    "SRO": "School Resource Officer: a sworn law-enforcement officer assigned to work in "
    "schools.",
    "MOU": "Memorandum of understanding: the signed agreement between the police or sheriff's "
    "agency and the school district that sets out how the SRO program works.",
    "Mandatory": "A standard the document marks as required (M). The verdict is Ready only "
    "when every mandatory standard is met.",
    "Recommended": "A best practice the document marks as recommended (R). It is scored, "
    "but does not decide the verdict.",
    "Not classed": "An item for which the document prints neither M nor R. It is shown and "
    "judged, but does not change the verdict or the score.",
    "TRIAD": "NASRO's name for the SRO's three roles: law-enforcement officer, informal "
    "counselor or mentor, and teacher or guest speaker.",
    "CPTED": "Crime Prevention Through Environmental Design: making buildings and grounds "
    "safer by how they are laid out, lit and kept.",
    "Trauma-informed": "Working in a way that recognizes how past harm (abuse, violence, "
    "loss) affects a student's behavior, and avoids making it worse.",
    "Rapid deployment": "Training for one officer to respond at once to an active attacker, "
    "without waiting for a team.",
}

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
