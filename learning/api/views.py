"""``/api/v1/``: read-only JSON for the province's other systems (bearer tokens)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import ColumnElement, select, true

from learning.api.access import token_required
from learning.api.openapi import SPEC
from learning.assignments import queries as compliance
from learning.assignments.models import Assignment
from learning.audit.services import record
from learning.auth.permissions import Reach, reach_in
from learning.core.dates import local_today
from learning.core.pagination import paginate
from learning.extensions import csrf, db, limiter
from learning.org.models import Person, Unit
from learning.org.queries import name_order
from learning.par.queries import table_for as par_table
from learning.progress.labels import Status

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _log_read(action: str, **detail) -> None:
    """A read of personal data: which token (the reading system), why it reads, what it read."""
    token = g.api_token
    record(action, object_type="api_token", object_id=token.id, token=token.name,
           purpose=token.purpose or "(chưa khai báo)", **detail)


def _scope() -> ColumnElement[bool]:
    unit = g.api_token.unit
    return Unit.path.startswith(unit.path, autoescape=True) if unit else true()


def _one_arg(name: str) -> str | None:
    """The query parameter, or None when absent; given twice it is a 400 (clients must not guess)."""
    values = request.args.getlist(name)
    if len(values) > 1:
        abort(400, description=f"Tham số {name} chỉ được truyền một lần.")
    return values[0] if values else None


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    value = _one_arg(name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        abort(400, description=f"Tham số {name} phải là số nguyên từ {low} đến {high}.")
    return int(value)


def _unit_arg() -> Unit | None:
    code = (_one_arg("unit") or "").strip()
    if not code:
        return None
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        abort(404, description=f"Không có đơn vị mã {code}.")
    if g.api_token.unit and not unit.path.startswith(g.api_token.unit.path):
        abort(403, description="Đơn vị ngoài phạm vi của mã truy cập.")
    return unit


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.get("/people")
@limiter.limit("120 per minute")
@token_required
def people():
    unit = _unit_arg()
    query = select(Person).join(Unit, Unit.id == Person.unit_id).where(_scope())
    if unit:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    page = paginate(query.order_by(*name_order()), _int_arg("page", 1, 1, 100_000),
                    _int_arg("per_page", 100, 1, 500))
    _log_read("api.people_read", rows=len(page.items), unit=unit.code if unit else None)
    return jsonify(page=page.page, per_page=page.per_page, total=page.total, items=[
        {"employee_code": p.employee_code, "middle_name": p.middle_name, "given_name": p.given_name,
         "email": p.email, "unit_code": p.unit.code, "unit_name": p.unit.name, "position": p.position,
         "category": p.category, "active": p.active} for p in page.items])


def _period() -> int:
    return _int_arg("period", local_today().year, 2000, 2100)


@bp.get("/assignments")
@limiter.limit("120 per minute")
@token_required
def assignments():
    items = compliance.assignments_for(compliance.Filters(period=_period()),
                                       [g.api_token.unit] if g.api_token.unit else None)
    return jsonify(items=[
        {"id": a.id, "course_code": a.course.code, "course_title": a.course.title, "unit_code": a.unit.code,
         "period": a.period, "starts_on": a.starts_on.isoformat(), "due_on": a.due_on.isoformat(),
         "categories": a.categories, "positions": a.positions} for a in items if a.active])


@bp.get("/assignments/<int:assignment_id>/status")
@limiter.limit("120 per minute")
@token_required
def assignment_status(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not assignment.active:
        abort(404, description="Không có đợt giao học này.")
    page = compliance.people([assignment], compliance.Filters(period=assignment.period), local_today(),
                             _scope(), page=_int_arg("page", 1, 1, 100_000), per_page=_int_arg("per_page", 100, 1, 500))
    _log_read("api.status_read", rows=len(page.items), assignment=assignment_id)
    return jsonify(page=page.page, per_page=page.per_page, total=page.total, items=[
        {"employee_code": i.person.employee_code, "name": i.person.full_name, "unit_code": i.person.unit.code,
         "status": i.status.value, "due_on": i.own_due.isoformat(),
         "completed_at": i.completed_at.isoformat() if i.completed_at else None,
         "score": i.score} for i in page.items])


@bp.get("/compliance")
@limiter.limit("120 per minute")
@token_required
def compliance_by_unit():
    filters = compliance.Filters(period=_period())
    node = _unit_arg() or g.api_token.unit or db.session.scalar(
        select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    if node is None:
        abort(404, description="Chưa có đơn vị nào.")
    items = compliance.assignments_for(filters, [g.api_token.unit] if g.api_token.unit else None)
    total, rows = compliance.by_child_unit(node, items, filters, local_today(), _scope())

    def tally(unit: Unit, t) -> dict:
        return {"unit_code": unit.code, "unit_name": unit.name, "assigned": t.total, "passed": t.passed,
                "passed_on_time": t.on_time, "overdue": t.overdue, "not_started": t.not_started,
                "in_progress": t.in_progress, "expired": t.expired, "exempt": t.exempt,
                "completion_rate": t.completion_rate, "average_score": t.average_score}

    children = [tally(r.unit, r.tally) for r in rows if not r.direct]
    return jsonify(period=filters.period, unit=tally(node, total), children=children,
                   statuses=[s.value for s in Status])


@bp.get("/par/<int:period>")
@limiter.limit("60 per minute")
@token_required
def par_period(period: int):
    """Per-unit indicator values and points of a period, for the province's PAR software."""
    if not 2000 <= period <= 2100:
        abort(404, description="Kỳ không hợp lệ.")
    table = par_table(period)
    scores = table.scores
    # Totals only, never person rows: units inside the token's scope and those containing it
    # (permissions.reach_in); the API has no per-person PAR evidence.
    ids = [s.unit_id for s in scores]
    paths = dict(db.session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(ids))).all()) if ids else {}
    reaches = {unit_id: reach_in([g.api_token.unit], path) for unit_id, path in paths.items()}
    scores = [s for s in scores if reaches.get(s.unit_id, Reach.NONE) is not Reach.NONE]
    parsed = table.version.rubric
    return jsonify(
        period=period, frozen=table.snapshot is not None,
        frozen_at=table.snapshot.frozen_at.isoformat() if table.snapshot else None,
        rubric={"code": parsed.code, "version": parsed.version, "example": parsed.example,
                "criteria": [{"code": c.code, "title": c.title, "max_points": c.max_points,
                              "indicator": c.indicator} for c in parsed.criteria]},
        units=[{"unit_code": s.code, "unit_name": s.name, "kind": s.kind, "dissolved": s.historical,
                "indicators": s.indicators, "counts": asdict(s.counts), "points": s.points,
                "self_assessed_total": s.total, "verified": s.verified, "verified_total": s.verified_total,
                "rank_in_kind": s.rank, "in_scope": reaches[s.unit_id] is Reach.PEOPLE} for s in scores])
