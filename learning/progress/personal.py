"""A person's own assignments with their status (and own due date): the learner's pages and home-page notice,
read from the same engine as the dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.extensions import db
from learning.org.models import Person
from learning.progress.engine import status_rows
from learning.progress.labels import Status


@dataclass(frozen=True)
class PersonalAssignment:
    assignment: Assignment
    status: Status
    due_on: date  # the person's own due date (joiners, extensions)


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
    rows = status_rows(candidates, today, person_id=person.id)
    found = {(r.assignment_id, r.person_id): (r.status, r.due_on) for r in db.session.execute(rows)}
    by_course: dict[int, PersonalAssignment] = {}
    for assignment in candidates:
        row = found.get((assignment.id, person.id))
        if row is None:
            continue
        item = PersonalAssignment(assignment, Status(row[0]), row[1])
        current = by_course.get(assignment.course_id)
        # One line per course: the most urgent assignment of it.
        if current is None or (current.status is Status.PASSED and item.status is not Status.PASSED):
            by_course[assignment.course_id] = item
    return sorted(by_course.values(), key=lambda i: (i.status in (Status.PASSED, Status.EXEMPT), i.due_on))


def notice(items: list[PersonalAssignment], today: date, days: int) -> dict[str, list[PersonalAssignment]]:
    """What the learner's home page warns about, from the person's :func:`for_person`: overdue, and due
    within ``days``."""
    return {
        "overdue": [i for i in items if i.status is Status.OVERDUE],
        "due_soon": [i for i in items if i.status not in (Status.PASSED, Status.OVERDUE, Status.EXEMPT)
                     and (i.due_on - today).days <= days],
    }


def course_status(assigned: Status | None, completed: bool, valid_until: date | None, started: bool,
                  today: date) -> Status:
    """The status of a course on the learner's page, in the engine's labels: an assigned course's status is
    the engine's; a course nobody assigned is passed while its certificate is valid, expired after,
    in progress once a lesson is read or an attempt started."""
    if assigned is not None:
        return assigned
    if completed and valid_until is not None and valid_until >= today:
        return Status.PASSED
    if completed:
        return Status.EXPIRED
    return Status.IN_PROGRESS if started else Status.NOT_STARTED
