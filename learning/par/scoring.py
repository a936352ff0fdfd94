"""Indicator values and points per unit for a period, from assignments, completions and certificates.

The assessed units are the province's first-level units (sở/ngành, xã/phường, đơn vị sự nghiệp,
and the districts dissolved on 01/7/2025) that existed during the period; each unit's people are
its whole subtree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import case, func, or_, select, true

from learning.assignments.models import Assignment
from learning.extensions import db
from learning.org.models import UNIT_KIND_LABELS, Unit
from learning.org.units import names_on
from learning.par.models import RubricVersion, Snapshot, Verification
from learning.par.rubric import Rubric
from learning.progress.audience import roomy_aggregates
from learning.progress.engine import status_rows
from learning.progress.labels import Status


@dataclass
class Counts:
    assigned: int = 0
    passed: int = 0
    on_time: int = 0
    overdue: int = 0
    certified: int = 0
    score_sum: float = 0.0
    scored: int = 0
    minutes: int = 0
    people: int = 0
    exempt: int = 0  # enrolments with an approved exemption: out of ``assigned`` and every rate

    def indicators(self) -> dict[str, float | None]:
        rate = (lambda n: n / self.assigned) if self.assigned else (lambda n: None)
        return {
            "on_time_rate": rate(self.on_time),
            "completion_rate": rate(self.passed),
            "certified_rate": rate(self.certified),
            "average_score": self.score_sum / self.scored if self.scored else None,
            "overdue_rate": rate(self.overdue),
            "training_hours": (self.minutes / 60 / self.people) if self.people else None,
        }


@dataclass
class UnitScore:
    unit_id: int
    code: str
    name: str
    kind: str
    kind_label: str
    historical: bool
    counts: Counts
    indicators: dict[str, float | None]
    points: dict[str, float]
    verified: dict[str, float | None] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    rank: int = 0

    @property
    def total(self) -> float:
        return round(sum(self.points.values()), 2)

    @property
    def verified_total(self) -> float | None:
        if not self.verified or all(v is None for v in self.verified.values()):
            return None
        return round(sum(v if v is not None else self.points[k] for k, v in self.verified.items()), 2)


def period_bounds(period: int) -> tuple[date, date]:
    return date(period, 1, 1), date(period, 12, 31)


def assessed_units(period: int) -> list[Unit]:
    start, end = period_bounds(period)
    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    if root is None:
        return []
    return list(db.session.scalars(
        select(Unit).where(Unit.parent_id == root.id,
                           or_(Unit.valid_from.is_(None), Unit.valid_from <= end),
                           or_(Unit.valid_to.is_(None), Unit.valid_to >= start))
        .order_by(Unit.kind, Unit.name.collate("vi"))))


def compute(period: int, rubric: Rubric, today: date, scope=None) -> list[UnitScore]:
    """Every assessed unit's indicators and points (one grouped query)."""
    units = assessed_units(period)
    assignments = list(db.session.scalars(select(Assignment).where(
        Assignment.active.is_(True), Assignment.period == period)))
    counts = {u.id: Counts() for u in units}
    if assignments and units:
        reference = min(today, period_bounds(period)[1])
        scope = scope if scope is not None else true()
        rows = status_rows(assignments, today, scope, reference).subquery()
        roomy_aggregates()
        # The database groups by each person's own unit; Python rolls units up to the assessed ones.
        owner = _assessed_owner(units)
        minutes = {a.id: (a.course.current_version.estimated_minutes if a.course.current_version else 0)
                   for a in assignments}
        grouped = (select(rows.c.unit_id, rows.c.assignment_id, rows.c.status, func.count(),
                          func.sum(case((rows.c.on_time, 1), else_=0)),
                          func.sum(case((rows.c.certified, 1), else_=0)),
                          func.sum(rows.c.score), func.count(rows.c.score))
                   .group_by(rows.c.unit_id, rows.c.assignment_id, rows.c.status))
        for unit_id, assignment_id, status, n, on_time, certified, score_sum, scored in db.session.execute(grouped):
            if unit_id not in owner:
                continue
            c = counts[owner[unit_id]]
            if status == Status.EXEMPT.value:
                c.exempt += n
                continue
            c.assigned += n
            c.on_time += on_time or 0
            c.certified += certified or 0
            c.score_sum += score_sum or 0.0
            c.scored += scored
            if status == Status.PASSED.value:
                c.passed += n
                c.minutes += n * minutes[assignment_id]
            if status == Status.OVERDUE.value:
                c.overdue += n
        # Headcount: the people counted in at least one enrolment; a person exempt from every course of the
        # period leaves the denominator of the hours per person as they leave every rate.
        people = (select(rows.c.unit_id, func.count(func.distinct(rows.c.person_id)))
                  .where(rows.c.status != Status.EXEMPT.value).group_by(rows.c.unit_id))
        for unit_id, n in db.session.execute(people):
            if unit_id in owner:  # one unit per person per assignment window (a period's courses share it)
                counts[owner[unit_id]].people += n
    # A past period names each unit as it was named then (a unit renamed since keeps its former name here).
    names = names_on([u.id for u in units], min(today, period_bounds(period)[1]))
    scores = []
    for unit in units:
        indicators = counts[unit.id].indicators()
        points = {c.code: c.score(indicators[c.indicator]) for c in rubric.criteria}
        scores.append(UnitScore(unit.id, unit.code, names[unit.id], unit.kind, UNIT_KIND_LABELS[unit.kind],
                                unit.valid_to is not None, counts[unit.id], indicators, points))
    _rank(scores)
    return scores


