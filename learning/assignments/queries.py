"""Read models of the compliance dashboards: a bounded number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import aliased

from learning.assignments.models import Assignment
from learning.assignments.status import STATUS_ORDER, Status, Tally, overdue_rows, roomy_aggregates, status_rows
from learning.catalog.models import Course
from learning.certification.models import Certificate, StoredStatus
from learning.core.pagination import Page
from learning.extensions import db
from learning.org.models import Person, Unit
from learning.org.queries import name_order


@dataclass(frozen=True)
class Filters:
    period: int
    course_id: int | None = None
    category: str = ""


@dataclass
class UnitRow:
    unit: Unit
    tally: Tally = field(default_factory=Tally)
    direct: bool = False  # the people of ``unit`` itself, not of a unit below it

    @property
    def label(self) -> str:
        return gettext("Thuộc trực tiếp %(unit)s", unit=self.unit.name) if self.direct else self.unit.name


def assignments_for(filters: Filters, scope_units: list[Unit] | None = None) -> list[Assignment]:
    """Active assignments of the period (and course) that can touch the viewer's scope."""
    query = select(Assignment).where(Assignment.active.is_(True), Assignment.period == filters.period)
    if filters.course_id:
        query = query.where(Assignment.course_id == filters.course_id)
    assignments = list(db.session.scalars(query.order_by(Assignment.id)))
    if scope_units is None:
        return assignments
    return [a for a in assignments
            if any(a.unit.path.startswith(s.path) or s.path.startswith(a.unit.path) for s in scope_units)]


def _rows(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool]):
    rows = status_rows(assignments, today, scope, certified=False)  # dashboards do not show certificates
    if rows is None:
        return None
    rows = rows.subquery("rows")
    if filters.category:
        person = aliased(Person)
        return (select(rows).join(person, person.id == rows.c.person_id)
                .where(person.category == filters.category).subquery("rows_f"))
    return rows


def _grouped(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool]) -> list:
    """Tallies per (person's unit, assignment, status): the one heavy query of a dashboard."""
    rows = _rows(assignments, filters, today, scope)
    if rows is None:
        return []
    roomy_aggregates()
    return db.session.execute(
        select(rows.c.unit_id, rows.c.assignment_id, rows.c.status, func.count(),
               func.sum(case((rows.c.on_time, 1), else_=0)), func.sum(rows.c.score), func.count(rows.c.score))
        .group_by(rows.c.unit_id, rows.c.assignment_id, rows.c.status)).all()


def _child_tallies(node: Unit, grouped: list) -> tuple[Tally, list[UnitRow]]:
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == node.id)
                                       .order_by(Unit.name.collate("vi"))))
    total = Tally()
    by_id = {c.id: UnitRow(c) for c in children}
    direct = UnitRow(node, direct=True)
    if grouped:
        # The database groups by each person's own unit; Python rolls the tallies up the tree.
        paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
        depth = node.depth
        for unit_id, _assignment_id, status, count, on_time, score_sum, scored in grouped:
            ids = Unit.ids_on_path(paths[unit_id])
            if len(ids) <= depth or ids[depth] != node.id:
                continue  # a person outside the node the viewer is looking at
            total.add(status, count, on_time or 0, score_sum, scored)
            row = by_id[ids[depth + 1]] if len(ids) > depth + 1 else direct
            row.tally.add(status, count, on_time or 0, score_sum, scored)
    shown = [row for row in by_id.values() if row.tally.total or not row.unit.valid_to]
    # People placed in the node itself get a row of their own, so that the rows add up to the total.
    return total, shown + ([direct] if direct.tally.total else [])


