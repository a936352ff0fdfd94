"""Certificate searches for HR, learners and the verify page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, or_, select, true

from learning.auth.models import Account
from learning.auth.permissions import Action, unit_scope_clause
from learning.catalog.models import Course
from learning.certification.models import STATUS_LABELS, Certificate, Status, StoredStatus
from learning.core.dates import local_today
from learning.core.text import clean
from learning.extensions import db
from learning.org.models import Unit

STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in Status]  # lazy labels: translated when shown


@dataclass(frozen=True)
class CertificateFilter:
    unit_code: str = ""
    course_code: str = ""
    year: int | None = None
    status: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: dict) -> CertificateFilter:
        year = str(params.get("nam") or params.get("year") or "")
        status = params.get("trang-thai") or params.get("status") or ""
        return cls(
            unit_code=clean(params.get("don-vi") or params.get("unit_code") or ""),
            course_code=clean(params.get("khoa-hoc") or params.get("course_code") or ""),
            year=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
            status=status if status in Status._value2member_map_ else "",
            q=clean(params.get("q") or ""),
        )

    def as_params(self) -> dict:
        return {"unit_code": self.unit_code, "course_code": self.course_code, "year": self.year,
                "status": self.status, "q": self.q}


def status_clause(status: str, today: date, expiring_days: int) -> ColumnElement[bool]:
    soon = today + timedelta(days=expiring_days)
    valid = Certificate.stored_status == StoredStatus.VALID
    return {
        Status.VALID: and_(valid, Certificate.valid_until > soon),
        Status.EXPIRING: and_(valid, Certificate.valid_until >= today, Certificate.valid_until <= soon),
        Status.EXPIRED: and_(valid, Certificate.valid_until < today),
        Status.REVOKED: Certificate.stored_status == StoredStatus.REVOKED,
        Status.SUPERSEDED: Certificate.stored_status == StoredStatus.SUPERSEDED,
    }[Status(status)]


def search(filters: CertificateFilter, scope: ColumnElement[bool], expiring_days: int = 30,
           today: date | None = None) -> Select:
    """Certificates matching ``filters`` whose unit at issue time is in ``scope``."""
    today = today or local_today()
    query = (select(Certificate).join(Unit, Unit.id == Certificate.unit_id)
             .join(Course, Course.id == Certificate.course_id).where(scope))
    if filters.unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == filters.unit_code))
        query = query.where(Unit.path.startswith(unit.path, autoescape=True) if unit else Unit.id.is_(None))
    if filters.course_code:
        query = query.where(Course.code == filters.course_code)
    if filters.year:
        start = datetime.combine(date(filters.year, 1, 1), time()) - timedelta(hours=7)
        end = datetime.combine(date(filters.year + 1, 1, 1), time()) - timedelta(hours=7)
        query = query.where(Certificate.issued_at >= start, Certificate.issued_at < end)
    if filters.status:
        query = query.where(status_clause(filters.status, today, expiring_days))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        query = query.where(or_(Certificate.person_name.ilike(like), Certificate.serial.ilike(like)))
    return query.order_by(Certificate.issued_at.desc(), Certificate.id.desc())


def filtered_ids(filters: CertificateFilter, scope: ColumnElement[bool] | None = None) -> list[int]:
    query = search(filters, scope if scope is not None else true()).with_only_columns(Certificate.id)
    return list(db.session.scalars(query))


def scope_for(account: Account) -> ColumnElement[bool]:
    return unit_scope_clause(account, Action.MANAGE_CERTIFICATES)


def of_person(person_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.person_id == person_id)
        .order_by(Certificate.issued_at.desc())
    ))
