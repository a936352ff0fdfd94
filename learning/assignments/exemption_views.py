"""Exemptions and extensions: the request form (from a transcript), HR's list of waiting requests, and the
approve / refuse confirmation pages; withdrawing. Routes live on the assignments blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.assignments import exemptions, transcript
from learning.assignments.exemptions import ExemptionError
from learning.assignments.forms import DecisionForm, ExemptionForm
from learning.assignments.models import (
    EXEMPTION_KIND_LABELS,
    EXEMPTION_REASON_LABELS,
    Assignment,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
)
from learning.assignments.views import bp
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, can, require, unit_scope_clause
from learning.core.dates import local_today
from learning.extensions import db
from learning.org.models import Person

KIND_ARGS = {"mien": ExemptionKind.EXEMPT.value, "gia-han": ExemptionKind.EXTEND.value}


def _back(person_id: int):
    return redirect(url_for("assignments.transcript", person_id=person_id))


@bp.route("/can-bo/<int:person_id>/giao-hoc/<int:assignment_id>/ngoai-le", methods=["GET", "POST"])
@login_required
def request_exemption(person_id: int, assignment_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    require(current_user, Action.REQUEST_EXEMPTION, person)
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    line = transcript.build(person, local_today()).line(assignment.id)
    if line is None:
        abort(404)  # the assignment does not count this person
    direct = can(current_user, Action.DECIDE_EXEMPTION, person)
    form = ExemptionForm()
    form.kind.choices = [(k.value, str(label)) for k, label in EXEMPTION_KIND_LABELS.items()]
    form.reason.choices = [(r.value, str(label)) for r, label in EXEMPTION_REASON_LABELS.items()]
    if request.method == "GET":
        form.kind.data = KIND_ARGS.get(request.args.get("loai", ""), ExemptionKind.EXEMPT.value)
    if form.validate_on_submit():
        try:
            exemptions.submit(person, assignment, kind=form.kind.data, reason=form.reason.data, by=current_user,
                              new_due_on=form.new_due_on.data, note=form.note.data or "",
                              evidence=form.evidence.data or "", approve=direct)
        except ExemptionError as error:
            form.form_errors.append(str(error))
        else:
            flash(gettext("Đã ghi và duyệt ngay.") if direct else
                  gettext("Đã gửi đề nghị; bộ phận tổ chức cán bộ sẽ duyệt hoặc từ chối."), "success")
            return _back(person.id)
    status = 400 if request.method == "POST" else 200
    return render_template("assignments/exemption_form.html", form=form, person=person, line=line,
                           direct=direct), status


@bp.get("/ngoai-le")
@login_required
def exemption_requests():
    require(current_user, Action.DECIDE_EXEMPTION)
    scope = unit_scope_clause(current_user, Action.DECIDE_EXEMPTION)
    waiting = exemptions.pending(scope)
    decided = exemptions.recent(scope)
    rows = [e for e, _p, _a in waiting + decided]
    return render_template("assignments/exemption_requests.html", waiting=waiting, decided=decided,
                           accounts=exemptions.accounts_by_id(rows))


def _decidable(exemption_id: int) -> tuple[Exemption, Person]:
    row = db.session.get(Exemption, exemption_id) or abort(404)
    person = db.session.get(Person, row.person_id)
    require(current_user, Action.DECIDE_EXEMPTION, person)
    return row, person


def _decide(exemption_id: int, approved: bool):
    row, person = _decidable(exemption_id)
    form = DecisionForm()
    if row.status != ExemptionStatus.REQUESTED.value:
        flash(gettext("Đề nghị này đã được xử lý trước đó."), "info")
        return redirect(url_for("assignments.exemption_requests"))
    if form.validate_on_submit():
        try:
            exemptions.decide(row, current_user, approved=approved, note=form.note.data or "")
        except ExemptionError as error:
            form.note.errors.append(str(error))
        else:
            flash(gettext("Đã duyệt: %(name)s — %(course)s.", name=person.full_name,
                          course=row.assignment.course.title) if approved else
                  gettext("Đã từ chối: %(name)s — %(course)s.", name=person.full_name,
                          course=row.assignment.course.title), "success")
            return redirect(url_for("assignments.exemption_requests"))
    status = 400 if request.method == "POST" else 200
    return render_template("assignments/exemption_decide.html", row=row, person=person, form=form,
                           approved=approved, accounts=exemptions.accounts_by_id([row])), status


@bp.route("/ngoai-le/<int:exemption_id>/duyet", methods=["GET", "POST"])
@login_required
def approve_exemption(exemption_id: int):
    return _decide(exemption_id, approved=True)


@bp.route("/ngoai-le/<int:exemption_id>/tu-choi", methods=["GET", "POST"])
@login_required
def refuse_exemption(exemption_id: int):
    return _decide(exemption_id, approved=False)


@bp.post("/ngoai-le/<int:exemption_id>/rut")
@login_required
def withdraw_exemption(exemption_id: int):
    """The requester withdraws a waiting request; HR withdraws any open one (an approved exemption ends)."""
    row = db.session.get(Exemption, exemption_id) or abort(404)
    person = db.session.get(Person, row.person_id)
    own = row.requested_by_id == current_user.id and row.status == ExemptionStatus.REQUESTED.value
    if not ((own and can(current_user, Action.REQUEST_EXEMPTION, person))
            or can(current_user, Action.DECIDE_EXEMPTION, person)):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        exemptions.withdraw(row, current_user)
    except ExemptionError as error:
        flash(str(error), "error")
    else:
        flash(gettext("Đã rút: %(course)s.", course=row.assignment.course.title), "success")
    return _back(person.id)
