"""Create and close assignments. Callers own the transaction."""

from __future__ import annotations

from learning.assignments.models import Assignment
from learning.audit.services import record
from learning.auth.models import Account
from learning.core.text import clean
from learning.extensions import db


def create(*, by: Account | None, **fields) -> Assignment:
    fields["positions"] = [clean(p) for p in fields.get("positions") or [] if clean(p)]
    assignment = Assignment(created_by_id=by.id if by else None, **fields)
    db.session.add(assignment)
    db.session.flush()
    record("assignment.created", actor_id=by.id if by else None, obj=assignment,
           course=assignment.course.code, unit=assignment.unit.code, period=assignment.period,
           due_on=assignment.due_on.isoformat())
    return assignment


def close(assignment: Assignment, *, by: Account) -> None:
    assignment.active = False
    record("assignment.closed", actor_id=by.id, obj=assignment)
