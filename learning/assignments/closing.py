"""Ending assignments ("Kết thúc đợt giao"), one or many, after a confirmation page; and reopening them.

Both work without JavaScript: the list links to a confirmation page (GET) that lists what will be affected,
with counts, and a POST with the CSRF token does it. Ending many is one audited batch (services.close_many).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select, true

from learning.assignments import queries, services
from learning.assignments.models import Assignment
from learning.assignments.views import bp
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, require
from learning.core.dates import local_today
from learning.extensions import db

MAX_BATCH = 500


def _enrolments(assignment: Assignment) -> int:
    """How many person × course rows (lượt) the assignment counts today."""
    return queries.people([assignment], queries.Filters(period=assignment.period), local_today(), true(),
                          per_page=1).total


def _selected() -> list[Assignment]:
    """The assignments named by ``id`` (query string or form), each in the viewer's scope, or 403/404."""
    raw = request.values.getlist("id")
    ids = sorted({int(v) for v in raw if v.isascii() and v.isdigit()})[:MAX_BATCH + 1]
    if len(ids) > MAX_BATCH:
        abort(400, description=gettext("Chỉ kết thúc được tối đa %(n)s đợt giao học một lần.", n=MAX_BATCH))
    found = list(db.session.scalars(select(Assignment).where(Assignment.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        abort(404)
    for assignment in found:
        require(current_user, Action.MANAGE_ASSIGNMENTS, assignment.unit)
    return found


def _confirm_page(assignments: list[Assignment], action: str, *, reopen: bool = False):
    rows = [(a, _enrolments(a)) for a in assignments]
    return render_template("assignments/confirm.html", rows=rows, action=action, reopen=reopen,
                           form=ConfirmForm(), total=sum(n for _a, n in rows))


def _end(assignments: list[Assignment]):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    closed = services.close_many(assignments, by=current_user)
    if closed:
        flash(gettext("Đã kết thúc %(n)s đợt giao học; các đợt này không còn tính vào tuân thủ. "
                      "Có thể mở lại từ danh sách.", n=len(closed)), "success")
    else:
        flash(gettext("Các đợt giao học đã chọn đều đã kết thúc trước đó."), "info")
    return redirect(url_for("assignments.index"))


@bp.route("/giao-hoc/ket-thuc", methods=["GET", "POST"])
@login_required
def close_many():
    require(current_user, Action.MANAGE_ASSIGNMENTS)
    assignments = _selected()
    if request.method == "POST":
        return _end(assignments)
    active = [a for a in assignments if a.active]
    if not active:
        flash(gettext("Hãy đánh dấu ít nhất một đợt giao học đang áp dụng để kết thúc."), "error")
        return redirect(url_for("assignments.index"))
    return _confirm_page(active, url_for("assignments.close_many"))


@bp.route("/giao-hoc/<int:assignment_id>/dong", methods=["GET", "POST"])
@login_required
def close(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    require(current_user, Action.MANAGE_ASSIGNMENTS, assignment.unit)
    if request.method == "POST":
        return _end([assignment])
    if not assignment.active:
        flash(gettext("Đợt giao học này đã kết thúc."), "info")
        return redirect(url_for("assignments.index"))
    return _confirm_page([assignment], url_for("assignments.close", assignment_id=assignment.id))


@bp.route("/giao-hoc/<int:assignment_id>/mo-lai", methods=["GET", "POST"])
@login_required
def reopen(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    require(current_user, Action.MANAGE_ASSIGNMENTS, assignment.unit)
    if request.method == "GET":
        if assignment.active:
            flash(gettext("Đợt giao học này đang áp dụng."), "info")
            return redirect(url_for("assignments.index"))
        return _confirm_page([assignment], url_for("assignments.reopen", assignment_id=assignment.id),
                             reopen=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.reopen(assignment, by=current_user):
        flash(gettext("Đã mở lại đợt giao học; đợt này lại được tính vào tuân thủ."), "success")
    return redirect(url_for("assignments.index"))
