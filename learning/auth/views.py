"""Log-in, log-out, password change; admin password reset and role grants (account actions: admin_views)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from learning.auth import ldap, oidc, services, sessions
from learning.auth.forms import ChangePasswordForm, ConfirmForm, GrantRoleForm, LoginForm, role_choices
from learning.auth.models import Account, Role, RoleGrant
from learning.auth.permissions import Action, require
from learning.extensions import db, limiter
from learning.org.models import Unit

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_ERROR = lazy_gettext("Mã cán bộ/e-mail hoặc mật khẩu không đúng.")
THROTTLED_ERROR = lazy_gettext("Đăng nhập sai nhiều lần. Vui lòng thử lại sau %(seconds)s giây.")
LDAP_DOWN_ERROR = lazy_gettext("Hiện không kết nối được máy chủ tài khoản công vụ của tỉnh (LDAP) nên chưa kiểm tra "
                               "được mật khẩu. Vui lòng thử lại sau ít phút; nếu vẫn không được, hãy báo bộ phận "
                               "quản trị hệ thống.")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="Quá nhiều lần đăng nhập.")
def login():
    if current_user.is_authenticated:
        return redirect(sessions.safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        result = services.authenticate(form.identifier.data, form.password.data, address=request.remote_addr or "",
                                       device_account=sessions.device_account_id())
        if result.account is not None:
            return redirect(sessions.complete_login(result.account, remember=form.remember.data,
                                                    method=result.method, next_url=form.next.data))
        db.session.commit()  # the failure's audit event, though the page is an error
        if result.wait:
            form.form_errors.append(THROTTLED_ERROR % {"seconds": result.wait})
            status = 429
        elif result.unavailable:
            form.form_errors.append(str(LDAP_DOWN_ERROR))
            status = 503
        else:
            form.form_errors.append(result.refused or str(GENERIC_LOGIN_ERROR))
            status = 401
    return render_template("auth/login.html", form=form, ldap_enabled=ldap.enabled(),
                           local_login=current_app.config.get("LOCAL_LOGIN", True)), status


@bp.post("/dang-xuat")
@login_required
def logout():
    provider_logout = oidc.logout_url()  # read before the session ends: signed in through the province's system
    sessions.logout(current_user._get_current_object())
    flash(gettext("Bạn đã đăng xuất."), "info")
    return redirect(provider_logout or url_for("auth.login"))


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        problem = None
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(gettext("Mật khẩu hiện tại không đúng."))
            problem = True
        else:
            problem = services.password_problem(form.new_password.data, current_user.person)
            if problem:
                form.new_password.errors.append(problem)
        if not problem:
            services.change_password(current_user, form.new_password.data)
            sessions.renew(current_user._get_current_object())
            flash(gettext("Đã đổi mật khẩu."), "success")
            return redirect(url_for("core.home_page"))
        status = 400
    elif request.method == "POST":
        status = 400
    return render_template("auth/change_password.html", form=form), status


def _account_or_404(account_id: int) -> Account:
    account = db.session.get(Account, account_id)
    if account is None:
        abort(404)
    return account


@bp.post("/tai-khoan/<int:account_id>/dat-lai-mat-khau")
@login_required
def reset_password(account_id: int):
    account = _account_or_404(account_id)
    require(current_user, Action.MANAGE_ACCOUNTS)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    temporary = services.reset_password(account, by=current_user)
    flash(gettext("Mật khẩu tạm thời của %(name)s: %(password)s — người dùng phải đổi mật khẩu khi đăng nhập.",
                  name=account.person.full_name, password=temporary), "success")
    return redirect(url_for("org.person_detail", person_id=account.person_id))


@bp.post("/tai-khoan/<int:account_id>/vai-tro")
@login_required
def grant_role(account_id: int):
    account = _account_or_404(account_id)
    require(current_user, Action.MANAGE_ACCOUNTS)
    form = GrantRoleForm()
    form.role.choices = role_choices()
    if not form.validate_on_submit():
        flash(gettext("Hãy chọn một vai trò hợp lệ."), "error")
        return redirect(url_for("org.person_detail", person_id=account.person_id))
    unit = None
    code = (form.unit_code.data or "").strip()
    if code:
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            flash(gettext("Không có đơn vị mã “%(code)s”. Hãy kiểm tra lại mã đơn vị.", code=code), "error")
            return redirect(url_for("org.person_detail", person_id=account.person_id))
    services.grant_role(account, Role(form.role.data), unit, by=current_user)
    flash(gettext("Đã cấp vai trò."), "success")
    return redirect(url_for("org.person_detail", person_id=account.person_id))


@bp.post("/vai-tro/<int:grant_id>/thu-hoi")
@login_required
def revoke_role(grant_id: int):
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None:
        abort(404)
    require(current_user, Action.MANAGE_ACCOUNTS)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    person_id = grant.account.person_id
    services.revoke_role(grant, by=current_user)
    flash(gettext("Đã thu hồi vai trò."), "success")
    return redirect(url_for("org.person_detail", person_id=person_id))
