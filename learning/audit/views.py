"""The audit log and data retention for admins, and "my data" for every user."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from learning.audit import labels, retention
from learning.audit import log as audit_log
from learning.audit.models import AuditEvent
from learning.audit.purpose import ExportPurposeForm
from learning.audit.purpose import ask as ask_purpose
from learning.audit.queries import PAGE_EVENTS, personal_data
from learning.audit.services import record
from learning.auth.permissions import Action, require
from learning.core.dates import format_decimal
from learning.core.pagination import page_arg, paginate
from learning.core.spreadsheet import to_csv
from learning.extensions import db

bp = Blueprint("audit", __name__)


@bp.get("/quan-tri/nhat-ky")
@login_required
def log():
    require(current_user, Action.ADMINISTER)
    found = audit_log.LogFilter.from_args(request.args)
    page = paginate(audit_log.build_query(found), page_arg(), audit_log.PER_PAGE)
    return render_template("audit/log.html", page=page, found=found, names=audit_log.targets(page.items),
                           actions=_action_choices(), log=audit_log, labels=labels)


def _action_choices() -> list[tuple[str, str]]:
    """Every known event, by its label."""
    return sorted(((code, labels.event_label(code)) for code in labels.EVENT_LABELS), key=lambda c: c[1])


@bp.route("/quan-tri/nhat-ky/xuat.csv", methods=["GET", "POST"])
@login_required
def log_export():
    """The filtered events as CSV (the filters come in the query string); administrators see the whole log."""
    require(current_user, Action.ADMINISTER)
    found = audit_log.LogFilter.from_args(request.args)
    form = ExportPurposeForm()
    if not form.validate_on_submit():
        limit = format_decimal(audit_log.EXPORT_LIMIT, 0, labels.language())
        return ask_purpose(form, what=gettext("nhật ký hệ thống theo bộ lọc đang chọn (CSV, tối đa %(n)s dòng mới "
                                              "nhất)", n=limit),
                           back=url_for("audit.log", **found.as_args()))
    query = audit_log.build_query(found)
    record("audit.exported", actor_id=current_user.id, object_type="audit_event", format="csv",
           filters=found.as_detail(), **form.detail())
    body = to_csv(audit_log.csv_headers(), audit_log.csv_rows(query))
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=nhat-ky-he-thong.csv"})


class RetentionForm(FlaskForm):
    # NumberRange fills in %(min)s and %(max)s.
    audit_months = IntegerField(lazy_gettext("Giữ nhật ký hệ thống (tháng)"), validators=[
        InputRequired(lazy_gettext("Hãy nhập số tháng.")),
        NumberRange(retention.MIN_AUDIT_MONTHS, retention.MAX_MONTHS, lazy_gettext("Từ %(min)s đến %(max)s tháng."))])
    attempt_months = IntegerField(lazy_gettext("Giữ chi tiết bài làm kiểm tra (tháng)"), validators=[
        InputRequired(lazy_gettext("Hãy nhập số tháng.")),
        NumberRange(retention.MIN_ATTEMPT_MONTHS, retention.MAX_MONTHS, lazy_gettext("Từ %(min)s đến %(max)s tháng."))])


@bp.route("/quan-tri/luu-tru-du-lieu", methods=["GET", "POST"])
@login_required
def retention_settings():
    require(current_user, Action.ADMINISTER)
    policy = retention.current_policy()
    form = RetentionForm(data={"audit_months": policy.audit_months, "attempt_months": policy.attempt_months})
    if form.validate_on_submit():
        retention.change_policy(form.audit_months.data, form.attempt_months.data, by=current_user)
        flash(gettext("Đã lưu thời hạn lưu trữ. Lần xóa dữ liệu quá hạn tiếp theo sẽ áp dụng thời hạn mới."), "success")
        return redirect(url_for("audit.retention_settings"))
    purges = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.purged")
                                     .order_by(AuditEvent.id.desc()).limit(5)))
    return render_template("audit/retention.html", form=form, policy=policy, preview=retention.purge(dry_run=True),
                           purges=purges, evidence=sorted(retention.EVIDENCE_ACTIONS)), \
        400 if request.method == "POST" else 200


@bp.get("/du-lieu-cua-toi")
@login_required
def my_data():
    return render_template("audit/my_data.html", data=personal_data(current_user, event_limit=PAGE_EVENTS),
                           page_events=PAGE_EVENTS, event_label=labels.event_label)


@bp.get("/du-lieu-cua-toi.json")
@login_required
def my_data_json():
    record("personal_data.self_export", actor_id=current_user.id, obj=current_user)
    body = json.dumps(personal_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=du-lieu-cua-toi.json"})
