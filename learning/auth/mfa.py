"""The second factor: TOTP codes (RFC 6238, pyotp) and one-time recovery codes.

Sign-in by any method ends in ``sessions.complete_login``, which asks here whether the account needs a second
step: an enrolled account must give a code, and an account holding a role of ``MFA_REQUIRED_ROLES`` that has
not enrolled must enrol first. Until then the person is *not* signed in: the session holds only a pending
marker (account id, session version, expiry), and the code pages (``mfa_views``) finish the sign-in.

- The secret is stored encrypted (Fernet, a key derived from ``MFA_SECRET_KEY`` or ``SECRET_KEY``) and is
  shown only while enrolling.
- A code is accepted for the current 30-second step or one either side (clock drift), and only for a step
  later than the last accepted one, claimed with one conditional UPDATE: a code cannot be replayed, even by two
  requests at once.
- Recovery codes: ``RECOVERY_CODES`` random codes, shown once, stored as SHA-256, each usable once.
- Wrong codes are throttled like wrong passwords (``auth.throttle``): per account and per client address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, session
from sqlalchemy import delete, func, or_, select, update

from learning.audit.services import record
from learning.auth import throttle
from learning.auth.models import Account, AccountStatus, RecoveryCode, Role, person_present
from learning.core.dates import utcnow
from learning.extensions import db, limiter

log = logging.getLogger(__name__)

PENDING_KEY = "mfa_pending"
ENROL_KEY = "mfa_enrol"
CODE_SECONDS = 300  # a pending sign-in waits this long for its code
ENROL_SECONDS = 900  # … or for a forced enrolment (installing an app, scanning the code)
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
RECOVERY_LENGTH = 10  # 50 bits each

CODE_THROTTLE = (throttle.Level("mfa-account", free=5, cap=900), throttle.Level("mfa-address", free=30, cap=900))


# --- who needs it ------------------------------------------------------------------------------------------

def required_roles() -> set[Role]:
    raw = current_app.config.get("MFA_REQUIRED_ROLES") or ""
    names = raw.split(",") if isinstance(raw, str) else list(raw)
    roles = set()
    for name in (n.strip().lower() for n in names):
        if name in Role._value2member_map_:
            roles.add(Role(name))
        elif name:
            log.warning("MFA_REQUIRED_ROLES names an unknown role: %s", name)
    return roles


def is_required(account: Account) -> bool:
    return bool(account.roles & required_roles())


def second_step(account: Account) -> str | None:
    """``"code"``, ``"enrol"`` or None: what the account must do after proving its password (or SSO)."""
    if account.mfa_enrolled:
        return "code"
    if is_required(account):
        return "enrol"
    return None


# --- the secret --------------------------------------------------------------------------------------------

def _fernet() -> Fernet:
    key = current_app.config.get("MFA_SECRET_KEY") or current_app.config["SECRET_KEY"]
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"mfa-secret|" + key.encode()).digest()))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str | None) -> str | None:
    """The plain secret, or None when it cannot be read (another key): the person must be reset."""
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        log.warning("an MFA secret cannot be decrypted (MFA_SECRET_KEY or SECRET_KEY changed?)")
        return None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(account: Account, secret: str) -> str:
    issuer = current_app.config.get("ORG_CODE") or "hoc-tap"
    return pyotp.TOTP(secret).provisioning_uri(name=account.person.employee_code,
                                               issuer_name=f"Học tập công vụ số {issuer}")


def group_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    now = current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).upper()


def confirm_enrolment(account: Account, secret: str, code: str) -> list[str] | None:
    """Enrol ``account`` with ``secret`` if ``code`` is right for it; returns the new recovery codes."""
    step = _matching_step(secret, clean_code(code))
    if step is None:
        return None
    account.mfa_secret = encrypt(secret)
    account.mfa_enrolled_at = utcnow()
    account.mfa_last_step = step
    codes = new_recovery_codes(account)
    record("auth.mfa_enrolled", actor_id=account.id, obj=account)
    return codes


def _claim_step(account: Account, step: int) -> bool:
    """Accept ``step`` only if it is later than the last one accepted, atomically."""
    result = db.session.execute(
        update(Account)
        .where(Account.id == account.id, or_(Account.mfa_last_step.is_(None), Account.mfa_last_step < step))
        .values(mfa_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.expire(account, ["mfa_last_step"])
    return True


# --- recovery codes ----------------------------------------------------------------------------------------

def _hash(code: str) -> str:
    return hashlib.sha256(clean_code(code).encode()).hexdigest()


def new_recovery_codes(account: Account) -> list[str]:
    """Replace the account's recovery codes with fresh ones; the plain codes are returned to show once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(account_id=account.id, code_hash=_hash(code)) for code in codes)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(account: Account) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None))) or 0


