"""Log-in, lock-out and password operations. Callers own the transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import func, or_, select

from learning.audit.services import record
from learning.auth.models import Account, AccountStatus, Role, RoleGrant
from learning.core.dates import utcnow
from learning.core.text import clean
from learning.extensions import db
from learning.org.models import Person, Unit

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    locked: bool = False


def find_account(identifier: str) -> Account | None:
    """An account by employee code (case-insensitive) or e-mail."""
    ident = clean(identifier).lower()
    if not ident:
        return None
    return db.session.scalar(
        select(Account)
        .join(Person)
        .where(or_(func.lower(Person.employee_code) == ident, func.lower(Person.email) == ident))
    )


def authenticate(identifier: str, password: str, *, max_failures: int, lockout_minutes: int) -> LoginResult:
    """Check credentials; count failures and lock the account after ``max_failures``.

    The caller shows the same message for an unknown account and a wrong password.
    """
    account = find_account(identifier)
    now = utcnow()
    if account is None:
        record("auth.login_failed", reason="unknown", identifier=clean(identifier)[:80])
        return LoginResult(None)
    if account.is_locked(now):
        record("auth.login_refused_locked", actor_id=account.id, obj=account)
        return LoginResult(None, locked=True)
    if not account.check_password(password) or not account.is_active:
        account.failed_logins += 1
        record("auth.login_failed", actor_id=account.id, obj=account, reason="password",
               failures=account.failed_logins)
        if account.failed_logins >= max_failures:
            account.locked_until = now + timedelta(minutes=lockout_minutes)
            account.failed_logins = 0
            record("auth.lockout", actor_id=account.id, obj=account,
                   until=account.locked_until.isoformat(), minutes=lockout_minutes)
            return LoginResult(None, locked=True)
        return LoginResult(None)
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = now
    record("auth.login", actor_id=account.id, obj=account)
    return LoginResult(account)


def password_problem(password: str, person: Person | None = None) -> str | None:
    """A message in the user's language saying what to fix, or None when the password is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH)
    if password.isdigit() or password.isalpha():
        return gettext("Mật khẩu cần có cả chữ và số (hoặc ký tự đặc biệt).")
    if person is not None and person.employee_code.lower() in password.lower():
        return gettext("Mật khẩu không được chứa mã cán bộ của bạn.")
    return None


def change_password(account: Account, new_password: str) -> None:
    account.set_password(new_password)
    account.must_change_password = False
    record("auth.password_changed", actor_id=account.id, obj=account)


def reset_password(account: Account, *, by: Account) -> str:
    """Set a random temporary password that must be changed at next log-in; return it."""
    temporary = secrets.token_urlsafe(9)
    account.set_password(temporary)
    account.must_change_password = True
    account.failed_logins = 0
    account.locked_until = None
    record("auth.password_reset", actor_id=by.id, obj=account, person=account.person.employee_code)
    return temporary


def ensure_account(person: Person, password: str | None = None) -> Account:
    """The person's account, created (with a random unusable password if none given); giving a password
    activates an invited account (demo log-ins, ``users create-admin``)."""
    account = db.session.scalar(select(Account).where(Account.person_id == person.id))
    if account is None:
        account = Account(person=person)
        account.set_password(password or secrets.token_urlsafe(24))
        db.session.add(account)
    elif password is not None:
        account.set_password(password)
    if password is not None and account.status == AccountStatus.INVITED:
        account.status = AccountStatus.ACTIVE.value
    return account


def _grant_labels(grants: list[RoleGrant]) -> list[str]:
    """``role@unit code`` (``*`` = whole province), for the before/after of role changes."""
    return sorted(f"{g.role}@{g.unit.code if g.unit else '*'}" for g in grants)


def grant_role(account: Account, role: Role, unit: Unit | None, *, by: Account | None) -> RoleGrant:
    for grant in account.grants:
        if grant.role == role.value and grant.unit_id == (unit.id if unit else None):
            return grant
    before = _grant_labels(account.grants)
    grant = RoleGrant(role=role.value, unit=unit)
    account.grants.append(grant)
    record("auth.role_granted", actor_id=by.id if by else None, obj=account, role=role.value,
           unit=unit.code if unit else None, person=account.person.employee_code,
           before=before, after=_grant_labels(account.grants))
    return grant


def revoke_role(grant: RoleGrant, *, by: Account) -> None:
    account = grant.account
    before = _grant_labels(account.grants)
    record("auth.role_revoked", actor_id=by.id, obj=account, role=grant.role,
           unit=grant.unit.code if grant.unit else None, person=account.person.employee_code,
           before=before, after=_grant_labels([g for g in account.grants if g is not grant]))
    db.session.delete(grant)
