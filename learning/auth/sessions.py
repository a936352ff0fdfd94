"""Sessions: one way to finish a sign-in for every method, and the session version that ends them.

``complete_login`` is what every log-in path calls once the person proved who they are (password here; SSO,
activation links and codes elsewhere): it renews the session (a fresh CSRF secret, nothing of the anonymous
session but the language and a pending quiz page), asks for the second factor when the account has one,
then signs in with the current session version, notes the last sign-in and audits it.

Flask-Login keeps ``Account.get_id()`` — ``"<id>:<session_version>"`` — in the session and in the remember
cookie; the user loader (``auth.principal.load``) accepts it only while the version is the account's current one
and the account may sign in, so bumping the version (``Account.end_sessions``) ends every session and remember
cookie at once.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import after_this_request, current_app, flash, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from learning.audit.services import record
from learning.auth import mfa, principal
from learning.auth.models import Account, AccountStatus, person_present
from learning.core.dates import utcnow

KEPT_SESSION_KEYS = ("lang", "pending_answers")  # the language, and a quiz page posted after expiry
DEVICE_COOKIE = "thiet_bi"
DEVICE_DAYS = 180

REFUSALS = {
    AccountStatus.LOCKED: lazy_gettext("Tài khoản của bạn đang bị khóa. Vui lòng liên hệ bộ phận tổ chức cán bộ "
                                       "hoặc quản trị hệ thống để được mở khóa."),
    AccountStatus.DISABLED: lazy_gettext("Tài khoản của bạn đã bị vô hiệu hóa vì bạn không còn công tác tại đơn "
                                         "vị. Nếu thông tin này chưa đúng, hãy liên hệ bộ phận tổ chức cán bộ."),
    AccountStatus.INVITED: lazy_gettext("Tài khoản chưa được kích hoạt. Hãy dùng đường liên kết hoặc mã kích hoạt "
                                        "trong thư mời, hoặc liên hệ bộ phận tổ chức cán bộ."),
}


def refusal(account: Account) -> str | None:
    """Why this account cannot sign in now (a message for the person), or None when it can. Activation and
    SSO may sign in an ``invited`` account; they call this only for the other statuses."""
    if not person_present(account.person):
        return str(REFUSALS[AccountStatus.DISABLED])
    if account.status in REFUSALS:
        return str(REFUSALS[AccountStatus(account.status)])
    return None


def safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("core.home_page")


def regenerate() -> None:
    """A new session: the CSRF secret and everything else of the old one go, but the kept keys."""
    kept = {key: session[key] for key in KEPT_SESSION_KEYS if key in session}
    session.clear()
    session.update(kept)


def complete_login(account: Account, *, remember: bool = False, method: str = "password",
                   next_url: str | None = None) -> str:
    """Finish a sign-in by any method; returns the URL to redirect to. The caller checked the credentials and
    ``refusal`` (an ``invited`` account becomes ``active`` here: its first sign-in) and commits.

    An account with a second factor (or one its roles require: ``MFA_REQUIRED_ROLES``) is not signed in here:
    the session gets a pending marker and the URL returned is the code page (or the forced enrolment), whose
    views call ``finish_login`` once the code is right (``auth.mfa``, ``auth.mfa_views``)."""
    if account.status in (AccountStatus.LOCKED, AccountStatus.DISABLED) or not person_present(account.person):
        raise ValueError("complete_login on an account that may not sign in")
    regenerate()
    step = mfa.second_step(account)
    if step:  # not signed in yet: the code page (or a forced enrolment) calls finish_login
        mfa.begin_pending(account, step=step, remember=remember, method=method, next_url=next_url)
        return url_for("mfa.challenge" if step == "code" else "mfa.login_enrol")
    return finish_login(account, remember=remember, method=method, next_url=next_url)


def finish_login(account: Account, *, remember: bool, method: str, next_url: str | None,
                 second_factor: str | None = None) -> str:
    """The last step of ``complete_login`` (after the second factor, if any)."""
    if account.status == AccountStatus.INVITED:
        account.status = AccountStatus.ACTIVE.value
    account.last_login_at = utcnow()
    login_user(account, remember=remember, fresh=True)
    principal.keep(account)
    detail = {"method": method} | ({"mfa": second_factor} if second_factor else {})
    record("auth.login", actor_id=account.id, obj=account, **detail)
    _remember_device(account)
    if account.must_change_password:
        flash(gettext("Bạn đang dùng mật khẩu tạm thời. Hãy đặt mật khẩu mới."), "info")
        return url_for("auth.change_password")
    return safe_next(next_url)


def renew(account: Account) -> None:
    """Keep the current browser signed in after the account's version was bumped (its own password change):
    a new session, and a new remember cookie if it had one; every other session has ended."""
    account = principal.real_account(account)
    had_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    regenerate()
    login_user(account, remember=had_cookie, fresh=True)
    principal.keep(account)


def logout(account: Account) -> None:
    """Log-out ends every session and remember cookie of the account (the issue's rule), not only this one."""
    account = principal.real_account(account)
    account.end_sessions()
    record("auth.logout", actor_id=account.id, obj=account)
    logout_user()
    regenerate()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _remember_device(account: Account) -> None:
    token = _serializer().dumps(account.id)

    @after_this_request
    def set_cookie(response):
        response.set_cookie(DEVICE_COOKIE, token, max_age=int(timedelta(days=DEVICE_DAYS).total_seconds()),
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response


def device_account_id() -> int | None:
    """The account this browser signed in to before (its signed device cookie), if any."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return None
    try:
        value = _serializer().loads(token, max_age=int(timedelta(days=DEVICE_DAYS).total_seconds()))
    except BadSignature:
        return None
    return value if isinstance(value, int) else None
