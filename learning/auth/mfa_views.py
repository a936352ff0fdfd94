"""Second-factor pages: the code page and forced enrolment of a pending sign-in, the person's own settings
(turn on, turn off, new recovery codes), the QR image, and an administrator's reset (``auth.mfa``)."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from learning.audit.services import record
from learning.auth import mfa, sessions
from learning.auth.models import Account
from learning.auth.permissions import Action, require
from learning.extensions import db

bp = Blueprint("mfa", __name__)

REQUIRED = lazy_gettext("Vui lòng nhập trường này.")
WRONG_CODE = lazy_gettext("Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã đang hiển thị trong ứng dụng "
                          "xác thực (6 chữ số), hoặc một mã dự phòng chưa dùng.")
WRONG_ENROL_CODE = lazy_gettext("Mã chưa đúng. Hãy kiểm tra giờ trên điện thoại rồi nhập mã 6 chữ số đang "
                                "hiển thị trong ứng dụng xác thực.")
THROTTLED = lazy_gettext("Nhập sai mã nhiều lần. Vui lòng thử lại sau %(seconds)s giây.")
UNREADABLE = lazy_gettext("Không đọc được khóa xác thực hai bước của tài khoản. Hãy liên hệ quản trị hệ thống "
                          "để được đặt lại xác thực hai bước.")
EXPIRED = lazy_gettext("Phiên đăng nhập đã hết hạn hoặc không còn hợp lệ. Vui lòng đăng nhập lại.")


class CodeForm(FlaskForm):
    code = StringField(lazy_gettext("Mã xác thực"), validators=[DataRequired(REQUIRED), Length(max=40)])


class ResetForm(FlaskForm):
    confirm = BooleanField(lazy_gettext("Tôi xác nhận đặt lại xác thực hai bước của người này"),
                           validators=[DataRequired(lazy_gettext("Hãy đánh dấu ô xác nhận trước khi đặt lại."))])


# What a signed-in holder of a required role without MFA may still open: enrolment itself, log-out, language.
OPEN_WHILE_ENROLLING = {"mfa.enrol", "mfa.qr", "mfa.settings", "auth.logout", "core.set_language", "core.healthz",
                        "static"}


@bp.before_app_request
def enrol_before_anything_else():
    """A session that began before its role required MFA (a role granted, the setting changed, an admin's
    reset): the first page it opens is the enrolment."""
    if (request.endpoint in OPEN_WHILE_ENROLLING or request.path.startswith("/api/")
            or not current_user.is_authenticated or current_user.mfa_enrolled or not mfa.is_required(current_user)):
        return None
    flash(gettext("Vai trò của bạn bắt buộc xác thực hai bước. Hãy bật ngay để tiếp tục."), "info")
    return redirect(url_for("mfa.enrol"))


def _no_store(response: Response | str, status: int = 200) -> Response:
    """Pages that show a secret or a code form: never kept by a browser or proxy, signed in or not."""
    response = make_response(response, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _pending_or_login():
    found = mfa.pending()
    if found is None:
        mfa.clear_pending()
        flash(str(EXPIRED), "info")
    return found


def _address() -> str:
    return request.remote_addr or ""


def _code_problem(form: CodeForm, result: mfa.CodeResult, wrong=WRONG_CODE) -> int:
    """Put the reason for a refused code on the form; returns the status of the page."""
    if result.wait:
        form.code.errors.append(THROTTLED % {"seconds": result.wait})
        return 429
    if result.unreadable:
        form.code.errors.append(str(UNREADABLE))
        return 409
    form.code.errors.append(str(wrong))
    return 400


@bp.route("/dang-nhap/ma-xac-thuc", methods=["GET", "POST"])
def challenge():
    if current_user.is_authenticated:
        return redirect(url_for("core.home_page"))
    found = _pending_or_login()
    if found is None:
        return redirect(url_for("auth.login"))
    account, marker = found
    if not account.mfa_enrolled:  # reset by an administrator meanwhile
        if mfa.is_required(account):
            return redirect(url_for("mfa.login_enrol"))
        mfa.clear_pending()
        flash(str(EXPIRED), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        result = mfa.check_code(account, form.code.data, address=_address())
        if result.kind:
            return redirect(_finish(account, marker, result.kind))
        db.session.commit()  # the failure's audit event
        status = _code_problem(form, result)
    elif request.method == "POST":
        status = 400
    return _no_store(render_template("auth/mfa_challenge.html", form=form), status)


def _finish(account: Account, marker: dict, kind: str) -> str:
    mfa.clear_pending()
    sessions.regenerate()
    target = sessions.finish_login(account, remember=marker.get("remember", False),
                                   method=marker.get("method", "password"), next_url=marker.get("next"),
                                   second_factor=kind)
    if kind == "recovery":
        left = mfa.recovery_codes_left(account)
        flash(gettext("Bạn vừa dùng một mã dự phòng; còn %(n)s mã. Có thể tạo bộ mã mới trong mục "
                      "Xác thực hai bước.", n=left), "info")
    return target


def _enrolment_page(account: Account, form: CodeForm, status: int = 200, *, pending: bool) -> Response:
    secret = mfa.enrolment_secret(account)
    return _no_store(render_template("auth/mfa_enrol.html", form=form, secret=mfa.group_secret(secret),
                                     pending=pending, required=mfa.is_required(account)), status)


@bp.route("/dang-nhap/dang-ky-xac-thuc", methods=["GET", "POST"])
def login_enrol():
    """A role that requires MFA, not enrolled yet: enrol before being signed in at all."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home_page"))
    found = _pending_or_login()
    if found is None:
        return redirect(url_for("auth.login"))
    account, marker = found
    if account.mfa_enrolled:
        return redirect(url_for("mfa.challenge"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = mfa.confirm_enrolment(account, mfa.enrolment_secret(account), form.code.data)
        if codes is not None:
            target = _finish(account, marker, "totp")
            return _no_store(render_template("auth/mfa_recovery_codes.html", codes=codes, next_url=target))
        form.code.errors.append(str(WRONG_ENROL_CODE))
    status = 400 if request.method == "POST" else 200
    return _enrolment_page(account, form, status, pending=True)


@bp.get("/xac-thuc-hai-buoc/ma-qr.svg")
def qr():
    """The QR code of the secret being enrolled in this session (signed in, or a pending sign-in)."""
    if current_user.is_authenticated:
        account = current_user
    else:
        found = mfa.pending()
        account = found[0] if found else None
    secret = mfa.held_enrolment_secret(account.id) if account is not None else None
    if secret is None:
        abort(404)
    buffer = io.BytesIO()
    segno.make(mfa.provisioning_uri(account, secret), error="m").save(buffer, kind="svg", scale=5, border=4,
                                                                      xmldecl=False, dark="#1b1f24")
    response = _no_store(buffer.getvalue())
    response.mimetype = "image/svg+xml"
    return response


@bp.get("/tai-khoan/xac-thuc-hai-buoc")
@login_required
def settings():
    return _no_store(render_template("auth/mfa_settings.html", form=CodeForm(), required=mfa.is_required(current_user),
                                     left=mfa.recovery_codes_left(current_user)))


@bp.route("/tai-khoan/xac-thuc-hai-buoc/dang-ky", methods=["GET", "POST"])
@login_required
def enrol():
    account = current_user._get_current_object()
    if account.mfa_enrolled:
        flash(gettext("Xác thực hai bước đã được bật."), "info")
        return redirect(url_for("mfa.settings"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = mfa.confirm_enrolment(account, mfa.enrolment_secret(account), form.code.data)
        if codes is not None:
            mfa.clear_pending()
            return _no_store(render_template("auth/mfa_recovery_codes.html", codes=codes,
                                             next_url=url_for("mfa.settings")))
        form.code.errors.append(str(WRONG_ENROL_CODE))
    status = 400 if request.method == "POST" else 200
    return _enrolment_page(account, form, status, pending=False)


def _own_code_or_page(form: CodeForm, account: Account):
    """None when the posted code is right; else the settings page with the reason."""
    if not account.mfa_enrolled:
        flash(gettext("Xác thực hai bước chưa được bật."), "info")
        return redirect(url_for("mfa.settings"))
    status = 400
    if form.validate_on_submit():
        result = mfa.check_code(account, form.code.data, address=_address())
        if result.kind:
            return None
        db.session.commit()  # the failure's audit event
        status = _code_problem(form, result)
    return _no_store(render_template("auth/mfa_settings.html", form=form, required=mfa.is_required(account),
                                     left=mfa.recovery_codes_left(account)), status)


@bp.post("/tai-khoan/xac-thuc-hai-buoc/tat")
@login_required
def disable():
    account = current_user._get_current_object()
    if mfa.is_required(account):
        flash(gettext("Vai trò của bạn bắt buộc xác thực hai bước; không thể tắt."), "error")
        return redirect(url_for("mfa.settings"))
    form = CodeForm()
    page = _own_code_or_page(form, account)
    if page is not None:
        return page
    mfa.disable(account)
    flash(gettext("Đã tắt xác thực hai bước."), "success")
    return redirect(url_for("mfa.settings"))


@bp.post("/tai-khoan/xac-thuc-hai-buoc/ma-du-phong")
@login_required
def new_recovery_codes():
    account = current_user._get_current_object()
    form = CodeForm()
    page = _own_code_or_page(form, account)
    if page is not None:
        return page
    codes = mfa.new_recovery_codes(account)
    record("auth.mfa_recovery_renewed", actor_id=account.id, obj=account)
    return _no_store(render_template("auth/mfa_recovery_codes.html", codes=codes, next_url=url_for("mfa.settings")))


@bp.post("/tai-khoan/<int:account_id>/dat-lai-xac-thuc")
@login_required
def reset(account_id: int):
    account = db.session.get(Account, account_id) or abort(404)
    require(current_user, Action.MANAGE_ACCOUNTS, account.person)
    form = ResetForm()
    target = url_for("org.person_detail", person_id=account.person_id)
    if not form.validate_on_submit():  # a missing CSRF token is refused before (CSRFProtect)
        flash(gettext("Hãy đánh dấu ô xác nhận trước khi đặt lại."), "error")
        return redirect(target)
    mfa.reset(account, by=current_user)
    flash(gettext("Đã đặt lại xác thực hai bước của %(name)s. Lần đăng nhập tới, người này đăng ký lại nếu vai trò "
                  "bắt buộc.", name=account.person.full_name), "success")
    return redirect(target)
