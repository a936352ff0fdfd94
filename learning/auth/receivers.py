"""Every person has an account: new people get one, ``invited``, with no password (org.history sends the signal);
someone added already inactive or past their leaving date gets it ``disabled`` (``auth.lifecycle``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, exists, false, insert, literal, null, select
from sqlalchemy.orm import Session

from learning.auth import lifecycle
from learning.auth.models import Account, AccountStatus
from learning.core.dates import local_today, utcnow
from learning.org.history import people_added
from learning.org.models import Person


def open_missing_accounts(session: Session) -> None:
    """An account for every person who has none, in one statement."""
    has_account = exists().where(Account.person_id == Person.id)
    gone = lifecycle.absent(local_today())
    status = case((gone, literal(AccountStatus.DISABLED.value)), else_=literal(AccountStatus.INVITED.value))
    reason = case((gone, literal(lifecycle.LEFT)), else_=null())
    rows = select(Person.id, status, reason, literal(1), false(), literal(utcnow())).where(~has_account)
    session.execute(insert(Account).from_select(
        ["person_id", "status", "disabled_reason", "session_version", "must_change_password", "created_at"], rows))


def _on_people_added(_sender: Any, session: Session, **_extra: Any) -> None:
    open_missing_accounts(session)


def init_app() -> None:
    people_added.connect(_on_people_added, weak=False)
    lifecycle.init_app()
