"""The audit log for administrators, and "my data" for every user."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import and_, or_, select

from learning.audit.models import AuditEvent
from learning.audit.services import record
from learning.auth.permissions import Action, require
from learning.catalog.models import Completion
from learning.certification.models import Certificate
from learning.core.pagination import page_arg, paginate
from learning.extensions import db

bp = Blueprint("audit", __name__)


@bp.get("/quan-tri/nhat-ky")
@login_required
def log():
    require(current_user, Action.ADMINISTER)
    action = request.args.get("hanh-dong", "").strip()
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    actions = sorted(db.session.scalars(select(AuditEvent.action).distinct()))
    return render_template("audit/log.html", page=paginate(query, page_arg(), 50), action=action, actions=actions)


def _my_data() -> dict:
    person = current_user.person
    about_me = and_(AuditEvent.object_type == "account", AuditEvent.object_id == str(current_user.id))
    events = db.session.scalars(select(AuditEvent).where(or_(AuditEvent.actor_id == current_user.id, about_me))
                                .order_by(AuditEvent.id.desc()).limit(200))
    return {
        "person": {"employee_code": person.employee_code, "middle_name": person.middle_name,
                   "given_name": person.given_name, "email": person.email,
                   "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                   "unit": person.unit.name, "position": person.position, "category": person.category_label,
                   "active": person.active},
        "account": {"roles": sorted(r.label for r in current_user.roles),
                    "last_login_at": current_user.last_login_at.isoformat() if current_user.last_login_at else None,
                    "password_changed_at": current_user.password_changed_at.isoformat()
                    if current_user.password_changed_at else None},
        "completions": [{"course": c.course.title, "completed_at": c.completed_at.isoformat(), "score": c.score}
                        for c in db.session.scalars(select(Completion).where(Completion.person_id == person.id))],
        "certificates": [{"serial": c.serial, "course": c.course_title, "issued_at": c.issued_at.isoformat(),
                          "valid_until": c.valid_until.isoformat(), "status": c.stored_status}
                         for c in db.session.scalars(select(Certificate).where(Certificate.person_id == person.id))],
        "activity": [{"at": e.at.isoformat(), "action": e.action, "ip": e.ip} for e in events],
    }


@bp.get("/du-lieu-cua-toi")
@login_required
def my_data():
    return render_template("audit/my_data.html", data=_my_data())


@bp.get("/du-lieu-cua-toi.json")
@login_required
def my_data_json():
    record("personal_data.self_export", actor_id=current_user.id, obj=current_user)
    body = json.dumps(_my_data(), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=du-lieu-cua-toi.json"})
