"""Computed PAR tables, shared by every node through the cache and refreshed every night.

Computing every assessed unit's indicators takes about half a second per 20,000 staff with four
mandatory courses (measured on the CI machine), and the PAR page shows two periods. A table
depends on the data and on the date (certificates still valid today, assignments overdue since
today), so its cache key holds both: today's date and a fingerprint of the data, the newest audit
event among the changes that alter a table (every such change is audited: certificates issued,
revoked or re-issued, assignments created or closed, staff imports), the newest unit and course
version, and the newest and last changed person. Any such change makes a new key, and the next
page view computes and stores the table again; the nightly refresh computes the current and the
previous period just after the date changes. Verified points (điểm thẩm định) are not cached:
they are read and applied live. A change made outside the app (SQL by hand) shows after the
nightly refresh, or after ``flask par refresh``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from learning import cache
from learning.audit.models import AuditEvent
from learning.catalog.models import CourseVersion
from learning.core.dates import local_today
from learning.extensions import db
from learning.jobs import task
from learning.org.models import Person, Unit
from learning.par import scoring
from learning.par.models import RubricVersion

INPUT_EVENTS = ("certificate.issued", "certificate.revoked", "certificate.reissued", "assignment.created",
                "assignment.closed", "staff.imported")
TTL_SECONDS = 36 * 3600


def fingerprint() -> str:
    """Changes whenever data a PAR table is computed from changes (one cheap query)."""
    newest = [select(func.max(AuditEvent.id)).where(AuditEvent.action.in_(INPUT_EVENTS)).scalar_subquery(),
              *(select(func.max(column)).scalar_subquery()
                for column in (CourseVersion.id, Unit.id, Person.id, Person.updated_at))]
    return "-".join(str(value or 0) for value in db.session.execute(select(*newest)).one())


def _key(period: int, rubric_id: int, today: date) -> str:
    return f"par:{period}:{rubric_id}:{today.isoformat()}:{fingerprint()}"


def computed_scores(period: int, version: RubricVersion, today: date | None = None,
                    refresh: bool = False) -> list[scoring.UnitScore]:
    """``scoring.compute`` for the period, from the cache when the data and the date are unchanged."""
    today = today or local_today()
    key = _key(period, version.id, today)  # taken before computing: a change meanwhile makes a new key
    if not refresh:
        stored = cache.get(key)
        if stored is not None:
            return scoring.from_data(stored)
    scores = scoring.compute(period, version.rubric, today)
    cache.put(key, scoring.to_data(scores), TTL_SECONDS)
    return scores


@task("par.refresh")
def refresh(periods: list[int] | None = None) -> list[int]:
    """Compute and store the tables of this year and last year (frozen periods need nothing)."""
    version = scoring.active_rubric()
    if version is None:
        return []
    today = local_today()
    done = []
    for period in periods or [today.year, today.year - 1]:
        if scoring.snapshot_of(period) is None:
            computed_scores(period, version, today, refresh=True)
            done.append(period)
    return done
