"""A person's transcript page and PDF, and "remind now". Routes live on the assignments blueprint."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.assignments import transcript as transcripts
from learning.assignments.views import bp
from learning.audit.services import record
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, can, require
from learning.core.dates import local_today
from learning.extensions import db
from learning.notify import mail
from learning.org.models import Person


def _person(person_id: int) -> Person:
    person = db.session.get(Person, person_id) or abort(404)
    require(current_user, Action.VIEW_PERSON, person)
    return person


@bp.get("/can-bo/<int:person_id>/ho-so-hoc-tap")
@login_required
def transcript(person_id: int):
    person = _person(person_id)
    found = transcripts.build(person, local_today())
    self_view = person.id == current_user.person_id
    return render_template(
        "assignments/transcript.html", t=found, person=person, form=ConfirmForm(), today=local_today(),
        may_request=not self_view and can(current_user, Action.REQUEST_EXEMPTION, person),
        may_decide=not self_view and can(current_user, Action.DECIDE_EXEMPTION, person),
        may_remind=not self_view and can(current_user, Action.REMIND_PERSON, person),
        user_id=current_user.id)


@bp.get("/can-bo/<int:person_id>/ho-so-hoc-tap.pdf")
@login_required
def transcript_pdf(person_id: int):
    person = _person(person_id)
    today = local_today()
    data = transcripts.pdf(transcripts.build(person, today), today)
    record("transcript.exported", actor_id=current_user.id, obj=person, format="pdf")
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=ho-so-hoc-tap-{person.employee_code}.pdf"})


@bp.post("/can-bo/<int:person_id>/nhac-viec")
@login_required
def remind_now(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    require(current_user, Action.REMIND_PERSON, person)
    if person.id == current_user.person_id:
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    today = local_today()
    found = transcripts.build(person, today)
    back = redirect(url_for("assignments.transcript", person_id=person.id))
    if not person.email:
        flash(gettext("Cán bộ này chưa có e-mail: hãy bổ sung e-mail ở trang sửa thông tin cán bộ."), "error")
    elif found.reminded_today:
        flash(gettext("Hôm nay đã nhắc người này rồi; mỗi ngày chỉ gửi một thư nhắc."), "info")
    elif not found.pending:
        flash(gettext("Không có khóa học nào cần nhắc: mọi khóa học đã đạt hoặc được miễn."), "info")
    else:
        try:
            transcripts.remind(found, today)
        except mail.MailNotConfigured:
            flash(gettext("Chưa cấu hình máy chủ thư (MAIL_SERVER), chưa gửi được thư nhắc."), "error")
        except mail.MAIL_ERRORS:
            current_app.logger.exception("reminder to person %s failed", person.id)
            flash(gettext("Máy chủ thư không nhận thư lúc này; hãy thử lại sau."), "error")
        else:
            record("reminder.sent_now", actor_id=current_user.id, obj=person,
                   assignments=[line.assignment.id for line in found.pending])
            flash(gettext("Đã gửi thư nhắc tới %(email)s.", email=person.email), "success")
    return back
