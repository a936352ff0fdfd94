"""The figures of ``flask compliance summary``: the dashboard's ``queries.summary`` of a unit's subtree, as
plain data (the same code computes both, so the command and the page cannot disagree)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, true

from learning.assignments import queries
from learning.catalog.models import Course
from learning.extensions import db
from learning.org.models import Unit
from learning.progress.labels import Tally

EXPIRING_DAYS = 30


def _figures(tally: Tally) -> dict[str, int]:
    return {"required": tally.total, "passed": tally.passed, "in_progress": tally.in_progress,
            "not_started": tally.not_started, "overdue": tally.overdue, "expired": tally.expired,
            "exempt": tally.exempt}


def compliance_summary(node: Unit, period: int, today: date, course: Course | None = None) -> dict:
    """Per course and in total, for ``node``'s subtree: enrolments required (exempt ones left out), passed,
    in progress, not started, overdue, certificate expired, exempt, certificates expiring within 30 days;
    the total also counts distinct people."""
    filters = queries.Filters(period=period, course_id=course.id if course else None)
    assignments = queries.assignments_for(filters, [node])
    found = queries.summary(node, assignments, filters, today, true(), EXPIRING_DAYS)
    courses = [{"code": c.code, "title": c.title, **_figures(t),
                "certificates_expiring_30_days": found.expiring.by_course.get(c.id, 0)}
               for c, t in found.by_course]
    total = {**_figures(found.total), "certificates_expiring_30_days": found.expiring.enrolments,
             "people_required": found.people.required, "people_overdue": found.people.overdue,
             "people_exempt": found.people.exempt, "people_with_certificates_expiring": found.expiring.people}
    return {"unit": {"code": node.code, "name": node.name}, "period": period, "as_of": today.isoformat(),
            "counts": "enrolments (person × course) unless named people_", "courses": courses, "total": total}


def province() -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
