"""Unit import (upload → preview → confirm) and its template, like the staff import."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.audit.services import record
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, require
from learning.core.dates import utcnow
from learning.core.spreadsheet import XLSX
from learning.extensions import db
from learning.org import unit_import
from learning.org.forms import UploadForm
from learning.org.models import StaffImport
from learning.org.table_files import ImportRejected

bp = Blueprint("unit_import", __name__)
KIND = "units"


def _preview(result, batch, name, status=200):
    return render_template("org/unit_import_preview.html", result=result, batch=batch, name=name,
                           confirm_form=ConfirmForm()), status


@bp.route("/don-vi/nhap", methods=["GET", "POST"])
@login_required
def upload():
    require(current_user, Action.MANAGE_UNITS)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("org/unit_import_upload.html", form=form), 400 if form.errors else 200
    data, name = form.file.data.read(), form.file.data.filename or ""
    try:
        result = unit_import.plan(data, name, current_user)
    except ImportRejected as error:
        form.file.errors.append(str(error))
        return render_template("org/unit_import_upload.html", form=form), 400
    batch = None
    if result.ok:
        batch = StaffImport(kind=KIND, account_id=current_user.id, filename=name, data=data, summary=result.summary())
        db.session.add(batch)
        db.session.flush()
    return _preview(result, batch, name)


@bp.post("/don-vi/nhap/<int:batch_id>/xac-nhan")
@login_required
def confirm(batch_id: int):
    require(current_user, Action.MANAGE_UNITS)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    batch = db.session.get(StaffImport, batch_id)
    if batch is None:
        flash(gettext("Bản xem trước này đã hết hạn và tệp đã bị xóa. Hãy tải tệp lên lại để nhập."), "error")
        return redirect(url_for("unit_import.upload"))
    if batch.account_id != current_user.id or batch.kind != KIND:
        abort(403)
    if batch.applied_at is not None:
        flash(gettext("Tệp này đã được nhập rồi; không nhập lại lần nữa."), "info")
        return redirect(url_for("org.unit_list"))
    result = unit_import.plan(batch.data, batch.filename, current_user)  # the tree may have changed since
    if result.ok:
        try:
            summary = unit_import.apply(result, current_user)
        except ImportRejected as error:
            result.errors = [str(error)]
    if not result.ok:
        db.session.rollback()
        return _preview(result, None, batch.filename, 409)
    batch.applied_at, batch.summary, batch.data = utcnow(), summary, b""
    record("units.imported", actor_id=current_user.id, obj=batch, filename=batch.filename, **summary)
    flash(gettext("Đã nhập: %(created)s tạo mới, %(renamed)s đổi tên, %(moved)s chuyển, %(merged)s sáp nhập, "
                  "%(dissolved)s giải thể.", **summary), "success")
    return redirect(url_for("org.unit_list"))


@bp.get("/don-vi/nhap/mau.xlsx")
@login_required
def template():
    require(current_user, Action.MANAGE_UNITS)
    return Response(unit_import.template_xlsx(), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=mau-danh-sach-don-vi.xlsx"})
