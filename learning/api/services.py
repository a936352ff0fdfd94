"""Issue, check and revoke API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from learning.api.models import READ, SCOPES, ApiToken
from learning.audit.services import record
from learning.auth.models import Account
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Unit

PREFIX = "hcv_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(name: str, unit: Unit | None, by: Account, purpose: str = "", scope: str = READ) -> tuple[ApiToken, str]:
    """Create a token; the plain value is returned once and never stored.

    ``purpose`` is why the other system reads personal data; every read it makes is logged with it.
    ``scope`` is what it may call: READ (the data endpoints) or TEXTCHECK (only the text check).
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown token scope {scope!r}")
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, purpose=purpose, scope=scope, prefix=plain[:12], token_hash=_hash(plain), unit=unit,
                     created_by_id=by.id)
    db.session.add(token)
    db.session.flush()
    record("api.token_issued", actor_id=by.id, obj=token, name=name, unit=unit.code if unit else None,
           purpose=purpose, scope=scope)
    return token, plain


def authenticate(header: str | None) -> ApiToken | None:
    if not header or not header.startswith("Bearer "):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(header[7:].strip())))
    if token is None or not token.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token


def revoke(token: ApiToken, by: Account) -> None:
    token.revoked_at = utcnow()
    record("api.token_revoked", actor_id=by.id, obj=token, name=token.name)
