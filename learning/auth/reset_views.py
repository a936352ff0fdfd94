"""Forgotten password pages: ask for a link, then choose a new password from it (``auth.reset``)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from learning.auth import reset, services, sessions, tokens
from learning.auth.forms import ForgotPasswordForm, SetPasswordForm
from learning.auth.models import TokenPurpose
from learning.extensions import db, limiter

bp = Blueprint("password", __name__)


def _request_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@limiter.limit(_request_limit, methods=["POST"], error_message="Quá nhiều yêu cầu đặt lại mật khẩu.")
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        reset.request_reset(form.identifier.data)
        db.session.commit()
        return redirect(url_for("password.requested"))
    return render_template("auth/forgot_password.html", form=form), 400 if request.method == "POST" else 200


@bp.get("/quen-mat-khau/da-gui")
def requested():
    return render_template("auth/reset_requested.html")


@bp.route("/dat-lai-mat-khau/<secret>", methods=["GET", "POST"])
@limiter.limit(_request_limit, methods=["POST"], error_message="Quá nhiều lần đặt lại mật khẩu.")
def with_link(secret: str):
    token = tokens.find(secret, TokenPurpose.PASSWORD_RESET)
    if token is None or sessions.refusal(token.account) is not None:
        return render_template("auth/link_invalid.html", refused=token and sessions.refusal(token.account)), 410
    if current_user.is_authenticated and current_user.id != token.account_id:
        sessions.logout(current_user._get_current_object())  # a shared computer: the link is someone else's
    form = SetPasswordForm()
    status = 200
    if form.validate_on_submit():
        problem = services.password_problem(form.password.data, token.account.person)
        if problem:
            form.password.errors.append(problem)
        else:
            account = reset.set_new_password(token, form.password.data)
            if account is None:  # the same form submitted twice: the first one did it
                db.session.rollback()
                return render_template("auth/link_invalid.html", refused=None), 410
            target = sessions.complete_login(account, method="password_reset")
            db.session.commit()
            flash(gettext("Đã đặt mật khẩu mới."), "success")
            return redirect(target)
        status = 400
    elif request.method == "POST":
        status = 400
    return render_template("auth/reset_password.html", form=form, person=token.account.person), status
