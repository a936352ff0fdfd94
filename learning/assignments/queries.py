"""Read models of the compliance dashboards: a bounded number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from learning.assignments.models import Assignment
from learning.catalog.models import Course
from learning.certification.models import Certificate, StoredStatus
from learning.core.pagination import Page
from learning.extensions import db
from learning.org.models import Person, Unit
from learning.org.queries import name_order
from learning.progress.audience import roomy_aggregates
from learning.progress.engine import overdue_rows, status_rows
from learning.progress.labels import STATUS_ORDER, Status, Tally


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


PEOPLE_ROW = "*people"


@dataclass
class PeopleCounts:
    """Distinct people (not enrolments): each person counted once however many courses they must take."""

    required: int = 0  # at least one enrolment that is not exempt
    overdue: int = 0  # at least one enrolment overdue
    exempt: int = 0  # at least one enrolment exempt


def _grouped(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool]) -> list:
    """Tallies per (person's unit, assignment, status), and one extra row (status ``PEOPLE_ROW``) of distinct
    people counts, from one statement: the one heavy query of a dashboard."""
    rows = _rows(assignments, filters, today, scope)
    if rows is None:
        return []
    roomy_aggregates()
    rows = select(rows).cte("status_rows")

    def people_with(condition):
        return func.count(func.distinct(case((condition, rows.c.person_id), else_=None)))

    grouped = (select(rows.c.unit_id, rows.c.assignment_id, rows.c.status, func.count().label("n"),
                      func.sum(case((rows.c.on_time, 1), else_=0)).label("on_time"),
                      func.sum(rows.c.score).label("score_sum"), func.count(rows.c.score).label("scored"))
               .group_by(rows.c.unit_id, rows.c.assignment_id, rows.c.status))
    people = select(literal(None).label("unit_id"), literal(None).label("assignment_id"),
                    literal(PEOPLE_ROW).label("status"), people_with(rows.c.status != Status.EXEMPT.value),
                    people_with(rows.c.status == Status.OVERDUE.value), literal(None).label("score_sum"),
                    people_with(rows.c.status == Status.EXEMPT.value))
    return db.session.execute(union_all(grouped, people)).all()


def _people_counts(grouped: list) -> PeopleCounts:
    for _unit_id, _assignment_id, status, required, overdue, _score_sum, exempt in grouped:
        if status == PEOPLE_ROW:
            return PeopleCounts(required or 0, overdue or 0, exempt or 0)
    return PeopleCounts()


def _tally_rows(grouped: list) -> list:
    return [row for row in grouped if row[2] != PEOPLE_ROW]


def _child_tallies(node: Unit, grouped: list) -> tuple[Tally, list[UnitRow]]:
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == node.id)
                                       .order_by(Unit.name.collate("vi"))))
    total = Tally()
    by_id = {c.id: UnitRow(c) for c in children}
    direct = UnitRow(node, direct=True)
    grouped = _tally_rows(grouped)
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
    for _unit_id, assignment_id, status, count, on_time, score_sum, scored in _tally_rows(grouped):
        course = course_of[assignment_id]
        tallies.setdefault(course.id, Tally()).add(status, count, on_time or 0, score_sum, scored)
    courses = {c.id: c for c in course_of.values()}
    return [(courses[cid], tally) for cid, tally in sorted(tallies.items(), key=lambda kv: courses[kv[0]].position)]


def subtree(node: Unit, scope: ColumnElement[bool]) -> ColumnElement[bool]:
    """The viewer's scope cut to the node's subtree: every section of a unit's page counts only its people."""
    return and_(scope, Unit.path.startswith(node.path, autoescape=True))


def by_child_unit(node: Unit, assignments: list[Assignment], filters: Filters, today: date,
                  scope: ColumnElement[bool]) -> tuple[Tally, list[UnitRow]]:
    """The node's totals and one row per child unit (people counted in the child containing them), plus
    a ``direct`` row for the people of the node itself when there are any."""
    return _child_tallies(node, _grouped(assignments, filters, today, subtree(node, scope)))


def by_course(assignments: list[Assignment], filters: Filters, today: date,
              scope: ColumnElement[bool]) -> list[tuple[Course, Tally]]:
    """Totals per course over ``scope`` (pass ``subtree(node, scope)`` for a unit's page)."""
    return _course_tallies(assignments, _grouped(assignments, filters, today, scope))


@dataclass
class Summary:
    """Every section of a unit's dashboard, its PDF report and ``flask compliance summary``: all of them the
    unit's subtree, from one status query (plus one for the certificates)."""

    node: Unit
    total: Tally
    rows: list[UnitRow]
    by_course: list[tuple[Course, Tally]]
    people: PeopleCounts
    expiring: ExpiringCounts


def summary(node: Unit, assignments: list[Assignment], filters: Filters, today: date,
            scope: ColumnElement[bool], expiring_days: int = 30) -> Summary:
    clause = subtree(node, scope)
    grouped = _grouped(assignments, filters, today, clause)
    total, rows = _child_tallies(node, grouped)
    courses = [a.course_id for a in assignments]
    return Summary(node, total, rows, _course_tallies(assignments, grouped), _people_counts(grouped),
                   expiring_certificates(clause, today, expiring_days, courses if filters.course_id else None))


def overview(node: Unit, assignments: list[Assignment], filters: Filters, today: date,
             scope: ColumnElement[bool]) -> tuple[Tally, list[UnitRow], list[tuple[Course, Tally]]]:
    """``by_child_unit`` and ``by_course`` of the node's subtree from one grouped query."""
    found = summary(node, assignments, filters, today, scope)
    return found.total, found.rows, found.by_course


@dataclass(frozen=True)
class PersonStatus:
    person: Person
    assignment: Assignment
    status: Status
    completed_at: object
    score: float | None
    due_on: date | None = None  # the person's own due date

    @property
    def own_due(self) -> date:
        return self.due_on or self.assignment.due_on


def _people_query(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool],
                  unit: Unit | None, statuses: list[str] | None):
    if statuses == [Status.OVERDUE.value]:  # the late list: no need to work out every other status
        rows = overdue_rows(assignments, today, scope)
        rows = rows.subquery("rows") if rows is not None else None
    else:
        rows = _rows(assignments, filters, today, scope)
    if rows is None:
        return None, None
    query = select(rows).join(Person, Person.id == rows.c.person_id)
    if filters.category:
        query = query.where(Person.category == filters.category)
    if unit is not None:
        query = query.where(rows.c.unit_path.startswith(unit.path, autoescape=True))
    if statuses:
        query = query.where(rows.c.status.in_(statuses))
    return rows, query


