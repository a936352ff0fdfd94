"""The reminder settings of an existing assignment (the same fields as on the create page)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.assignments import services
from learning.assignments.forms import ReminderForm
from learning.assignments.models import Assignment
from learning.assignments.views import bp
from learning.auth.permissions import Action, require
from learning.extensions import db


@bp.route("/giao-hoc/<int:assignment_id>/nhac-viec", methods=["GET", "POST"])
@login_required
def reminder_settings(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    require(current_user, Action.MANAGE_ASSIGNMENTS, assignment.unit)
    form = ReminderForm()
    if request.method == "GET":
        form.show(assignment)
    elif form.validate_on_submit():
        if services.set_reminders(assignment, form.settings(), by=current_user):
            flash(gettext("Đã lưu cách nhắc việc của đợt giao học."), "success")
        return redirect(url_for("assignments.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("assignments/reminders.html", form=form, assignment=assignment), status
