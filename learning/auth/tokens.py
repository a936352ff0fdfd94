"""Single-use secrets sent to a person (invitation links, letter codes, password-reset links).

Only the SHA-256 of a secret is stored (``AccountToken.token_hash``); the secret itself exists only in the
mail or letter. A token is valid while unused and unexpired; issuing a new one of the same purpose retires the
older ones, so only the latest link or code works. Callers own the transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from learning.auth.models import Account, AccountToken, TokenPurpose
from learning.core.dates import utcnow
from learning.extensions import db

# Letter codes are typed by hand from paper: no 0/O, 1/I/L; 10 symbols of 31 ≈ 49.5 bits, guessed only
# through the rate-limited activation page.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_code() -> str:
    """A letter code, shown grouped as ``XXXXX-XXXXX``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(typed: str) -> str:
    """What a person typed from a letter, in the form that was hashed: upper case, one dash in the middle."""
    raw = "".join(ch for ch in typed.upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == CODE_LENGTH else raw


def issue(account: Account, purpose: TokenPurpose, lifetime: timedelta, *, by: Account | None = None,
          secret: str | None = None) -> tuple[str, AccountToken]:
    """A new secret for ``account`` (a URL-safe one unless ``secret`` is given, e.g. a letter code); earlier
    unused secrets of the same purpose stop working."""
    now = utcnow()
    retire(account, purpose, now=now)
    secret = secret or secrets.token_urlsafe(32)
    token = AccountToken(account_id=account.id, purpose=purpose.value, token_hash=digest(secret),
                         created_at=now, expires_at=now + lifetime, created_by_id=by.id if by else None)
    db.session.add(token)
    db.session.flush()
    return secret, token


def retire(account: Account, purpose: TokenPurpose, *, now: datetime | None = None) -> None:
    """Every unused secret of this purpose stops working (marked used now)."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.account_id == account.id, AccountToken.purpose == purpose.value,
               AccountToken.used_at.is_(None))
        .values(used_at=now or utcnow())
    )


def find(secret: str, purpose: TokenPurpose) -> AccountToken | None:
    """The valid (unused, unexpired) token of this purpose whose hash matches, or None."""
    if not secret or len(secret) > 200:
        return None
    token = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == digest(secret), AccountToken.purpose == purpose.value)
    )
    return token if token is not None and is_valid(token) else None


def find_for_account(account: Account, secret: str, purpose: TokenPurpose) -> AccountToken | None:
    """The account's valid token of this purpose if ``secret`` matches it (letter codes: looked up by person,
    compared in constant time)."""
    wanted = digest(secret)
    for token in db.session.scalars(
        select(AccountToken).where(AccountToken.account_id == account.id, AccountToken.purpose == purpose.value,
                                   AccountToken.used_at.is_(None))
    ):
        if hmac.compare_digest(token.token_hash, wanted) and is_valid(token):
            return token
    return None


def is_valid(token: AccountToken, now: datetime | None = None) -> bool:
    return token.used_at is None and token.expires_at > (now or utcnow())


def consume(token: AccountToken) -> bool:
    """Mark the token used, once: False when a concurrent request used it first (a double-clicked link)."""
    now = utcnow()
    done = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None), AccountToken.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        return False
    token.used_at = now
    return True


def latest(account: Account, purpose: TokenPurpose) -> AccountToken | None:
    """The most recent token of this purpose, used or not (for "invitation sent / expires" on the person page)."""
    return db.session.scalar(
        select(AccountToken)
        .where(AccountToken.account_id == account.id, AccountToken.purpose == purpose.value)
        .order_by(AccountToken.created_at.desc(), AccountToken.id.desc())
        .limit(1)
    )
