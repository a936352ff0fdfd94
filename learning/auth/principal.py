"""Who the signed-in user is, without loading the account on every request (issue 19, item 2).

The principal — account and person ids, the person's name and unit, the role scopes and the second-factor state —
is kept in the signed session with the account's ``auth_stamp``. Each request reads one small row by primary key
(``account`` ⋈ ``person``: stamp, session version, status, the person's activity, leaving date and unit) and
refuses the session exactly as the full loader does (a wrong session version, an account that is not active, a
person who left); the principal is rebuilt from the database whenever the stamp or the unit differs. The stamp is
bumped by ``bump_stamps`` (role grants and revokes, account and person changes, unit moves), so a stale principal
is never used for permissions.

``current_user`` is then a ``PrincipalUser``: a proxy that answers the principal's fields itself and loads the
full ``Account`` the first time anything else is asked (``isinstance(current_user, Account)`` still holds).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import session
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session
from werkzeug.local import LocalProxy

from learning.auth.models import Account, AccountStatus, Role, RoleGrant, person_present
from learning.extensions import db
from learning.org.models import Person, Unit

SESSION_KEY = "principal"
# Changes of these attributes change who the account is: the stamp is bumped in the same flush.
ACCOUNT_FIELDS = ("status", "password_hash", "session_version", "mfa_secret", "mfa_enrolled_at", "person_id", "person")
PERSON_FIELDS = ("unit_id", "unit", "middle_name", "given_name", "active", "left_on")


class Scope(NamedTuple):
    """A role grant as the permissions need it: the role, and the unit's id and path (None: the province)."""

    role: str
    unit_id: int | None
    path: str | None


class ScopeUnit(NamedTuple):
    id: int
    path: str


def _check_row(account_id: int):
    return db.session.execute(
        select(Account.auth_stamp, Account.session_version, Account.status, Person.active, Person.left_on,
               Person.unit_id)
        .join(Person, Person.id == Account.person_id).where(Account.id == account_id)).one_or_none()


def build(account: Account) -> dict[str, Any]:
    person = account.person
    return {
        "id": account.id,
        "person_id": account.person_id,
        "stamp": account.auth_stamp,
        "version": account.session_version,
        "name": person.full_name,
        "unit_id": person.unit_id,
        "unit_path": person.unit.path,
        "scopes": [[g.role, g.unit_id, g.unit.path if g.unit else None] for g in account.grants],
        "mfa": account.mfa_enrolled,
    }


def keep(account: Account) -> None:
    """At sign-in: the principal goes into the new session, so the next request need not build it (if the flush
    of this request bumps the stamp, the next request sees the difference and rebuilds it)."""
    session[SESSION_KEY] = build(account)


def load(user_id: str) -> PrincipalUser | None:
    """Flask-Login's user loader: the session's principal if its account may still be signed in, else None."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None  # a cookie from before session versions: sign in again
    row = _check_row(int(ident))
    if (row is None or row.session_version != int(version) or row.status != AccountStatus.ACTIVE
            or not row.active or not person_present(_Presence(row.active, row.left_on))):
        return None
    data = session.get(SESSION_KEY)
    if (isinstance(data, dict) and data.get("id") == int(ident) and data.get("stamp") == row.auth_stamp
            and data.get("version") == row.session_version and data.get("unit_id") == row.unit_id):
        return PrincipalUser(data)
    account = db.session.get(Account, int(ident))
    if account is None or account.session_version != int(version) or not account.can_sign_in:
        return None
    data = build(account)
    session[SESSION_KEY] = data
    return PrincipalUser(data, account)


class _Presence(NamedTuple):
    active: bool
    left_on: Any


class PrincipalUser(LocalProxy):
    """``current_user``: the principal's fields without SQL, anything else from the full account (loaded once)."""

    __slots__ = ("_principal", "_account")

    def __init__(self, data: dict[str, Any], account: Account | None = None) -> None:
        object.__setattr__(self, "_principal", data)
        object.__setattr__(self, "_account", account)
        super().__init__(self._full_account)

    def _full_account(self) -> Account:
        account = object.__getattribute__(self, "_account")
        if account is None:
            data = object.__getattribute__(self, "_principal")
            account = db.session.get(Account, data["id"])
            if account is None or account.session_version != data["version"] or not account.can_sign_in:
                raise PermissionError("the signed-in account changed during the request")
            object.__setattr__(self, "_account", account)
        return account

    @property
    def principal(self) -> dict[str, Any]:
        return object.__getattribute__(self, "_principal")

    @property
    def id(self) -> int:
        return self.principal["id"]

    @property
    def person_id(self) -> int:
        return self.principal["person_id"]

    @property
    def display_name(self) -> str:
        return self.principal["name"]

    @property
    def unit_id(self) -> int:
        return self.principal["unit_id"]

    @property
    def unit_path(self) -> str:
        return self.principal["unit_path"]

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:  # checked against the database row by ``load`` at the start of the request
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The full account's when it is loaded (this request may have bumped its session version)."""
        account = object.__getattribute__(self, "_account")
        if account is not None:
            return account.get_id()
        return f"{self.principal['id']}:{self.principal['version']}"

    @property
    def scopes(self) -> list[Scope]:
        return [Scope(*item) for item in self.principal["scopes"]]

    @property
    def roles(self) -> set[Role]:
        return {Role.LEARNER} | {Role(scope.role) for scope in self.scopes}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def mfa_enrolled(self) -> bool:
        return bool(self.principal["mfa"])


