"""Activation pages: the link of an invitation e-mail, or employee code + date of birth + the code of a letter,
then one set-password step that activates the account and signs the person in (``sessions.complete_login``).

Rate-limited per client address (``ACTIVATION_RATE_LIMIT``); wrong letter codes are also counted per account
(``LETTER_FAILURES_PER_HOUR``), and a wrong code and a wrong date of birth get the same answer.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import func, select

from learning.audit.services import record
from learning.auth import services, sessions, throttle, tokens
from learning.auth.forms import LetterCodeForm, SetPasswordForm
from learning.auth.models import Account, AccountStatus, AccountToken, TokenPurpose, person_present
from learning.core.forms import parse_local_date
from learning.core.text import clean
from learning.extensions import db, limiter
from learning.org.models import Person

bp = Blueprint("activation", __name__)
log = logging.getLogger(__name__)

LETTER_SESSION_KEY = "activation_letter"
LETTER_FAILURES_PER_HOUR = 5
WRONG_LETTER = lazy_gettext("Mã cán bộ, ngày sinh hoặc mã kích hoạt không đúng. Hãy kiểm tra lại từng ô theo "
                            "thư kích hoạt (ngày sinh dạng ngày/tháng/năm, ví dụ 05/09/1988).")
TOO_MANY = lazy_gettext("Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau một giờ, hoặc liên hệ bộ phận tổ chức "
                        "cán bộ để được cấp thư kích hoạt mới.")


def _limit() -> str:
    return current_app.config["ACTIVATION_RATE_LIMIT"]


def _problem_page(kind: str, status: int, message: str | None = None):
    """The plain page for a link or code that cannot be used: what happened and what to do."""
    return render_template("auth/activation_problem.html", kind=kind, message=message), status


def _link_problem(secret: str):
    """Why this link does not work (expired, used, unknown) — told apart only for real links."""
    token = None
    if secret and len(secret) <= 200:
        token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == tokens.digest(secret),
                                                             AccountToken.purpose == TokenPurpose.INVITATION.value))
    if token is None:
        return _problem_page("forged", 404)
    if token.used_at is not None and current_user.is_authenticated and current_user.id == token.account_id:
        return redirect(url_for("core.home_page"))  # a double-submit: the first one activated and signed in
    if token.used_at is not None:
        return _problem_page("active" if token.account.status == AccountStatus.ACTIVE else "used", 410)
    return _problem_page("expired", 410)


def _refused(account: Account):
    """A disabled or locked account, or a person who left: their own message (None: may activate)."""
    if account.status in (AccountStatus.INVITED, AccountStatus.ACTIVE) and person_present(account.person):
        return None
    return _problem_page("refused", 403, sessions.refusal(account))


def _set_password(token: AccountToken, method: str, action: str):
    """The shared set-password step for a valid token; activates and signs in on success."""
    account = token.account
    refused = _refused(account)
    if refused is not None:
        return refused
    form = SetPasswordForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/activate.html", form=form, person=account.person, action=action), status
    problem = services.password_problem(form.password.data, account.person)
    if problem:
        form.password.errors.append(problem)
        return render_template("auth/activate.html", form=form, person=account.person, action=action), 400
    if not tokens.consume(token):  # a second submit of the same form, or a race: the first one counted
        db.session.rollback()
        if current_user.is_authenticated and current_user.id == account.id:
            return redirect(url_for("core.home_page"))
        return _problem_page("used", 410)
    account.set_password(form.password.data)
    account.must_change_password = False
    for purpose in (TokenPurpose.INVITATION, TokenPurpose.LETTER):  # the other activation secrets stop working
        tokens.retire(account, purpose)
    record("auth.activated", actor_id=account.id, obj=account, method=method,
           person=account.person.employee_code)
    target = sessions.complete_login(account, method=method)
    db.session.commit()
    return redirect(target)


@bp.route("/kich-hoat/<secret>", methods=["GET", "POST"])
@limiter.limit(_limit, error_message="Quá nhiều lần kích hoạt.")
def link(secret: str):
    token = tokens.find(secret, TokenPurpose.INVITATION)
    if token is None:
        return _link_problem(secret)
    return _set_password(token, "invitation", url_for("activation.link", secret=secret))


def _parse_birth_date(text: str):
    """The date of birth as every date field reads it (05/09/1988, 5/9/1988, 1988-09-05); None if unreadable:
    a wrong date counts as a failed try like a wrong code."""
    try:
        return parse_local_date(clean(text))
    except ValueError:
        return None


def _failures_key(account: Account | None, code: str) -> str:
    return "letter-fail/" + throttle.account_key(account.id if account else None, code)


def _count(key: str, add: bool) -> int:
    try:
        storage = limiter.storage
        return storage.incr(key, 3600) if add else int(storage.get(key) or 0)
    except Exception:  # noqa: BLE001 - the storage is down: the per-address limit still applies
        log.warning("activation throttle storage unavailable", exc_info=True)
        return 0


@bp.route("/kich-hoat-ma", methods=["GET", "POST"])
@limiter.limit(_limit, error_message="Quá nhiều lần kích hoạt.")
def code():
    form = LetterCodeForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/activate_code.html", form=form), status
    employee_code = clean(form.employee_code.data).lower()
    account = db.session.scalar(select(Account).join(Person, Person.id == Account.person_id)
                                .where(func.lower(Person.employee_code) == employee_code))
    key = _failures_key(account, employee_code)
    if _count(key, add=False) >= LETTER_FAILURES_PER_HOUR:
        form.form_errors.append(str(TOO_MANY))
        return render_template("auth/activate_code.html", form=form), 429
    born = _parse_birth_date(form.birth_date.data)
    token = None
    if account is not None:
        # The code is always checked, so a wrong date of birth takes as long as a wrong code.
        token = tokens.find_for_account(account, tokens.normalise_code(form.code.data), TokenPurpose.LETTER)
    if token is None or born is None or account.person.birth_date != born:
        _count(key, add=True)
        record("auth.activation_failed", obj=account, object_type="account", method="letter",
               identifier=employee_code[:40])
        db.session.commit()
        form.form_errors.append(str(WRONG_LETTER))
        return render_template("auth/activate_code.html", form=form), 400
    refused = _refused(account)
    if refused is not None:
        return refused
    session[LETTER_SESSION_KEY] = token.id
    return redirect(url_for("activation.code_password"))


@bp.route("/kich-hoat-ma/mat-khau", methods=["GET", "POST"])
@limiter.limit(_limit, error_message="Quá nhiều lần kích hoạt.")
def code_password():
    token_id = session.get(LETTER_SESSION_KEY)
    token = db.session.get(AccountToken, token_id) if isinstance(token_id, int) else None
    if token is None or token.purpose != TokenPurpose.LETTER.value or not tokens.is_valid(token):
        session.pop(LETTER_SESSION_KEY, None)
        return _problem_page("letter", 410, gettext("Phiên kích hoạt đã hết hoặc mã đã được dùng. Hãy nhập lại "
                                                    "mã cán bộ, ngày sinh và mã kích hoạt."))
    return _set_password(token, "letter", url_for("activation.code_password"))
