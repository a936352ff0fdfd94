"""Compliance status of each targeted person for each assignment, derived in SQL.

Nothing here is stored: a person's status follows from the assignment (target subtree, filters,
dates) and their completions, so it is always current and never stored twice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, text, true, union_all

from learning.assignments.models import Assignment
from learning.catalog.models import Completion
from learning.certification.models import Certificate, StoredStatus
from learning.extensions import db
from learning.org.models import Person, Unit


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    OVERDUE = "overdue"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    Status.NOT_STARTED: lazy_gettext("Chưa học"),
    Status.IN_PROGRESS: lazy_gettext("Đang học"),
    Status.PASSED: lazy_gettext("Đã đạt"),
    Status.OVERDUE: lazy_gettext("Quá hạn"),
    Status.EXPIRED: lazy_gettext("Hết hạn chứng nhận"),
}
STATUS_ORDER = [Status.OVERDUE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.EXPIRED, Status.PASSED]

# Activity that makes a person "in progress": other packages register a selectable of
# (person_id, course_id, at) — e.g. lessons read, attempts started.
ACTIVITY_SOURCES: list = []


def window_start(assignment: Assignment) -> date:
    """The oldest completion that still counts for this assignment."""
    if assignment.recert_months:
        return assignment.due_on - relativedelta(months=assignment.recert_months)
    return assignment.starts_on


def _start_of(day: date) -> datetime:
    # Completion times are stored in UTC; the province's day starts 7 hours earlier in UTC.
    return datetime.combine(day, time()) - relativedelta(hours=7)


def _audience(query: Select, assignment: Assignment, scope: ColumnElement[bool] | None) -> Select:
    """Active people of the assignment's subtree and filters, within ``scope`` (a clause on Unit)."""
    query = query.join(Unit, Unit.id == Person.unit_id).where(
        Unit.path.startswith(assignment.unit.path, autoescape=True),
        # Staff of a unit dissolved after the assignment began are counted as they were.
        or_(Person.active.is_(True), and_(Unit.valid_to.is_not(None), Unit.valid_to >= assignment.starts_on)))
    if assignment.categories:
        query = query.where(Person.category.in_(assignment.categories))
    if assignment.positions:
        query = query.where(Person.position.in_(assignment.positions))
    if scope is not None:
        query = query.where(scope)
    return query


def _window(assignment: Assignment) -> list:
    return [literal(assignment.id).label("assignment_id"), literal(assignment.course_id).label("course_id"),
            literal(_start_of(window_start(assignment))).label("window_start"),
            literal(_start_of(assignment.due_on + relativedelta(days=1))).label("due_end")]


def targets(assignment: Assignment, scope: ColumnElement[bool] | None = None) -> Select:
    """Active people the assignment applies to, within ``scope`` (a clause on Unit)."""
    window = _window(assignment)
    return _audience(select(window[0], Person.id.label("person_id"), Person.unit_id.label("unit_id"),
                            Unit.path.label("unit_path"), *window[1:]), assignment, scope)


def all_targets(assignments: list[Assignment], scope: ColumnElement[bool] | None = None):
    """``targets`` of every assignment, as one subquery.

    Assignments with the same audience (subtree, filters, start) — a province's courses of a year,
    typically — read the people once, joined to a small table of their ids and dates, instead of once
    per assignment.
    """
    groups: dict[tuple, list[Assignment]] = {}
    for a in assignments:
        key = (a.unit_id, tuple(sorted(a.categories or [])), tuple(sorted(a.positions or [])), a.starts_on)
        groups.setdefault(key, []).append(a)
    parts = []
    for group in groups.values():
        if len(group) == 1:
            parts.append(targets(group[0], scope))
            continue
        windows = union_all(*(select(*_window(a)) for a in group)).subquery()
        parts.append(_audience(
            select(windows.c.assignment_id, Person.id.label("person_id"), Person.unit_id.label("unit_id"),
                   Unit.path.label("unit_path"), windows.c.course_id, windows.c.window_start, windows.c.due_end)
            .select_from(Person).join(windows, true()), group[0], scope))
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("target")


def withdrawn() -> ColumnElement[bool]:
    """The completion has certificates and all of them are revoked: it no longer counts.

    Looked for from the few revoked certificates, not by joining every certificate to every completion.
    """
    # Table aliases, not ORM ``aliased()``: the same SQL, built in a tenth of the time (every learner page
    # builds this expression).
    revoked = Certificate.__table__.alias()
    other = Certificate.__table__.alias()
    kept = (select(other.c.id).where(other.c.completion_id == revoked.c.completion_id,
                                     other.c.status != StoredStatus.REVOKED)
            .correlate(revoked).exists())
    return (select(revoked.c.id).where(revoked.c.completion_id == Completion.id,
                                       revoked.c.status == StoredStatus.REVOKED, ~kept)
            .correlate(Completion).exists())


def last_completions(person_id: int | None = None) -> Select:
    """Each person's (or one person's) latest counting completion per course, with its score."""
    valid = (select(Completion.person_id, Completion.course_id, Completion.completed_at, Completion.score)
             .where(~withdrawn()))
    if person_id is not None:
        valid = valid.where(Completion.person_id == person_id)
    valid = valid.subquery()
    ranked = select(valid, func.row_number().over(
        partition_by=(valid.c.person_id, valid.c.course_id),
        order_by=valid.c.completed_at.desc()).label("rank")).subquery()
    return select(ranked.c.person_id, ranked.c.course_id, ranked.c.completed_at,
                  ranked.c.score).where(ranked.c.rank == 1)


