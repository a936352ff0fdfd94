"""HR pages: invite an import, a unit subtree or chosen people (confirmation → job progress), resend one
person's invitation, print a unit's activation letters. Scoped like staff editing (``Action.EDIT_PERSON``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, and_, false, select
from werkzeug.utils import secure_filename

from learning.auth import invitations, letters
from learning.auth.forms import ConfirmForm
from learning.auth.models import Account
from learning.auth.permissions import Action, can, require, unit_scope_clause
from learning.certification.models import Job
from learning.extensions import db
from learning.org.models import Person, StaffImport, Unit

bp = Blueprint("invitations", __name__)
MAX_CHOSEN = 2000


def _in_scope() -> ColumnElement[bool]:
    return unit_scope_clause(current_user, Action.EDIT_PERSON)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _source(values) -> tuple[str, ColumnElement[bool], str]:
    """(source for the audit log, the people clause, a description) from ``nhap``, ``don-vi`` or ``nguoi``."""
    batch_id, unit_id = _int(values.get("nhap")), _int(values.get("don-vi"))
    if batch_id is not None:
        batch = db.session.get(StaffImport, batch_id) or abort(404)
        if batch.account_id != current_user.id or batch.kind != "staff":
            abort(403)
        codes = list(batch.summary.get("codes", []))
        return (f"import:{batch.id}", Person.employee_code.in_(codes) if codes else false(),
                gettext("những người trong tệp “%(name)s”", name=batch.filename))
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id) or abort(404)
        require(current_user, Action.EDIT_PERSON, unit)
        return (f"unit:{unit.code}", Unit.path.startswith(unit.path, autoescape=True),
                gettext("cán bộ của %(unit)s và các đơn vị trực thuộc", unit=unit.name))
    ids = [i for i in (_int(v) for v in values.getlist("nguoi")) if i is not None][:MAX_CHOSEN]
    if not ids:
        return "", false(), ""
    people = list(db.session.scalars(select(Person).where(Person.id.in_(ids))))
    for person in people:
        require(current_user, Action.EDIT_PERSON, person)
    return "people", Person.id.in_(ids), gettext("%(n)s người đã chọn", n=len(people))


def _confirm_page(values):
    source, clause, what = _source(values)
    if not source:
        flash(gettext("Hãy đánh dấu ít nhất một người trong danh sách rồi bấm “Gửi lời mời”."), "error")
        return redirect(url_for("org.unit_list"))
    chosen = invitations.select_accounts(and_(clause, _in_scope()))
    hidden = {key: values.getlist(key) for key in ("nhap", "don-vi", "nguoi") if values.get(key)}
    return render_template("auth/invite_confirm.html", chosen=chosen, counts=chosen.counts(), what=what,
                           hidden=hidden, form=ConfirmForm(), unit_id=_int(values.get("don-vi")))


@bp.get("/loi-moi")
@login_required
def confirm():
    require(current_user, Action.EDIT_PERSON)
    return _confirm_page(request.args)


@bp.post("/loi-moi/chon")
@login_required
def choose():
    require(current_user, Action.EDIT_PERSON)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _confirm_page(request.form)


@bp.post("/loi-moi/gui")
@login_required
def send():
    require(current_user, Action.EDIT_PERSON)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    source, clause, _what = _source(request.form)
    if not source:
        abort(400)
    chosen = invitations.select_accounts(and_(clause, _in_scope()))
    if not chosen.invite:
        flash(gettext("Không có ai cần gửi lời mời (mọi người đã kích hoạt, không có e-mail hoặc không còn làm "
                      "việc)."), "info")
        return redirect(url_for("org.person_list"))
    job = invitations.invite(chosen.invite, current_user, source=source, counts=chosen.counts())
    db.session.commit()
    return redirect(url_for("invitations.job", job_id=job.id))


@bp.get("/loi-moi/cong-viec/<int:job_id>")
@login_required
def job(job_id: int):
    job = db.session.get(Job, job_id) or abort(404)
    if job.kind != invitations.JOB_KIND:
        abort(404)
    if job.created_by_id != current_user.id and not can(current_user, Action.ADMINISTER):
        abort(403)
    return render_template("auth/invite_job.html", job=job, failures=invitations.job_failures(job))


@bp.post("/can-bo/<int:person_id>/gui-loi-moi")
@login_required
def resend(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    require(current_user, Action.EDIT_PERSON, person)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    account = db.session.scalar(select(Account).where(Account.person_id == person.id)) or abort(404)
    chosen = invitations.sort_accounts([account])
    if not chosen.invite:
        flash(gettext("Không gửi được lời mời: người này đã kích hoạt tài khoản, không còn làm việc hoặc chưa có "
                      "e-mail (hãy in thư kích hoạt)."), "error")
        return redirect(url_for("org.person_detail", person_id=person.id))
    invitations.invite(chosen.invite, current_user, source=f"person:{person.employee_code}",
                       counts=chosen.counts())
    db.session.commit()
    flash(gettext("Đã gửi lại lời mời tới %(email)s; đường liên kết cũ không còn dùng được.", email=person.email),
          "success")
    return redirect(url_for("org.person_detail", person_id=person.id))


@bp.post("/don-vi/<int:unit_id>/thu-kich-hoat")
@login_required
def print_letters(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    require(current_user, Action.EDIT_PERSON, unit)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = letters.recipients(unit)
    accounts = [a for a in chosen.no_email if can(current_user, Action.EDIT_PERSON, a.person)]
    if not accounts:
        flash(gettext("Không có ai cần thư kích hoạt: mọi người chưa kích hoạt của đơn vị đều có e-mail (hãy gửi "
                      "lời mời) hoặc đã kích hoạt."), "info")
        return redirect(url_for("org.unit_detail", unit_id=unit.id))
    pdf = letters.render(unit, letters.issue(accounts, unit, current_user))
    db.session.commit()  # the codes are issued only once their letters exist
    name = f"thu-kich-hoat-{secure_filename(unit.code) or unit.id}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.app_template_global()
def invitation_info(account: Account | None) -> dict | None:
    """For ``org/_invitation_panel.html``: the latest invitation and letter, and whether HR may resend."""
    if account is None:
        return None
    from learning.auth import tokens  # noqa: PLC0415
    from learning.auth.models import TokenPurpose  # noqa: PLC0415

    def state(token):
        if token is None:
            return None
        status = "used" if token.used_at else ("valid" if tokens.is_valid(token) else "expired")
        return {"token": token, "status": status}

    chosen = invitations.sort_accounts([account])
    return {"invitation": state(tokens.latest(account, TokenPurpose.INVITATION)),
            "letter": state(tokens.latest(account, TokenPurpose.LETTER)),
            "may_resend": bool(chosen.invite), "no_email": bool(chosen.no_email)}
