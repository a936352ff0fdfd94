"""Create, end (close) and reopen assignments. Callers own the transaction."""

from __future__ import annotations

import secrets

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


def close_many(assignments: list[Assignment], *, by: Account) -> list[Assignment]:
    """End assignments ("Kết thúc đợt giao") as one batch: one ``assignment.closed_batch`` event with the
    count and the ids, and an ``assignment.closed`` event per assignment carrying the batch id.
    Assignments already ended are left out; returns those ended now."""
    closing = [a for a in assignments if a.active]
    if not closing:
        return []
    batch = secrets.token_hex(6)
    for assignment in closing:
        assignment.active = False
        record("assignment.closed", actor_id=by.id, obj=assignment, batch=batch)
    record("assignment.closed_batch", actor_id=by.id, object_type="assignment_batch", object_id=batch,
           batch=batch, count=len(closing), ids=[a.id for a in closing])
    return closing


def close(assignment: Assignment, *, by: Account) -> None:
    close_many([assignment], by=by)


def reopen(assignment: Assignment, *, by: Account) -> bool:
    """Reopen an ended assignment: it counts again in compliance. False if it was not ended."""
    if assignment.active:
        return False
    assignment.active = True
    record("assignment.reopened", actor_id=by.id, obj=assignment)
    return True


REMINDER_FIELDS = ("remind_days_before", "remind_on_due", "remind_every_days", "remind_max_after",
                   "escalate_head_days", "escalate_hr_days")


def set_reminders(assignment: Assignment, settings: dict, *, by: Account) -> bool:
    """Change when the assignment's people are reminded and escalated; False if nothing changed."""
    before = {name: getattr(assignment, name) for name in REMINDER_FIELDS}
    after = {name: settings[name] for name in REMINDER_FIELDS}
    if before == after:
        return False
    for name, value in after.items():
        setattr(assignment, name, value)
    record("assignment.reminders_changed", actor_id=by.id, obj=assignment, before=before, after=after)
    return True