def _assessed_owner(units: list[Unit]) -> dict[int, int]:
    """Every unit id → the assessed unit whose subtree holds it."""
    assessed = {u.id for u in units}
    owner = {}
    for unit_id, path in db.session.execute(select(Unit.id, Unit.path)):
        for ancestor in Unit.ids_on_path(path):
            if ancestor in assessed:
                owner[unit_id] = ancestor
                break
    return owner


def _rank(scores: list[UnitScore]) -> None:
    """Rank within units of the same kind, by verified total when present, else computed."""
    by_kind: dict[str, list[UnitScore]] = defaultdict(list)
    for score in scores:
        by_kind[score.kind].append(score)
    for group in by_kind.values():
        ordered = sorted(group, key=lambda s: -(s.verified_total if s.verified_total is not None else s.total))
        for i, score in enumerate(ordered, start=1):
            score.rank = i


def with_verifications(scores: list[UnitScore], period: int, rubric_id: int) -> list[UnitScore]:
    found = db.session.scalars(select(Verification).where(Verification.period == period,
                                                          Verification.rubric_id == rubric_id))
    by_unit: dict[int, list[Verification]] = defaultdict(list)
    for v in found:
        by_unit[v.unit_id].append(v)
    for score in scores:
        score.verified = {code: None for code in score.points}
        for v in by_unit.get(score.unit_id, []):
            if v.criterion in score.verified:
                score.verified[v.criterion] = v.points
                score.notes[v.criterion] = v.note
    _rank(scores)
    return scores


def active_rubric() -> RubricVersion | None:
    return db.session.scalar(select(RubricVersion).where(RubricVersion.active.is_(True))
                             .order_by(RubricVersion.id.desc()))


def snapshot_of(period: int) -> Snapshot | None:
    """The snapshot in force for the period (an unfrozen one stays stored and viewable, not in force)."""
    return db.session.scalar(select(Snapshot).where(Snapshot.period == period, Snapshot.unfrozen_at.is_(None))
                             .order_by(Snapshot.id.desc()))


def to_data(scores: list[UnitScore]) -> list[dict]:
    return [asdict(s) | {"total": s.total, "verified_total": s.verified_total} for s in scores]


def from_data(rows: list[dict]) -> list[UnitScore]:
    result = []
    for row in rows:
        row = dict(row)
        row.pop("total", None)
        row.pop("verified_total", None)
        row["counts"] = Counts(**row["counts"])
        result.append(UnitScore(**row))
    return result
