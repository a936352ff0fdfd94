"""Changing the unit tree: create, rename, move, merge into another unit, dissolve (HR and administrators).

Merging and dissolving cannot be undone, so they show what will happen and ask for a confirmation first.
Every change is audit-logged by ``org.units``; a refused change says why and writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from learning.auth.permissions import Action, can, has_province_scope, may_restructure, require
from learning.extensions import db
from learning.org import units
from learning.org.forms import DissolveForm, MergeForm, MoveForm, RenameForm, UnitForm
from learning.org.models import Unit

bp = Blueprint("units", __name__)


def _managed(unit_id: int, restructure: bool = False) -> Unit:
    unit = db.session.get(Unit, unit_id) or abort(404)
    if restructure:
        if not may_restructure(current_user, unit):
            abort(403)
    else:
        require(current_user, Action.MANAGE_UNITS, unit)
    return unit


def _target(field) -> Unit | None:
    """The unit a code field names, if it exists and is in the viewer's scope; else an error on the field."""
    code = (field.data or "").strip()
    unit = db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower()))
    if unit is None:
        field.errors.append(gettext("Không có đơn vị mã “%(c)s”.", c=code))
    elif not can(current_user, Action.MANAGE_UNITS, unit):
        field.errors.append(gettext("Đơn vị “%(c)s” ngoài phạm vi bạn được quản lý.", c=unit.code))
    else:
        return unit
    return None


def _form_page(form, unit: Unit | None, title: str, fields: list[str], error: str | None = None,
               hint: str | None = None):
    if error:
        db.session.rollback()
    status = 400 if request.method == "POST" else 200
    return render_template("org/unit_change.html", form=form, unit=unit, title=title, fields=fields,
                           error=error, hint=hint), status


def _asked() -> bool:
    """The confirmation page was sent back without its box ticked."""
    return request.form.get("step") == "confirm"


@bp.route("/don-vi/moi", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, Action.MANAGE_UNITS)
    form = UnitForm()
    if request.method == "GET":
        form.parent_code.data = request.args.get("cap-tren", "")
    if form.validate_on_submit():
        parent = _target(form.parent_code) if form.parent_code.data.strip() else None
        if not form.parent_code.data.strip() and not has_province_scope(current_user, Action.MANAGE_UNITS):
            form.parent_code.errors.append(gettext("Hãy nhập mã đơn vị cấp trên trong phạm vi bạn được quản lý."))
        elif not form.parent_code.errors:
            try:
                unit = units.create_unit(form.code.data, form.name.data, form.kind.data, parent,
                                         form.valid_from.data, current_user)
            except units.UnitError as error:
                return _form_page(form, None, gettext("Tạo đơn vị"), _CREATE, str(error))
            flash(gettext("Đã tạo đơn vị “%(n)s”.", n=unit.name), "success")
            return redirect(url_for("org.unit_detail", unit_id=unit.id))
    return _form_page(form, None, gettext("Tạo đơn vị"), _CREATE)


_CREATE = ["code", "name", "kind", "parent_code", "valid_from"]


@bp.route("/don-vi/<int:unit_id>/doi-ten", methods=["GET", "POST"])
@login_required
def rename(unit_id: int):
    unit = _managed(unit_id)
    form = RenameForm()
    title = gettext("Đổi tên: %(n)s", n=unit.name)
    hint = gettext("Tên cũ được giữ cho các ngày trước ngày hiệu lực: báo cáo các kỳ trước vẫn ghi tên cũ.")
    if form.validate_on_submit():
        try:
            units.rename_unit(unit, form.name.data, form.on.data, current_user)
        except units.UnitError as error:
            return _form_page(form, unit, title, ["name", "on"], str(error), hint)
        flash(gettext("Đã đổi tên đơn vị."), "success")
        return redirect(url_for("org.unit_detail", unit_id=unit.id))
    return _form_page(form, unit, title, ["name", "on"], hint=hint)


@bp.route("/don-vi/<int:unit_id>/chuyen", methods=["GET", "POST"])
@login_required
def move(unit_id: int):
    unit = _managed(unit_id, restructure=True)
    form = MoveForm()
    title = gettext("Chuyển đơn vị: %(n)s", n=unit.name)
    hint = gettext("Đơn vị được chuyển cùng toàn bộ đơn vị trực thuộc và cán bộ của chúng.")
    if form.validate_on_submit():
        parent = _target(form.parent_code)
        if parent is not None:
            try:
                units.move_unit(unit, parent, current_user)
            except units.UnitError as error:
                return _form_page(form, unit, title, ["parent_code"], str(error), hint)
            flash(gettext("Đã chuyển đơn vị."), "success")
            return redirect(url_for("org.unit_detail", unit_id=unit_id))
    return _form_page(form, unit, title, ["parent_code"], hint=hint)


@bp.route("/don-vi/<int:unit_id>/sap-nhap", methods=["GET", "POST"])
@login_required
def merge(unit_id: int):
    unit = _managed(unit_id, restructure=True)
    form = MergeForm()
    title = gettext("Sáp nhập: %(n)s", n=unit.name)
    if form.validate_on_submit():
        target = _target(form.target_code)
        if target is not None:
            try:
                units.check_merge(unit, target, form.on.data)
                if form.confirmed.data:
                    summary = units.merge_unit(unit, target, form.on.data, current_user)
                    flash(gettext("Đã sáp nhập: %(p)s cán bộ và %(c)s đơn vị trực thuộc chuyển sang đơn vị mới.",
                                  p=summary["people"], c=summary["children"]), "success")
                    return redirect(url_for("org.unit_detail", unit_id=target.id))
            except units.UnitError as error:
                return _form_page(form, unit, title, ["target_code", "on"], str(error))
            return render_template("org/unit_confirm.html", form=form, unit=unit, target=target, action="merge",
                                   preview=units.merge_preview(unit, form.on.data), title=title,
                                   last_day=form.on.data - timedelta(days=1),
                                   asked=_asked()), 400 if _asked() else 200
    return _form_page(form, unit, title, ["target_code", "on"])


@bp.route("/don-vi/<int:unit_id>/giai-the", methods=["GET", "POST"])
@login_required
def dissolve(unit_id: int):
    unit = _managed(unit_id, restructure=True)
    form = DissolveForm()
    title = gettext("Giải thể: %(n)s", n=unit.name)
    if form.validate_on_submit():
        try:
            units.check_dissolve(unit, form.on.data)
            if form.confirmed.data:
                units.dissolve_unit(unit, form.on.data, current_user)
                flash(gettext("Đã giải thể đơn vị từ sau ngày %(d)s.", d=form.on.data.strftime("%d/%m/%Y")),
                      "success")
                return redirect(url_for("org.unit_detail", unit_id=unit.id))
        except units.UnitError as error:
            return _form_page(form, unit, title, ["on"], str(error))
        return render_template("org/unit_confirm.html", form=form, unit=unit, target=None, action="dissolve",
                               preview=None, title=title, asked=_asked()), 400 if _asked() else 200
    return _form_page(form, unit, title, ["on"])
