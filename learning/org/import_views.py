"""Staff import (upload → preview → confirm), the template, and staff exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.audit.purpose import ExportPurposeForm
from learning.audit.purpose import ask as ask_purpose
from learning.audit.services import record
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, require, unit_scope_clause
from learning.core.dates import utcnow
from learning.core.spreadsheet import XLSX
from learning.extensions import db
from learning.org import exports, importer
from learning.org.forms import UploadForm
from learning.org.models import StaffImport

bp = Blueprint("staff", __name__)
PREVIEW_ROWS = 200


def _scope():
    return unit_scope_clause(current_user, Action.EDIT_PERSON)


@bp.route("/can-bo/nhap", methods=["GET", "POST"])
@login_required
def upload():
    require(current_user, Action.EDIT_PERSON)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("org/import_upload.html", form=form), 400 if form.errors else 200
    data, name = form.file.data.read(), form.file.data.filename or ""
    try:
        result = importer.plan(data, name, _scope())
    except importer.ImportRejected as error:
        form.file.errors.append(str(error))
        return render_template("org/import_upload.html", form=form), 400
    batch = None
    if result.ok and not result.changes_nothing:  # nothing to confirm when nothing would change
        batch = StaffImport(account_id=current_user.id, filename=name, data=data, summary=result.summary())
        db.session.add(batch)
        db.session.flush()
    return render_template("org/import_preview.html", result=result, batch=batch, name=name,
                           preview_rows=PREVIEW_ROWS, confirm_form=ConfirmForm(),
                           change_headers=importer.CHANGE_HEADERS)


@bp.post("/can-bo/nhap/<int:batch_id>/xac-nhan")
@login_required
def confirm(batch_id: int):
    require(current_user, Action.EDIT_PERSON)
    batch = db.session.get(StaffImport, batch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if batch is None:  # previews left unconfirmed are deleted by the retention purge
        flash(gettext("Bản xem trước này đã hết hạn và tệp đã bị xóa. Hãy tải tệp lên lại để nhập."), "error")
        return redirect(url_for("staff.upload"))
    if batch.account_id != current_user.id or batch.kind != "staff":
        abort(403)
    if batch.applied_at is not None:
        flash(gettext("Tệp này đã được nhập rồi; không nhập lại lần nữa."), "info")
        return redirect(url_for("org.person_list"))
    result = importer.plan(batch.data, batch.filename, _scope())  # the data may have changed since
    if not result.ok:
        return render_template("org/import_preview.html", result=result, batch=None,
                               name=batch.filename, preview_rows=PREVIEW_ROWS,
                               confirm_form=ConfirmForm(), change_headers=importer.CHANGE_HEADERS), 409
    summary = importer.apply(result)
    # The uploaded file is not kept once applied: the summary and the audit event are the record.
    # The codes in the file are kept for "Gửi lời mời" to the people of this import (auth.invitation_views).
    batch.applied_at, batch.data = utcnow(), b""
    batch.summary = summary | {"codes": [row.code for row in result.rows if row.code]}
    record("staff.imported", actor_id=current_user.id, obj=batch, filename=batch.filename, **summary)
    flash(gettext("Đã nhập: %(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi, "
                  "%(deactivated)s chuyển sang nghỉ việc.", **summary), "success")
    return redirect(url_for("invitations.confirm", nhap=batch.id))


@bp.get("/can-bo/nhap/mau.xlsx")
@login_required
def template():
    require(current_user, Action.EDIT_PERSON)
    data = exports.staff_xlsx(None, rows=importer.template_rows())
    return Response(data, mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=mau-danh-sach-can-bo.xlsx"})


@bp.route("/can-bo/xuat.<any(xlsx, csv):fmt>", methods=["GET", "POST"])
@login_required
def export(fmt: str):
    require(current_user, Action.VIEW_PERSON)
    form = ExportPurposeForm()
    if not form.validate_on_submit():
        return ask_purpose(form, what=gettext("danh sách cán bộ trong phạm vi bạn quản lý (%(fmt)s)", fmt=fmt.upper()),
                           back=url_for("org.person_list"))
    scope = unit_scope_clause(current_user, Action.VIEW_PERSON)
    record("staff.exported", actor_id=current_user.id, object_type="person", format=fmt, **form.detail())
    if fmt == "csv":
        return Response(exports.staff_csv(scope), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=can-bo.csv"})
    return Response(exports.staff_xlsx(scope), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=can-bo.xlsx"})
