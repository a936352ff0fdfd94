"""Accounts follow their person: a person who becomes inactive, or whose leaving date has passed, has their
account ``disabled`` and every session ended; when they are active again (or the leaving date is cleared or
moved into the future) the account comes back — ``active`` if it has a password or an SSO link, ``invited``
otherwise. An account disabled on the person page (``disabled_reason`` ``admin``) comes back only there.

People change through the person form, the staff import (bulk statements), the CLI and the demo seed. Rather
than asking each path to remember, the session notes which people changed (or that a bulk statement touched
the person table) and, just before the transaction commits, ``follow_people`` brings their accounts in line
in a few set-based statements, audit-logged. A leaving date that passes on its own is picked up by the nightly
``sweep`` (Celery beat, or ``flask accounts sweep``); until then sign-in already refuses the leaver
(``Account.can_sign_in`` checks the person each request).

The actions of the person page (disable/enable, lock/unlock) are here too. Callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import g, has_request_context, request
from flask_babel import gettext
from sqlalchemy import ColumnElement, and_, case, event, insert, inspect, or_, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from learning.audit.models import AuditEvent
from learning.audit.services import record
from learning.auth.models import Account, AccountStatus, person_present
from learning.core.dates import local_today, utcnow
from learning.extensions import db
from learning.jobs import task
from learning.org.models import Person

LEFT = "left"  # the person is inactive or past their leaving date
BY_ADMIN = "admin"  # disabled on the person page
_CHANGED = "learning.people_changed"  # ids of people whose active flag or leaving date changed
_ALL = "learning.people_changed_in_bulk"  # a bulk statement wrote the person table: look at everyone
_CHUNK = 500


class AccountActionRefused(Exception):
    """The action does not apply to the account as it is now; the message says why, in the user's language."""


def absent(today: date) -> ColumnElement[bool]:
    """People who may not sign in: inactive, or past their leaving date (the leaving day itself still counts)."""
    return or_(Person.active.is_(False), and_(Person.left_on.is_not(None), Person.left_on < today))


def returning_status() -> ColumnElement[str]:
    """The status an account comes back to: ``active`` once it can sign in by password or SSO, else ``invited``."""
    return case((or_(Account.password_hash.is_not(None), Account.sso_subject.is_not(None)),
                 AccountStatus.ACTIVE.value), else_=AccountStatus.INVITED.value)


@dataclass(frozen=True)
class Followed:
    disabled: int = 0
    enabled: int = 0


def follow_people(session: Session, person_ids: Iterable[int] | None = None, *, today: date | None = None,
                  actor_id: int | None = None, via: str = "") -> Followed:
    """Disable the accounts of absent people and re-enable those of people present again (only accounts this
    module disabled). ``person_ids``: only these people (None: everyone). Set-based; one audit event each."""
    today = today or local_today()
    gone = absent(today)
    wanted = or_(and_(Account.status != AccountStatus.DISABLED.value, gone),
                 and_(Account.status == AccountStatus.DISABLED.value, Account.disabled_reason == LEFT, ~gone))
    query = (select(Account.id, Account.status, Person.employee_code, gone.label("gone"))
             .join(Person, Person.id == Account.person_id).where(wanted))
    if person_ids is None:
        rows = session.execute(query).all()
    else:
        ids = sorted(set(person_ids))
        rows = [row for start in range(0, len(ids), _CHUNK)
                for row in session.execute(query.where(Account.person_id.in_(ids[start:start + _CHUNK])))]
    leaving = [row for row in rows if row.gone]
    back = [row for row in rows if not row.gone]
    for start in range(0, len(leaving), _CHUNK):
        session.execute(update(Account).where(Account.id.in_([r.id for r in leaving[start:start + _CHUNK]]))
                        .values(status=AccountStatus.DISABLED.value, disabled_reason=LEFT,
                                session_version=Account.session_version + 1)
                        .execution_options(synchronize_session=False))
    after: dict[int, str] = {}
    for start in range(0, len(back), _CHUNK):
        chunk = [r.id for r in back[start:start + _CHUNK]]
        session.execute(update(Account).where(Account.id.in_(chunk))
                        .values(status=returning_status(), disabled_reason=None)
                        .execution_options(synchronize_session=False))
        after.update(session.execute(select(Account.id, Account.status).where(Account.id.in_(chunk))).all())
    if rows:
        _expire(session, {row.id for row in rows})
        _audit(session, leaving, back, after, actor_id, via)
    return Followed(disabled=len(leaving), enabled=len(back))


