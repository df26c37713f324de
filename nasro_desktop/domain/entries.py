"""Checks on an officer or school row before it is saved: what blocks it, what only warns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nasro_desktop.domain.dates import long_date
from nasro_desktop.domain.model import Officer, School


@dataclass(frozen=True)
class Problem:
    """One message about a row the user is editing. `blocking` problems stop the row being saved."""

    field: str
    message: str
    blocking: bool = True


def officer_problems(officer: Officer, as_of: date) -> list[Problem]:
    problems: list[Problem] = []
    if not officer.name.strip():
        problems.append(Problem("name", "Please type the officer's name."))
    past_only = (
        ("basic_course_date", "The basic SRO course date"),
        ("advanced_course_date", "The advanced SRO course date"),
        ("last_annual_training", "The last school-safety training date"),
        ("last_rapid_deployment", "The last rapid-deployment training date"),
        ("sworn_date", "The sworn date"),
        ("assignment_date", "The assignment date"),
    )
    for name, label in past_only:
        value = getattr(officer, name)
        if value is not None and value > as_of:
            problems.append(
                Problem(name, f"{label} ({long_date(value)}) is after the Assessment date "
                        f"({long_date(as_of)}). Enter only training and dates that already happened.")
            )
    if officer.years_experience is not None and officer.years_experience < 0:
        problems.append(Problem("years_experience", "Years of experience cannot be negative."))
    if officer.years_experience is not None and officer.years_experience > 60:
        problems.append(Problem("years_experience", "Please check the years of experience: "
                                "more than 60 is unlikely.", blocking=False))
    if (officer.sworn_date and officer.assignment_date
            and officer.assignment_date < officer.sworn_date):
        problems.append(
            Problem("assignment_date", f"The assignment date ({long_date(officer.assignment_date)}) is "
                    f"before the sworn date ({long_date(officer.sworn_date)}). Please check both dates.",
                    blocking=False)
        )
    if (officer.basic_course_date and officer.advanced_course_date
            and officer.advanced_course_date < officer.basic_course_date):
        problems.append(
            Problem("advanced_course_date", "The advanced course is dated before the basic "
                    "course. Please check both dates.", blocking=False)
        )
    return problems


def school_problems(school: School) -> list[Problem]:
    problems: list[Problem] = []
    if not school.name.strip():
        problems.append(Problem("name", "Please type the school's name."))
    numbers = (
        ("enrollment", "Enrollment"),
        ("buildings", "The number of buildings"),
        ("acreage", "The campus size in acres"),
        ("calls_for_service", "Calls for service"),
        ("sros_assigned", "The number of SROs assigned"),
        ("non_sworn_safety_staff", "The number of non-sworn safety staff"),
    )
    for name, label in numbers:
        value = getattr(school, name)
        if value is not None and value < 0:
            problems.append(Problem(name, f"{label} cannot be negative."))
    if school.buildings == 0:
        problems.append(Problem("buildings", "A school needs at least one building; please "
                                "check the number.", blocking=False))
    return problems


class InvalidEntry(ValueError):
    """A row was not saved because of blocking problems (shown to the user as they are)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(" ".join(p.message for p in problems))
