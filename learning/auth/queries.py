"""Read models for account administration: the person page's account panel and HR's home page."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from learning.auth import tokens
from learning.auth.lifecycle import absent
from learning.auth.models import Account, AccountStatus, AccountToken, TokenPurpose
from learning.core.dates import local_today
from learning.extensions import db
from learning.org.models import Person, Unit


def latest_invitation(account: Account) -> AccountToken | None:
    """The invitation sent last (sent = ``created_at``, ``expires_at``, ``used_at``), or None if none was sent."""
    return tokens.latest(account, TokenPurpose.INVITATION)


def not_activated_by_unit(units: list[Unit]) -> dict[int, int]:
    """For each unit, the people of its subtree still at work whose account is ``invited`` (never signed in):
    one grouped query, whatever the number of units."""
    if not units:
        return {}
    top, sub = aliased(Unit), aliased(Unit)
    rows = db.session.execute(
        select(top.id, func.count(Account.id))
        .join(sub, sub.path.startswith(top.path))
        .join(Person, Person.unit_id == sub.id)
        .join(Account, and_(Account.person_id == Person.id, Account.status == AccountStatus.INVITED.value))
        .where(top.id.in_([u.id for u in units]), ~absent(local_today()))
        .group_by(top.id))
    return dict(rows.all())


def not_activated_overview(scope: list[Unit] | None) -> list[tuple[Unit, int]]:
    """HR's home page: the scope's units (None: the province), then the units right under them (most not activated
    first), each with the people who have not activated their account; units where all have are left out."""
    if scope is None:
        scope = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id)))
    if not scope:
        return []
    today = local_today()
    children = list(db.session.scalars(select(Unit).where(
        Unit.parent_id.in_([u.id for u in scope]), or_(Unit.valid_to.is_(None), Unit.valid_to >= today))))
    counts = not_activated_by_unit(scope + children)
    top = [(u, counts[u.id]) for u in scope if counts.get(u.id)]
    below = sorted(((u, counts[u.id]) for u in children if counts.get(u.id)), key=lambda pair: (-pair[1], pair[0].path))
    return top + below