def _use_recovery_code(account: Account, code: str) -> bool:
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.account_id == account.id, RecoveryCode.code_hash == _hash(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- checking a code under the throttle --------------------------------------------------------------------

@dataclass(frozen=True)
class CodeResult:
    kind: str | None = None  # "totp" or "recovery" when accepted
    wait: int = 0  # seconds to wait before another try
    unreadable: bool = False  # the stored secret cannot be decrypted


def _throttle_keys(account: Account, address: str) -> list[tuple[throttle.Level, str]]:
    return [(CODE_THROTTLE[0], f"a{account.id}"), (CODE_THROTTLE[1], address)]


def _wait(account: Account, address: str) -> int:
    try:
        storage = limiter.storage
        now = time.time()
        waits = [storage.get_expiry(_wait_key(level, key)) - now
                 for level, key in _throttle_keys(account, address) if storage.get(_wait_key(level, key))]
    except Exception:  # noqa: BLE001 - the storage is down: do not lock everyone out
        log.warning("MFA throttle storage unavailable", exc_info=True)
        return 0
    return max((int(w) + 1 for w in waits if w > 0), default=0)


def _wait_key(level: throttle.Level, key: str) -> str:
    return f"mfa-wait/{level.name}/{key}"


def _note_failure(account: Account, address: str) -> None:
    try:
        storage = limiter.storage
        for level, key in _throttle_keys(account, address):
            failures = storage.incr(f"mfa-fail/{level.name}/{key}", throttle.WINDOW_SECONDS)
            delay = throttle.delay_after(level, failures)
            if delay:
                storage.clear(_wait_key(level, key))
                storage.incr(_wait_key(level, key), delay)
    except Exception:  # noqa: BLE001
        log.warning("MFA throttle storage unavailable", exc_info=True)


def _note_success(account: Account) -> None:
    try:
        storage = limiter.storage
        level = CODE_THROTTLE[0]
        storage.clear(f"mfa-fail/{level.name}/a{account.id}")
        storage.clear(_wait_key(level, f"a{account.id}"))
    except Exception:  # noqa: BLE001
        log.warning("MFA throttle storage unavailable", exc_info=True)


def check_code(account: Account, code: str, *, address: str, allow_recovery: bool = True) -> CodeResult:
    """A TOTP code (6 digits) or a recovery code of an enrolled account; failures are audited and throttled.
    The caller commits (also on failure, for the audit event)."""
    wait = _wait(account, address)
    if wait:
        return CodeResult(wait=wait)
    secret = decrypt(account.mfa_secret)
    if secret is None:
        return CodeResult(unreadable=True)
    cleaned = clean_code(code)
    kind = None
    if cleaned.isdigit() and len(cleaned) == 6:
        step = _matching_step(secret, cleaned)
        if step is not None and _claim_step(account, step):
            kind = "totp"
    elif allow_recovery and len(cleaned) == RECOVERY_LENGTH and _use_recovery_code(account, cleaned):
        kind = "recovery"
        record("auth.mfa_recovery_used", actor_id=account.id, obj=account, left=recovery_codes_left(account))
    if kind is None:
        _note_failure(account, address)
        record("auth.mfa_failed", obj=account, object_type="account")
        return CodeResult()
    _note_success(account)
    return CodeResult(kind=kind)


# --- turning it off ----------------------------------------------------------------------------------------

def remove(account: Account) -> None:
    account.mfa_secret = None
    account.mfa_enrolled_at = None
    account.mfa_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))


def disable(account: Account) -> None:
    """The person turned their own second factor off (the view checked a current code)."""
    remove(account)
    record("auth.mfa_disabled", actor_id=account.id, obj=account)


def reset(account: Account, *, by: Account) -> None:
    """An administrator removed a person's second factor (a lost phone); they enrol again if it is required."""
    was_enrolled = account.mfa_enrolled
    remove(account)
    record("auth.mfa_reset", actor_id=by.id, obj=account, person=account.person.employee_code,
           was_enrolled=was_enrolled)


# --- the pending sign-in -----------------------------------------------------------------------------------

def begin_pending(account: Account, *, step: str, remember: bool, method: str, next_url: str | None) -> None:
    seconds = ENROL_SECONDS if step == "enrol" else CODE_SECONDS
    session[PENDING_KEY] = {"account": account.id, "version": account.session_version,
                            "expires": int(time.time()) + seconds, "remember": bool(remember),
                            "method": method, "next": next_url or ""}


def pending() -> tuple[Account, dict] | None:
    """The account waiting for its second step in this session, while the marker is fresh and still valid."""
    marker = session.get(PENDING_KEY)
    if not isinstance(marker, dict) or marker.get("expires", 0) < time.time():
        return None
    account = db.session.get(Account, marker.get("account"))
    if (account is None or account.session_version != marker.get("version")
            or account.status not in (AccountStatus.ACTIVE, AccountStatus.INVITED)
            or not person_present(account.person)):
        return None
    return account, marker


def clear_pending() -> None:
    session.pop(PENDING_KEY, None)
    session.pop(ENROL_KEY, None)


def enrolment_secret(account: Account) -> str:
    """The secret being enrolled in this session (made on first use), kept encrypted in the session."""
    held = session.get(ENROL_KEY)
    if isinstance(held, dict) and held.get("account") == account.id:
        secret = decrypt(held.get("secret"))
        if secret:
            return secret
    secret = new_secret()
    session[ENROL_KEY] = {"account": account.id, "secret": encrypt(secret)}
    return secret


def held_enrolment_secret(account_id: int) -> str | None:
    held = session.get(ENROL_KEY)
    if isinstance(held, dict) and held.get("account") == account_id:
        return decrypt(held.get("secret"))
    return None
