"""Freezing a PAR period ("Chốt số liệu") after a confirmation page, unfreezing it with a reason
(administrators), and viewing a snapshot that is no longer in force."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, require
from learning.extensions import db
from learning.par import scoring, services
from learning.par.models import Snapshot
from learning.par.queries import Table
from learning.par.views import _visible, bp


@bp.route("/<int:period>/dong-bang", methods=["GET", "POST"])
@login_required
def freeze(period: int):
    require(current_user, Action.ASSESS_PAR)
    if scoring.snapshot_of(period) is not None:
        flash(gettext("Kỳ %(y)s đã được đóng băng trước đó.", y=period), "info")
        return redirect(url_for("par.index", nam=period))
    if request.method == "GET":
        return render_template("par/freeze_confirm.html", period=period, preview=services.freeze_preview(period),
                               form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.freeze(period, current_user)
        flash(gettext("Đã đóng băng kết quả kỳ %(y)s. Dữ liệu thay đổi sau này không làm đổi bảng này.", y=period),
              "success")
    except ValueError as error:
        flash(str(error), "error")
    return redirect(url_for("par.index", nam=period))


@bp.route("/<int:period>/mo-chot", methods=["GET", "POST"])
@login_required
def unfreeze(period: int):
    require(current_user, Action.ADMINISTER)
    snapshot = scoring.snapshot_of(period)
    if snapshot is None:
        flash(gettext("Kỳ %(y)s chưa chốt số liệu.", y=period), "info")
        return redirect(url_for("par.index", nam=period))
    form = ConfirmForm()
    problem = None
    reason = request.form.get("ly-do", "")
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.unfreeze(period, current_user, reason)
            flash(gettext("Đã mở chốt số liệu kỳ %(y)s; bản chốt cũ vẫn xem được.", y=period), "success")
            return redirect(url_for("par.index", nam=period))
        except ValueError as error:
            problem = str(error)
    return render_template("par/unfreeze.html", period=period, snapshot=snapshot, form=form, problem=problem,
                           reason=reason), 400 if problem else 200


@bp.get("/<int:period>/ban-chot/<int:snapshot_id>")
@login_required
def snapshot(period: int, snapshot_id: int):
    """A snapshot of the period, also one no longer in force (unfrozen), as it was frozen."""
    require(current_user, Action.VIEW_PAR)
    found = db.session.get(Snapshot, snapshot_id)
    if found is None or found.period != period:
        abort(404)
    table = Table(period, found.rubric, scoring.from_data(found.data["units"]), found)
    return render_template("par/snapshot.html", table=table, rows=_visible(table.scores),
                           rubric=table.version.rubric, snapshot=found)