def _expire(session: Session, ids: set[int]) -> None:
    """Loaded accounts re-read what the bulk update wrote."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Account) and obj.id in ids:
            session.expire(obj)


def _audit(session: Session, leaving: list, back: list, after: dict[int, str], actor_id: int | None,
           via: str) -> None:
    now, ip = utcnow(), (request.remote_addr or "") if has_request_context() else ""
    base = {"at": now, "actor_id": actor_id, "object_type": "account", "ip": ip}
    extra = {"via": via} if via else {}
    events = [base | {"action": "account.disabled", "object_id": str(r.id),
                      "detail": {"reason": LEFT, "person": r.employee_code, "before": r.status,
                                 "after": AccountStatus.DISABLED.value, **extra}} for r in leaving]
    events += [base | {"action": "account.enabled", "object_id": str(r.id),
                       "detail": {"reason": LEFT, "person": r.employee_code, "before": r.status,
                                  "after": after[r.id], **extra}} for r in back]
    for start in range(0, len(events), 5000):
        session.execute(insert(AuditEvent), events[start:start + 5000])


def sweep(session: Session, today: date | None = None) -> Followed:
    """Everyone, for the leaving dates that passed since the last run (nightly; ``flask accounts sweep``)."""
    return follow_people(session, today=today, via="sweep")


@task("accounts.sweep")
def sweep_task() -> None:
    sweep(db.session)


# The person page: HR (their subtree) and administrators; the view checked ``permissions.may_change_account``.

def _log(action: str, account: Account, by: Account, before: str, **detail: object) -> None:
    record(action, actor_id=by.id, obj=account, person=account.person.employee_code, before=before,
           after=account.status, **detail)


def disable(account: Account, *, by: Account, note: str = "") -> None:
    """Disable by hand: the person cannot sign in until someone enables the account here again."""
    if account.status == AccountStatus.DISABLED and account.disabled_reason == BY_ADMIN:
        raise AccountActionRefused(gettext("Tài khoản này đã bị vô hiệu hóa."))
    before = account.status
    account.status, account.disabled_reason = AccountStatus.DISABLED.value, BY_ADMIN
    account.end_sessions()
    _log("account.disabled", account, by, before, reason=BY_ADMIN, **({"note": note} if note else {}))


def enable(account: Account, *, by: Account) -> None:
    """Lift a disabling; refused while the person is inactive or has left (that is the person record's call)."""
    if account.status != AccountStatus.DISABLED:
        raise AccountActionRefused(gettext("Tài khoản này không bị vô hiệu hóa."))
    if not person_present(account.person):
        raise AccountActionRefused(gettext("Cán bộ đang ở trạng thái nghỉ việc hoặc đã qua ngày thôi việc. Hãy sửa "
                                     "thông tin cán bộ (trạng thái, ngày thôi việc); tài khoản sẽ được mở lại "
                                     "theo."))
    before = account.status
    account.status = _returning(account)
    account.disabled_reason = None
    _log("account.enabled", account, by, before, reason=BY_ADMIN)


def lock(account: Account, *, by: Account) -> None:
    """Lock (a suspected compromise, a dispute): every session ends; "Mở khóa" lifts it."""
    if account.status not in (AccountStatus.ACTIVE, AccountStatus.INVITED):
        raise AccountActionRefused(gettext("Chỉ khóa được tài khoản đang hoạt động hoặc chưa kích hoạt."))
    before = account.status
    account.status = AccountStatus.LOCKED.value
    account.end_sessions()
    _log("account.locked", account, by, before)


def unlock(account: Account, *, by: Account) -> None:
    if account.status != AccountStatus.LOCKED:
        raise AccountActionRefused(gettext("Tài khoản này không bị khóa."))
    before = account.status
    account.status = _returning(account)
    _log("account.unlocked", account, by, before)


def _returning(account: Account) -> str:
    has_credential = account.password_hash is not None or account.sso_subject is not None
    return (AccountStatus.ACTIVE if has_credential else AccountStatus.INVITED).value


# Session hooks: note who changed, follow them before the commit.

def _note_changed_people(session: Session, _context: object) -> None:
    """After a flush (ids known, attribute history still pre-flush): people added, or whose status changed."""
    changed = [obj.id for obj in session.new if isinstance(obj, Person)]
    changed += [obj.id for obj in session.dirty if isinstance(obj, Person) and _status_changed(obj)]
    if changed:
        session.info.setdefault(_CHANGED, set()).update(changed)


def _status_changed(person: Person) -> bool:
    attrs = inspect(person).attrs
    return attrs.active.history.has_changes() or attrs.left_on.history.has_changes()


def _note_bulk_people(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == Person.__tablename__:
        state.session.info[_ALL] = True


def _follow_before_commit(session: Session) -> None:
    if not (session.info.get(_CHANGED) or session.info.get(_ALL) or session.new or session.dirty):
        return
    session.flush()
    everyone = session.info.pop(_ALL, False)
    changed = session.info.pop(_CHANGED, set())
    if everyone or changed:
        follow_people(session, None if everyone else changed, actor_id=_actor_id())


def _forget(session: Session) -> None:
    session.info.pop(_ALL, None)
    session.info.pop(_CHANGED, None)


def _actor_id() -> int | None:
    """Whoever is signed in to the request that changed the people (None: CLI, jobs)."""
    user = g.get("_login_user") if has_request_context() else None
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def init_app() -> None:
    for name, listener in (("after_flush", _note_changed_people), ("do_orm_execute", _note_bulk_people),
                           ("before_commit", _follow_before_commit), ("after_rollback", _forget)):
        if not event.contains(Session, name, listener):  # once per process, however many apps are made
            event.listen(Session, name, listener)
