"""Browse and search units and people, within the viewer's scope."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from learning.auth.forms import ConfirmForm, GrantRoleForm, role_choices
from learning.auth.models import Account
from learning.auth.permissions import Action, can, may_change_account, may_restructure, require, unit_scope_clause
from learning.auth.queries import latest_invitation
from learning.core.dates import local_today
from learning.core.pagination import page_arg
from learning.extensions import db
from learning.org import queries, services
from learning.org.forms import PersonForm
from learning.org.history import unit_history
from learning.org.models import CATEGORY_LABELS, Person, Unit, category_labels
from learning.org.units import name_history, names_at, predecessors

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
        summary=queries.summaries([unit])[0], people=people, today=local_today(), confirm_form=ConfirmForm(),
        names=name_history(unit), predecessors=predecessors(unit),
        may_rename=can(current_user, Action.MANAGE_UNITS, unit), may_restructure=may_restructure(current_user, unit),
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
    history = unit_history(db.session, person)
    return render_template("org/person_detail.html", person=person, account=account,
                           ancestors=queries.ancestors(person.unit), confirm_form=ConfirmForm(),
                           grant_form=grant_form, history=history, names=_history_names(history),
                           may_edit=can(current_user, Action.EDIT_PERSON, person),
                           invitation=latest_invitation(account) if account else None,
                           may_change_account=account is not None and may_change_account(current_user, account))


def _history_names(history: list) -> dict[int, str]:
    """Each membership's unit as it was named when the person joined it."""
    names = names_at((m.unit_id, m.valid_from) for m in history)
    return {m.id: names[(m.unit_id, m.valid_from)] for m in history}


@bp.route("/can-bo/<int:person_id>/sua", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    require(current_user, Action.EDIT_PERSON, person)
    form = PersonForm(obj=person) if request.method == "GET" else PersonForm()
    if request.method == "GET":
        form.unit_code.data = person.unit.code
    if form.validate_on_submit():
        unit = db.session.scalar(select(Unit).where(Unit.code == form.unit_code.data.strip()))
        if unit is None:
            form.unit_code.errors.append(gettext("Không có đơn vị mã “%(c)s”.", c=form.unit_code.data.strip()))
        elif not can(current_user, Action.EDIT_PERSON, unit):
            form.unit_code.errors.append(gettext("Đơn vị “%(c)s” ngoài phạm vi bạn được quản lý.", c=unit.code))
        elif unit.id != person.unit_id and not unit.is_valid_on(form.moved_on.data or local_today()):
            form.unit_code.errors.append(gettext("Đơn vị “%(c)s” không hoạt động vào ngày chuyển.", c=unit.code))
        else:
            values = {name: getattr(form, name).data for name in services.PERSON_FIELDS}
            values["email"] = (values["email"] or "").strip().lower() or None
            values["middle_name"] = (values["middle_name"] or "").strip()
            values["position"] = (values["position"] or "").strip()
            taken = values["email"] and db.session.scalar(select(Person.id).where(
                Person.email == values["email"], Person.id != person.id))
            if taken:
                form.email.errors.append(gettext("E-mail này đã được dùng cho một cán bộ khác."))
            else:
                services.update_person(person, values, unit, form.moved_on.data, current_user)
                flash(gettext("Đã lưu thông tin cán bộ."), "success")
                return redirect(url_for("org.person_detail", person_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template("org/person_form.html", person=person, form=form), status