def _unwrap(obj: Any) -> Any:
    """``current_user`` itself is a proxy: the object behind it (a ``PrincipalUser``, an ``Account`` or anonymous).
    ``isinstance`` would ask the proxy for its ``__class__`` and so load the full account: ``type`` does not."""
    while type(obj) is LocalProxy:
        obj = obj._get_current_object()
    return obj


def is_principal(obj: Any) -> bool:
    return type(_unwrap(obj)) is PrincipalUser


def scopes_of(account: Any) -> list[Scope]:
    """The role scopes of an account or of a principal."""
    account = _unwrap(account)
    if type(account) is PrincipalUser:
        return account.scopes
    return [Scope(g.role, g.unit_id, g.unit.path if g.unit else None) for g in account.grants]


def real_account(account: Any) -> Account:
    """The ORM account behind ``current_user`` (loaded now if it was not), or the account given."""
    account = _unwrap(account)
    return account._get_current_object() if type(account) is PrincipalUser else account


def bump_stamps(sess: Session, account_ids: set[int] | None = None, *, person_ids: set[int] | None = None,
                unit_path: str | None = None) -> None:
    """Every principal of these accounts, of these people's accounts, or of accounts whose person or a role grant
    lies in the subtree at ``unit_path`` is rebuilt at its next request."""
    clauses = []
    if account_ids:
        clauses.append(Account.id.in_(account_ids))
    if person_ids:
        clauses.append(Account.person_id.in_(person_ids))
    if unit_path is not None:
        units = select(Unit.id).where(Unit.path.startswith(unit_path, autoescape=True))
        clauses.append(Account.person_id.in_(select(Person.id).where(Person.unit_id.in_(units))))
        clauses.append(Account.id.in_(select(RoleGrant.account_id).where(RoleGrant.unit_id.in_(units))))
    if clauses:
        sess.execute(update(Account).where(or_(*clauses)).values(auth_stamp=Account.auth_stamp + 1),
                     execution_options={"synchronize_session": False})


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    state = db.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _on_flush(sess: Session, _context: Any, _instances: Any) -> None:
    accounts: set[int] = set()
    people: set[int] = set()
    for obj in list(sess.new) + list(sess.dirty) + list(sess.deleted):
        if isinstance(obj, RoleGrant):
            history = db.inspect(obj).attrs["account_id"].history
            accounts.update(i for i in (*history.added, *history.unchanged, *history.deleted) if i is not None)
            if obj.account is not None and obj.account.id is not None:
                accounts.add(obj.account.id)
        elif isinstance(obj, Account) and obj in sess.dirty and _changed(obj, ACCOUNT_FIELDS):
            obj.auth_stamp = Account.auth_stamp + 1  # in the UPDATE itself: always past any earlier value
        elif isinstance(obj, Person) and obj in sess.dirty and obj.id is not None and _changed(obj, PERSON_FIELDS):
            people.add(obj.id)
    sess.info.setdefault("principal_bumps", (set(), set()))
    sess.info["principal_bumps"][0].update(accounts)
    sess.info["principal_bumps"][1].update(people)


def _after_flush(sess: Session, _context: Any) -> None:
    accounts, people = sess.info.pop("principal_bumps", (set(), set()))
    if accounts or people:
        bump_stamps(sess, accounts, person_ids=people)


def init_app() -> None:
    if not event.contains(Session, "before_flush", _on_flush):
        event.listen(Session, "before_flush", _on_flush)
        event.listen(Session, "after_flush", _after_flush)
