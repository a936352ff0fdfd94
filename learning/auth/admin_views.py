"""Account administration on the person page: disable/enable, lock/unlock (``auth.lifecycle``). Each action is a
POST with CSRF, allowed by ``permissions.may_change_account`` and audit-logged; disabling asks first."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.auth import lifecycle
from learning.auth.forms import ConfirmForm, DisableAccountForm
from learning.auth.models import Account
from learning.auth.permissions import may_change_account
from learning.extensions import db

bp = Blueprint("accounts", __name__)


def _changeable(account_id: int) -> Account:
    account = db.session.get(Account, account_id) or abort(404)
    if not may_change_account(current_user, account):
        abort(403)
    return account


def _back(account: Account):
    return redirect(url_for("org.person_detail", person_id=account.person_id))


def _act(account: Account, action, done: str):  # noqa: ANN001 - a lifecycle action
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(account, by=current_user)
    except lifecycle.AccountActionRefused as refused:
        flash(str(refused), "error")
    else:
        flash(done, "success")
    return _back(account)


@bp.route("/tai-khoan/<int:account_id>/vo-hieu-hoa", methods=["GET", "POST"])
@login_required
def disable(account_id: int):
    account = _changeable(account_id)
    form = DisableAccountForm()
    if form.validate_on_submit():
        try:
            lifecycle.disable(account, by=current_user, note=(form.note.data or "").strip())
        except lifecycle.AccountActionRefused as refused:
            flash(str(refused), "error")
        else:
            flash(gettext("Đã vô hiệu hóa tài khoản của %(name)s; mọi phiên đăng nhập đã kết thúc.",
                          name=account.person.full_name), "success")
        return _back(account)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account_disable.html", account=account, form=form), status


@bp.post("/tai-khoan/<int:account_id>/mo-lai")
@login_required
def enable(account_id: int):
    account = _changeable(account_id)
    return _act(account, lifecycle.enable, gettext("Đã mở lại tài khoản."))


@bp.post("/tai-khoan/<int:account_id>/khoa")
@login_required
def lock(account_id: int):
    account = _changeable(account_id)
    return _act(account, lifecycle.lock, gettext("Đã khóa tài khoản; mọi phiên đăng nhập đã kết thúc."))


@bp.post("/tai-khoan/<int:account_id>/mo-khoa")
@login_required
def unlock(account_id: int):
    account = _changeable(account_id)
    return _act(account, lifecycle.unlock, gettext("Đã mở khóa tài khoản."))