def people(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool],
           unit: Unit | None = None, statuses: list[str] | None = None, page: int = 1,
           per_page: int = 50, total: int | None = None) -> Page:
    """People with their status (one item per enrolment), late ones first, then by tên (Vietnamese
    collation).

    ``total``, when the caller already knows how many rows match (a dashboard's tally), saves the count.
    """
    rows, query = _people_query(assignments, filters, today, scope, unit, statuses)
    if rows is None:
        return Page([], 1, per_page, 0)
    roomy_aggregates()
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rank = case(*((rows.c.status == s.value, i) for i, s in enumerate(STATUS_ORDER)), else_=9)
    page = max(1, min(page, max(1, -(-total // per_page))))
    # Each person's unit comes with its parent: the lists name a unit with it (``Unit.qualified_name``).
    found = db.session.execute(query.add_columns(Person).options(joinedload(Person.unit).joinedload(Unit.parent))
                               .order_by(rank, *name_order(), rows.c.assignment_id)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    by_id = {a.id: a for a in assignments}
    items = [PersonStatus(row.Person, by_id[row.assignment_id], Status(row.status), row.completed_at, row.score,
                          row.due_on)
             for row in found]
    return Page(items, page, per_page, total)


def people_count(assignments: list[Assignment], filters: Filters, today: date, scope: ColumnElement[bool],
                 unit: Unit | None = None, statuses: list[str] | None = None) -> int:
    """How many distinct people the ``people`` list holds (it has one item per enrolment)."""
    rows, query = _people_query(assignments, filters, today, scope, unit, statuses)
    if rows is None:
        return 0
    found = query.subquery()
    return db.session.scalar(select(func.count(func.distinct(found.c.person_id)))) or 0


@dataclass
class ExpiringCounts:
    """Certificates ending within the window: enrolments ("lượt", person × course) and distinct people."""

    enrolments: int = 0
    people: int = 0
    by_course: dict[int, int] = field(default_factory=dict)  # course id → people (= enrolments of that course)


def expiring_certificates(scope: ColumnElement[bool], today: date, days: int,
                          course_ids: list[int] | None = None) -> ExpiringCounts:
    """Valid certificates ending within ``days`` of people now in ``scope`` (a clause on Unit, their current
    unit) who have not left."""
    query = (select(Certificate.course_id, Certificate.person_id).join(Person, Person.id == Certificate.person_id)
             .join(Unit, Unit.id == Person.unit_id)
             .where(scope, Person.active.is_(True), or_(Person.left_on.is_(None), Person.left_on > today),
                    Certificate.stored_status == StoredStatus.VALID,
                    Certificate.valid_until >= today, Certificate.valid_until <= today + timedelta(days=days))
             .distinct())
    if course_ids is not None:
        query = query.where(Certificate.course_id.in_(course_ids))
    found = db.session.execute(query).all()
    by_course: dict[int, int] = {}
    for course_id, _person_id in found:
        by_course[course_id] = by_course.get(course_id, 0) + 1
    return ExpiringCounts(len(found), len({person_id for _c, person_id in found}), by_course)


def periods() -> list[int]:
    years = set(db.session.scalars(select(Assignment.period).distinct()))
    return sorted(years, reverse=True)


__all__ = ["ExpiringCounts", "Filters", "PeopleCounts", "Summary", "UnitRow", "assignments_for", "by_child_unit",
           "by_course", "expiring_certificates", "overview", "people", "periods", "subtree", "summary"]
