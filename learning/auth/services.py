"""Log-in checks, passwords and roles. Callers own the transaction (sessions: ``auth.sessions``)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from functools import cache

from flask import current_app
from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, or_, select
from zxcvbn import zxcvbn

from learning.audit.services import record
from learning.auth import ldap, passwords, sessions, throttle
from learning.auth.models import Account, AccountStatus, Role, RoleGrant, person_present
from learning.core.text import ascii_fold, clean
from learning.extensions import db
from learning.org.models import Person, Unit

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class LoginResult:
    """``account`` when the password is right and the account may sign in (``method``: ``password`` or ``ldap``);
    ``wait`` (seconds) when throttled; ``refused`` (the message saying why) when the password is right but the
    account may not sign in; ``unavailable`` when the directory (LDAP) could not be asked and nothing else
    signed the person in."""

    account: Account | None
    wait: int = 0
    refused: str | None = None
    method: str = "password"
    unavailable: bool = False


LOCAL_LOGIN_OFF = lazy_gettext("Đăng nhập bằng mật khẩu riêng của hệ thống đã được tắt. Hãy đăng nhập bằng tài "
                               "khoản công vụ của tỉnh (đăng nhập một lần – SSO) ở trang đăng nhập.")
LDAP_NO_PERSON = lazy_gettext("Tài khoản công vụ của bạn đúng, nhưng chưa có hồ sơ cán bộ nào trên hệ thống khớp "
                              "với mã cán bộ hoặc e-mail của tài khoản đó. Hãy liên hệ bộ phận tổ chức cán bộ của "
                              "đơn vị để được bổ sung vào danh sách cán bộ.")


@cache
def _dummy_hash() -> str:
    """A hash made like real ones, checked when there is no account or no password, so both take as long."""
    return passwords.hash_password(secrets.token_urlsafe(16))


def _verify(account: Account | None, password: str) -> bool:
    """Exactly one password hash check, whether or not the account exists or has a password."""
    stored = account.password_hash if account is not None and account.password_hash else None
    matches = passwords.verify(stored or _dummy_hash(), password)
    return matches and stored is not None


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


def local_login_allowed(account: Account) -> bool:
    """Whether this account may sign in with the site's own password: always while ``LOCAL_LOGIN`` is on; when it
    is off, only the break-glass administrators (``LOCAL_LOGIN_BREAK_GLASS`` codes holding the admin role)."""
    config = current_app.config
    if config.get("LOCAL_LOGIN", True):
        return True
    codes = {c.strip().lower() for c in (config.get("LOCAL_LOGIN_BREAK_GLASS") or "").split(",") if c.strip()}
    return account.person.employee_code.lower() in codes and account.has_role(Role.ADMIN)


def _directory(identifier: str, account: Account | None, password: str) -> tuple[ldap.Entry | None, bool]:
    """The LDAP entry the password proves (searched by what was typed and the local account's code and e-mail),
    and whether the directory was down."""
    if not ldap.enabled():
        return None, False
    values = [clean(identifier)]
    if account is not None:
        values += [account.person.employee_code, account.person.email or ""]
    try:
        return ldap.check(values, password), False
    except ldap.Unavailable as error:
        log.warning("LDAP directory unavailable: %s", error)
        return None, True


def _directory_sign_in(entry: ldap.Entry) -> LoginResult:
    account = ldap.linked_account(entry)
    if account is None:
        return LoginResult(None, refused=str(LDAP_NO_PERSON))
    problem = sessions.refusal(account)
    if problem and not (account.status == AccountStatus.INVITED and person_present(account.person)):
        record("auth.login_refused", obj=account, status=account.status, method="ldap")
        return LoginResult(None, refused=problem)
    return LoginResult(account, method="ldap")


def authenticate(identifier: str, password: str, *, address: str, device_account: int | None = None) -> LoginResult:
    """Check credentials under the throttle: the directory's password first when LDAP is on, then the site's own.
    An unknown identifier and a wrong password give the same result after the same work; failures are audited
    with no actor (nobody proved who they are). Whatever only the right password may learn (the account may not
    use a local password, has no person, is locked) is said only after the password is proven. ``device_account``:
    the account this browser signed in to before (``sessions.device_account_id``)."""
    account = find_account(identifier)
    ident = clean(identifier).lower()
    key = throttle.account_key(account.id if account else None, ident)
    trusted = account is not None and account.id == device_account
    wait = throttle.wait_seconds(key, address, trusted)
    if wait:
        return LoginResult(None, wait=wait)
    entry, down = _directory(identifier, account, password)
    if entry is not None:
        throttle.note_success(key, address)
        return _directory_sign_in(entry)
    if not _verify(account, password):
        throttle.note_failure(key, address, trusted)
        record("auth.login_failed", obj=account, object_type="account", identifier=ident[:80],
               reason="password" if account else "unknown", **({"ldap_down": True} if down else {}))
        return LoginResult(None, unavailable=down)
    throttle.note_success(key, address)
    if not local_login_allowed(account):
        record("auth.login_refused", obj=account, reason="local_login_off")
        return LoginResult(None, unavailable=True) if down else LoginResult(None, refused=str(LOCAL_LOGIN_OFF))
    problem = sessions.refusal(account)
    if problem:
        record("auth.login_refused", obj=account, status=account.status)
        return LoginResult(None, refused=problem)
    account.upgrade_password_hash(password)  # an older scrypt/pbkdf2 hash becomes argon2id; committed with the log-in
    return LoginResult(account)


# Words a guesser tries first here, beside zxcvbn's own (English) lists and the person's own details.
LOCAL_GUESSES = ("matkhau", "anhyeuem", "emyeuanh", "hoctap", "congchuc", "canbo", "vienchuc", "elearning",
                 "quangninh", "vietnam", "hanoi", "admin", "qwerty")
MIN_PASSWORD_SCORE = 3  # zxcvbn: 0 (too guessable) … 4 (very unguessable)


def _person_words(person: Person | None) -> list[str]:
    if person is None:
        return []
    name = person.full_name or ""
    words = [person.employee_code, *name.split(), name.replace(" ", ""), f"{person.given_name}{person.middle_name}"]
    if person.email:
        words.append(person.email.split("@")[0])
    if person.birth_date:
        words += [person.birth_date.strftime(fmt) for fmt in ("%d%m%Y", "%Y", "%d%m%y")]
    return [ascii_fold(w).lower() for w in words if w]


def password_problem(password: str, person: Person | None = None) -> str | None:
    """A message in the user's language saying what to fix, or None when the password is acceptable: at least
    ten characters, not the employee code, and not guessable by zxcvbn (score ≥ 3) knowing the person's name,
    code, e-mail, birth date, the province and common Vietnamese password words."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH)
    if person is not None and person.employee_code.lower() in password.lower():
        return gettext("Mật khẩu không được chứa mã cán bộ của bạn.")
    place = ascii_fold(current_app.config.get("ORG_PLACE", "")).replace(" ", "").lower()
    guesses = [*LOCAL_GUESSES, place, *_person_words(person)]
    if zxcvbn(password[:100], user_inputs=[g for g in guesses if g])["score"] < MIN_PASSWORD_SCORE:
        return gettext("Mật khẩu này quá dễ đoán (mật khẩu phổ biến, tên, ngày sinh hay chuỗi lặp). "
                       "Hãy dùng một cụm vài từ mà người khác không đoán được, ví dụ “Hoa-sen-tim-nở-sớm”.")
    return None


def change_password(account: Account, new_password: str) -> None:
    """Set a new password and end every session; the caller renews the current one (``sessions.renew``)."""
    account.set_password(new_password)
    account.must_change_password = False
    account.end_sessions()
    record("auth.password_changed", actor_id=account.id, obj=account)


def reset_password(account: Account, *, by: Account) -> str:
    """Set a random temporary password that must be changed at next log-in; return it."""
    temporary = secrets.token_urlsafe(9)
    account.set_password(temporary)
    account.must_change_password = True
    account.end_sessions()
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