def current_certificates(person_id: int | None = None) -> Select:
    """Each person's (or one person's) latest valid-until date of a non-revoked certificate, per course."""
    query = (select(Certificate.person_id, Certificate.course_id,
                    func.max(Certificate.valid_until).label("valid_until"))
             .where(Certificate.stored_status == StoredStatus.VALID)
             .group_by(Certificate.person_id, Certificate.course_id))
    return query.where(Certificate.person_id == person_id) if person_id is not None else query


def status_rows(assignments: list[Assignment], today: date,
                scope: ColumnElement[bool] | None = None, reference_day: date | None = None,
                person_id: int | None = None, certified: bool = True) -> Select | None:
    """One row per (assignment, targeted person): status, completion date, score, and whether the
    person holds a certificate still valid on ``reference_day`` (default: today).

    ``person_id`` limits the rows to one person; the completions and certificates are then read for
    that person only, not grouped over everyone (a learner's page stays fast at any size). With
    ``certified=False`` the certificates are not read and ``certified`` is always false (dashboards)."""
    if not assignments:
        return None
    if person_id is not None:
        scope = and_(scope, Person.id == person_id) if scope is not None else Person.id == person_id
    target = all_targets(assignments, scope)
    done = last_completions(person_id).subquery("done")
    certs = current_certificates(person_id).subquery("certs") if certified else None
    started = None
    if ACTIVITY_SOURCES:
        activity = union_all(*(source() for source in ACTIVITY_SOURCES)).subquery("activity")
        started = select(activity.c.person_id, activity.c.course_id, func.max(activity.c.at).label("at"))
        if person_id is not None:
            started = started.where(activity.c.person_id == person_id)
        started = started.group_by(activity.c.person_id, activity.c.course_id).subquery("started")
    due = {a.id: a.due_on for a in assignments}
    overdue_ids = [a_id for a_id, day in due.items() if day < today]
    counts = and_(done.c.completed_at.is_not(None), done.c.completed_at >= target.c.window_start)
    in_progress = (and_(started.c.at.is_not(None), started.c.at >= target.c.window_start)
                   if started is not None else literal(False))
    status = case(
        (counts, Status.PASSED.value),
        (target.c.assignment_id.in_(overdue_ids) if overdue_ids else literal(False), Status.OVERDUE.value),
        (done.c.completed_at.is_not(None), Status.EXPIRED.value),
        (in_progress, Status.IN_PROGRESS.value),
        else_=Status.NOT_STARTED.value,
    )
    query = (
        select(target.c.assignment_id, target.c.person_id, target.c.unit_id, target.c.unit_path,
               status.label("status"),
               case((counts, done.c.completed_at), else_=None).label("completed_at"),
               case((counts, done.c.score), else_=None).label("score"),
               case((and_(counts, done.c.completed_at < target.c.due_end), True), else_=False)
               .label("on_time"),
               (case((certs.c.valid_until >= (reference_day or today), True), else_=False) if certs is not None
                else literal(False)).label("certified"))
        .select_from(target)
        .outerjoin(done, and_(done.c.person_id == target.c.person_id,
                              done.c.course_id == target.c.course_id))
    )
    if certs is not None:
        query = query.outerjoin(certs, and_(certs.c.person_id == target.c.person_id,
                                            certs.c.course_id == target.c.course_id))
    if started is not None:
        query = query.outerjoin(started, and_(started.c.person_id == target.c.person_id,
                                              started.c.course_id == target.c.course_id))
    return query


def roomy_aggregates() -> None:
    """Let PostgreSQL hash and sort a report's few hundred thousand status rows in memory, uncompiled.

    The default work_mem (4 MB) makes a province-wide tally spill its sort to disk, and JIT compiling
    the query costs about 50 ms of a 500 ms budget and saves nothing on it. SET LOCAL lasts until the
    end of the current transaction (the request); SQLite has no such settings.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
        db.session.execute(text("SET LOCAL jit = off"))


def overdue_rows(assignments: list[Assignment], today: date, scope: ColumnElement[bool] | None = None) -> Select | None:
    """The rows of ``status_rows`` whose status is OVERDUE, found without working out every status.

    Overdue is "the due date has passed and no completion counts": a non-revoked completion on or after
    the window start, which is what makes the latest one count in ``status_rows``.
    """
    late = [a for a in assignments if a.due_on < today]
    if not late:
        return None
    target = all_targets(late, scope)
    counting = (select(Completion.id).where(Completion.person_id == target.c.person_id,
                                            Completion.course_id == target.c.course_id,
                                            Completion.completed_at >= target.c.window_start, ~withdrawn())
                .exists())
    return (select(target.c.assignment_id, target.c.person_id, target.c.unit_id, target.c.unit_path,
                   literal(Status.OVERDUE.value).label("status"), literal(None).label("completed_at"),
                   literal(None).label("score"))
            .where(~counting))


@dataclass
class Tally:
    total: int = 0
    passed: int = 0
    on_time: int = 0
    overdue: int = 0
    not_started: int = 0
    in_progress: int = 0
    expired: int = 0
    score_sum: float = 0.0
    scored: int = 0

    def add(self, status: str, count: int, on_time: int, score_sum: float | None, scored: int) -> None:
        self.total += count
        setattr(self, status, getattr(self, status) + count)
        self.on_time += on_time
        self.score_sum += score_sum or 0.0
        self.scored += scored

    @property
    def completion_rate(self) -> float | None:
        return self.passed / self.total if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.total if self.total else None

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.total if self.total else None

    @property
    def average_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