def _course_tallies(assignments: list[Assignment], grouped: list) -> list[tuple[Course, Tally]]:
    course_of = {a.id: a.course for a in assignments}
    tallies: dict[int, Tally] = {}
    for _unit_id, assignment_id, status, count, on_time, score_sum, scored in grouped:
        course = course_of[assignment_id]
        tallies.setdefault(course.id, Tally()).add(status, count, on_time or 0, score_sum, scored)
    courses = {c.id: c for c in course_of.values()}
    return [(courses[cid], tally) for cid, tally in sorted(tallies.items(), key=lambda kv: courses[kv[0]].position)]


def by_child_unit(node: Unit, assignments: list[Assignment], filters: Filters, today: date,
                  scope: ColumnElement[bool]) -> tuple[Tally, list[UnitRow]]:
    """The node's totals and one row per child unit (people counted in the child containing them), plus
    a ``direct`` row for the people of the node itself when there are any."""
    return _child_tallies(node, _grouped(assignments, filters, today, scope))


def by_course(assignments: list[Assignment], filters: Filters, today: date,
              scope: ColumnElement[bool]) -> list[tuple[Course, Tally]]:
    """Totals per course over the viewer's whole scope."""
    return _course_tallies(assignments, _grouped(assignments, filters, today, scope))


def overview(node: Unit, assignments: list[Assignment], filters: Filters, today: date,
             scope: ColumnElement[bool]) -> tuple[Tally, list[UnitRow], list[tuple[Course, Tally]]]:
    """``by_child_unit`` and ``by_course`` from one grouped query (a dashboard computes statuses once)."""
    grouped = _grouped(assignments, filters, today, scope)
    total, rows = _child_tallies(node, grouped)
    return total, rows, _course_tallies(assignments, grouped)


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    assignment: Assignment
    status: Status
    completed_at: object
    score: float | None


def people(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool],
           unit: Unit | None = None, statuses: list[str] | None = None, page: int = 1,
           per_page: int = 50, total: int | None = None) -> Page:
    """People with their status, late ones first, then by tên (Vietnamese collation).

    ``total``, when the caller already knows how many rows match (a dashboard's tally), saves the count.
    """
    if statuses == [Status.OVERDUE.value]:  # the late list: no need to work out every other status
        rows = overdue_rows(assignments, today, scope)
        rows = rows.subquery("rows") if rows is not None else None
    else:
        rows = _rows(assignments, filters, today, scope)
    if rows is None:
        return Page([], 1, per_page, 0)
    roomy_aggregates()
    query = select(rows).join(Person, Person.id == rows.c.person_id)
    if filters.category:
        query = query.where(Person.category == filters.category)
    if unit is not None:
        query = query.where(rows.c.unit_path.startswith(unit.path, autoescape=True))
    if statuses:
        query = query.where(rows.c.status.in_(statuses))
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rank = case(*((rows.c.status == s.value, i) for i, s in enumerate(STATUS_ORDER)), else_=9)
    page = max(1, min(page, max(1, -(-total // per_page))))
    found = db.session.execute(query.add_columns(Person).order_by(rank, *name_order(), rows.c.assignment_id)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    by_id = {a.id: a for a in assignments}
    items = [PersonStatus(row.Person, by_id[row.assignment_id], Status(row.status), row.completed_at, row.score)
             for row in found]
    return Page(items, page, per_page, total)


def expiring_certificates(scope: ColumnElement[bool], today: date, days: int) -> int:
    return db.session.scalar(
        select(func.count(Certificate.id)).join(Unit, Unit.id == Certificate.unit_id)
        .join(Person, Person.id == Certificate.person_id)
        .where(scope, Person.active.is_(True), Certificate.stored_status == StoredStatus.VALID,
               Certificate.valid_until >= today, Certificate.valid_until <= today + timedelta(days=days))
    ) or 0


def periods() -> list[int]:
    years = set(db.session.scalars(select(Assignment.period).distinct()))
    return sorted(years, reverse=True)


__all__ = ["Filters", "UnitRow", "assignments_for", "by_child_unit", "by_course", "overview", "people",
           "expiring_certificates", "periods"]
