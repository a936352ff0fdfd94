"""Every person has an account: new people get one, ``invited``, with no password (org.history sends the signal)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, false, insert, literal, select
from sqlalchemy.orm import Session

from learning.auth.models import Account, AccountStatus
from learning.core.dates import utcnow
from learning.org.history import people_added
from learning.org.models import Person


def open_missing_accounts(session: Session) -> None:
    """An ``invited`` account for every person who has none, in one statement."""
    has_account = exists().where(Account.person_id == Person.id)
    rows = select(Person.id, literal(AccountStatus.INVITED.value), literal(1), literal(0), false(),
                  literal(utcnow())).where(~has_account)
    session.execute(insert(Account).from_select(
        ["person_id", "status", "session_version", "failed_logins", "must_change_password", "created_at"], rows))


def _on_people_added(_sender: Any, session: Session, **_extra: Any) -> None:
    open_missing_accounts(session)


def init_app() -> None:
    people_added.connect(_on_people_added, weak=False)
