"""Browse and search units and people, within the viewer's scope."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from learning.auth.forms import ConfirmForm, GrantRoleForm
from learning.auth.models import Account
from learning.auth.permissions import Action, can, require, unit_scope_clause
from learning.auth.views import role_choices
from learning.core.dates import local_today
from learning.core.pagination import page_arg
from learning.extensions import db
from learning.org import queries
from learning.org.models import CATEGORY_LABELS, Person, Unit, category_labels

bp = Blueprint("org", __name__)


@bp.get("/don-vi")
@login_required
def unit_list():
    require(current_user, Action.VIEW_UNIT)
    q = request.args.get("q", "")
    historical = request.args.get("lich-su") == "1"
    page = queries.search_units(unit_scope_clause(current_user, Action.VIEW_UNIT), q, historical,
                                local_today(), page_arg(), 50)
    return render_template("org/unit_list.html", page=page, q=q, historical=historical,
                           summaries=queries.summaries(page.items), today=local_today())


@bp.get("/don-vi/<int:unit_id>")
@login_required
def unit_detail(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    require(current_user, Action.VIEW_UNIT, unit)
    children = queries.summaries(queries.child_units(unit))
    people = queries.search_people(unit_scope_clause(current_user, Action.VIEW_PERSON),
                                   unit=unit, page=page_arg(), per_page=20)
    return render_template(
        "org/unit_detail.html", unit=unit, ancestors=queries.ancestors(unit), children=children,
        summary=queries.summaries([unit])[0], people=people, today=local_today(),
    )


@bp.get("/can-bo")
@login_required
def person_list():
    require(current_user, Action.VIEW_PERSON)
    unit = None
    unit_code = request.args.get("don-vi", "").strip()
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is not None and not can(current_user, Action.VIEW_UNIT, unit):
            abort(403)
    category = request.args.get("loai", "")
    if category not in CATEGORY_LABELS:
        category = ""
    status = request.args.get("trang-thai", "dang-lam")
    active = {"dang-lam": True, "nghi-viec": False}.get(status)
    q = request.args.get("q", "")
    page = queries.search_people(unit_scope_clause(current_user, Action.VIEW_PERSON), q=q,
                                 unit=unit, category=category, active=active, page=page_arg(),
                                 per_page=50)
    return render_template("org/person_list.html", page=page, q=q, unit=unit,
                           unit_code=unit_code, unit_missing=bool(unit_code and unit is None),
                           category=category, status=status, categories=category_labels())


@bp.get("/can-bo/<int:person_id>")
@login_required
def person_detail(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    require(current_user, Action.VIEW_PERSON, person)
    account = db.session.scalar(select(Account).where(Account.person_id == person.id))
    grant_form = GrantRoleForm()
    grant_form.role.choices = role_choices()
    return render_template("org/person_detail.html", person=person, account=account,
                           ancestors=queries.ancestors(person.unit), confirm_form=ConfirmForm(),
                           grant_form=grant_form)
