"""Forgotten password by e-mail: a single-use link valid for an hour (issue 14, item 3).

The request page answers the same, after the same work, whether or not the code or address names an account:
it only records the request and queues ``auth.send_reset``; the background task decides whether a mail goes
out (a present person with an e-mail, an account that may sign in, at most ``RESET_PER_ACCOUNT_HOUR`` links an
hour) and makes the link. Requests are limited per address by the view.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from learning import jobs
from learning.audit.services import record
from learning.auth import services, sessions, tokens
from learning.auth.models import Account, AccountStatus, AccountToken, TokenPurpose
from learning.core.dates import format_datetime, utcnow
from learning.core.text import clean
from learning.extensions import db
from learning.notify import mail

log = logging.getLogger(__name__)
RESET_LIFETIME = timedelta(hours=1)
RESET_PER_ACCOUNT_HOUR = 3


def request_reset(identifier: str) -> None:
    """Record the request and queue the mail; the caller commits. Nothing here depends on the answer."""
    account = services.find_account(identifier)
    record("auth.reset_requested", obj=account, object_type="account", identifier=clean(identifier).lower()[:80])
    if account is not None:
        jobs.after_commit("auth.send_reset", account_id=account.id)


def may_reset(account: Account) -> bool:
    """A link goes only to a person who is present, has an e-mail and whose account is not locked or disabled,
    and at most ``RESET_PER_ACCOUNT_HOUR`` times an hour."""
    if not account.person.email or sessions.refusal(account) is not None:
        return False
    recent = db.session.scalar(
        select(func.count()).select_from(AccountToken)
        .where(AccountToken.account_id == account.id, AccountToken.purpose == TokenPurpose.PASSWORD_RESET.value,
               AccountToken.created_at > utcnow() - timedelta(hours=1))
    )
    return recent < RESET_PER_ACCOUNT_HOUR


@jobs.task("auth.send_reset")
def send_reset(account_id: int) -> None:
    account = db.session.get(Account, account_id)
    if account is None or not may_reset(account):
        return
    secret, token = tokens.issue(account, TokenPurpose.PASSWORD_RESET, RESET_LIFETIME)
    base = current_app.config["BASE_URL"]
    text = mail.letter(account.person.full_name, [
        "Có yêu cầu đặt lại mật khẩu cho tài khoản học trực tuyến của bạn "
        f"(mã cán bộ {account.person.employee_code}). Để đặt mật khẩu mới, mở liên kết sau:",
        "",
        f"{base}/dat-lai-mat-khau/{secret}",
        "",
        f"Liên kết chỉ dùng được một lần và hết hạn lúc {format_datetime(token.expires_at)}.",
        "Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu hiện tại vẫn giữ nguyên.",
    ])
    db.session.commit()  # the link exists before the mail that carries it
    mail.send_mail(account.person.email, "Đặt lại mật khẩu — Học tập trực tuyến", text)
    record("auth.reset_sent", obj=account)


def set_new_password(token: AccountToken, password: str) -> Account | None:
    """Use the link once: the new password, every other session ended; None when the link was used meanwhile
    (a double-clicked submit). The caller checked the policy, signs the person in and commits."""
    if not tokens.consume(token):
        return None
    account = token.account
    account.set_password(password)
    account.must_change_password = False
    if account.status == AccountStatus.INVITED:
        account.status = AccountStatus.ACTIVE.value
    account.end_sessions()
    record("auth.password_reset_by_link", actor_id=account.id, obj=account)
    return account
