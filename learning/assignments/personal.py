"""A person's own assignments with their status: the learner's due dates and home-page notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.assignments.status import Status, status_rows
from learning.extensions import db
from learning.org.models import Person, Unit


@dataclass(frozen=True)
class PersonalAssignment:
    assignment: Assignment
    status: Status

    @property
    def due_on(self) -> date:
        return self.assignment.due_on


def for_person(person: Person, today: date) -> list[PersonalAssignment]:
    """Active assignments that target ``person`` now, soonest due first (two queries)."""
    ancestors = [int(p) for p in person.unit.path.strip("/").split("/") if p]
    candidates = list(db.session.scalars(
        select(Assignment).where(Assignment.active.is_(True), Assignment.unit_id.in_(ancestors))
        .order_by(Assignment.due_on)))
    candidates = [a for a in candidates
                  if (not a.categories or person.category in a.categories)
                  and (not a.positions or person.position in a.positions)]
    if not candidates:
        return []
    rows = status_rows(candidates, today, Unit.id == person.unit_id, person_id=person.id)
    found = {(r.assignment_id, r.person_id): r.status for r in db.session.execute(rows)}
    by_course: dict[int, PersonalAssignment] = {}
    for assignment in candidates:
        status = found.get((assignment.id, person.id))
        if status is None:
            continue
        item = PersonalAssignment(assignment, Status(status))
        current = by_course.get(assignment.course_id)
        # One line per course: the most urgent assignment of it.
        if current is None or (current.status is Status.PASSED and item.status is not Status.PASSED):
            by_course[assignment.course_id] = item
    return sorted(by_course.values(), key=lambda i: (i.status is Status.PASSED, i.due_on))


def notice(items: list[PersonalAssignment], today: date, days: int) -> dict[str, list[PersonalAssignment]]:
    """What the learner's home page warns about, from the person's :func:`for_person`: overdue, and due
    within ``days``."""
    return {
        "overdue": [i for i in items if i.status is Status.OVERDUE],
        "due_soon": [i for i in items if i.status is not Status.PASSED and i.status is not Status.OVERDUE
                     and (i.due_on - today).days <= days],
    }
