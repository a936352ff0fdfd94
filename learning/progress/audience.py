"""Who an assignment applies to, and in which unit each person counts: set-based, one subquery for all
the assignments of a page.

A person counts for an assignment when they belonged to its subtree at some time between its start and its
due date (``org.history.membership_in_period``: cut to their joining and leaving dates), in the unit of
their latest stretch in that period: a person who moved counts in the old unit for an earlier period and
in the new one after. People without any membership row yet (added in the current transaction) count in
their current unit.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, or_, select, true, union_all

from learning.assignments.models import Assignment
from learning.extensions import db
from learning.org.history import membership_in_period
from learning.org.models import Person, Unit, UnitMembership


def window_start(assignment: Assignment) -> date:
    """The oldest completion that still counts for this assignment."""
    if assignment.recert_months:
        return assignment.due_on - relativedelta(months=assignment.recert_months)
    return assignment.starts_on


def start_of(day: date) -> datetime:
    # Completion times are stored in UTC; the province's day starts 7 hours earlier in UTC.
    return datetime.combine(day, time()) - relativedelta(hours=7)


def stretches(start: date, end: date):
    """(person_id, unit_id): the unit each person counts in for ``start``..``end``, for the people present
    at some time in it — their latest stretch of membership overlapping the period. A stretch with a start
    date beats one without; among equal starts the higher unit id wins (PostgreSQL) or either (SQLite).

    PostgreSQL gets "latest" as an anti-join (no later stretch of the same person): it estimates a window's
    ``row_number() = 1`` filter at a fraction of a percent of the rows, which at 60,000 people sent the late
    list into 300,000 nested index probes, while the anti-join is estimated near the truth and hashed
    (late list 1.8 → 0.75 s under load). SQLite runs the window faster than that anti-join (1.2 vs 4.9 s at
    12,000 people), so it keeps the window."""
    if db.session.get_bind().dialect.name == "postgresql":
        mine = membership_in_period(start, end).subquery("stretch_mine")
        other = membership_in_period(start, end).subquery("stretch_other")
        same_start = or_(other.c.valid_from == mine.c.valid_from,
                         and_(other.c.valid_from.is_(None), mine.c.valid_from.is_(None)))
        later = exists().where(other.c.person_id == mine.c.person_id, or_(
            and_(other.c.valid_from.is_not(None), mine.c.valid_from.is_(None)),
            other.c.valid_from > mine.c.valid_from,
            and_(same_start, other.c.unit_id > mine.c.unit_id)))
        return union_all(select(mine.c.person_id, mine.c.unit_id).where(~later), _without_history(start, end))
    both = union_all(membership_in_period(start, end),
                     _without_history(start, end, Person.joined_on.label("valid_from"),
                                      Person.left_on.label("valid_to"))).subquery("stretch_all")
    rank = func.row_number().over(partition_by=both.c.person_id,
                                  order_by=(case((both.c.valid_from.is_(None), 0), else_=1).desc(),
                                            both.c.valid_from.desc()))
    ranked = select(both.c.person_id, both.c.unit_id, rank.label("rank")).subquery("stretch_ranked")
    return select(ranked.c.person_id, ranked.c.unit_id).where(ranked.c.rank == 1)


def _without_history(start: date, end: date, *columns) -> Select:
    """The people present in the period with no membership row yet (added in the current transaction)."""
    return (select(Person.id.label("person_id"), Person.unit_id, *columns)
            .where(~exists().where(UnitMembership.person_id == Person.id),
                   or_(Person.joined_on.is_(None), Person.joined_on <= end),
                   or_(Person.left_on.is_(None), Person.left_on >= start)))


def _window(assignment: Assignment) -> list:
    return [literal(assignment.id).label("assignment_id"), literal(assignment.course_id).label("course_id"),
            literal(start_of(window_start(assignment))).label("window_start"),
            literal(assignment.starts_on).label("starts_on"), literal(assignment.due_on).label("due_on"),
            literal(assignment.joiner_days or 0).label("joiner_days")]


def _audience(columns: list, source, assignment: Assignment, scope: ColumnElement[bool] | None) -> Select:
    """People of the assignment's subtree and filters in its period, within ``scope`` (a clause on Unit)."""
    stretch = stretches(assignment.starts_on, assignment.due_on).subquery("stretch")
    query = (select(*columns, Person.id.label("person_id"), Unit.id.label("unit_id"),
                    Unit.path.label("unit_path"), Person.joined_on, Person.left_on)
             .select_from(stretch).join(Person, Person.id == stretch.c.person_id)
             .join(Unit, Unit.id == stretch.c.unit_id))
    if source is not None:
        query = query.join(source, true())
    query = query.where(
        Unit.path.startswith(assignment.unit.path, autoescape=True),
        # A person who left is counted by their leaving date (see ``engine``); staff of a unit dissolved
        # after the assignment began are counted as they were.
        or_(Person.active.is_(True), Person.left_on.is_not(None),
            and_(Unit.valid_to.is_not(None), Unit.valid_to >= assignment.starts_on)))
    if assignment.categories:
        query = query.where(Person.category.in_(assignment.categories))
    if assignment.positions:
        query = query.where(Person.position.in_(assignment.positions))
    if scope is not None:
        query = query.where(scope)
    return query


def targets(assignment: Assignment, scope: ColumnElement[bool] | None = None) -> Select:
    """The people the assignment applies to, within ``scope`` (a clause on Unit)."""
    return _audience(_window(assignment), None, assignment, scope)


def all_targets(assignments: list[Assignment], scope: ColumnElement[bool] | None = None):
    """``targets`` of every assignment, as one subquery.

    Assignments with the same audience (subtree, filters, period) — a province's courses of a year,
    typically — read the people once, joined to a small table of their ids and dates, instead of once
    per assignment.
    """
    groups: dict[tuple, list[Assignment]] = {}
    for a in assignments:
        key = (a.unit_id, tuple(sorted(a.categories or [])), tuple(sorted(a.positions or [])), a.starts_on,
               a.due_on)
        groups.setdefault(key, []).append(a)
    parts = []
    for group in groups.values():
        if len(group) == 1:
            parts.append(targets(group[0], scope))
            continue
        windows = union_all(*(select(*_window(a)) for a in group)).subquery()
        columns = [windows.c.assignment_id, windows.c.course_id, windows.c.window_start, windows.c.starts_on,
                   windows.c.due_on, windows.c.joiner_days]
        parts.append(_audience(columns, windows, group[0], scope))
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("target")


def roomy_aggregates() -> None:
    """Let PostgreSQL hash and sort a report's few hundred thousand status rows in memory, uncompiled.

    The default work_mem (4 MB) makes a province-wide tally spill its sort to disk, and JIT compiling
    the query costs about 50 ms of a 500 ms budget and saves nothing on it. SET LOCAL lasts until the
    end of the current transaction (the request); SQLite has no such settings.
    """
    from sqlalchemy import text

    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
        db.session.execute(text("SET LOCAL jit = off"))
