"""The one place that decides "may this account do X to Y".

A role grants a set of actions over a scope: the account's own person (learner), a unit
subtree (unit head, HR), or the whole province (a grant with no unit). Views call
``can``/``require`` for one object and ``unit_scope_clause`` to filter lists, so a list
can never show what the detail page would refuse.
"""

from __future__ import annotations

import enum

from flask import abort
from sqlalchemy import ColumnElement, false, or_, true

from learning.auth.models import Account, Role
from learning.auth.principal import ScopeUnit, real_account, scopes_of
from learning.org.models import Person, Unit


class Action(enum.StrEnum):
    VIEW_SELF = "view_self"  # my courses, my attempts, my certificates
    VIEW_UNIT = "view_unit"  # browse a unit and its people
    VIEW_PERSON = "view_person"
    VIEW_COMPLIANCE = "view_compliance"  # dashboards and exports of results
    EDIT_PERSON = "edit_person"  # import staff, edit people
    MANAGE_UNITS = "manage_units"  # create, rename, move, merge, dissolve units; import the unit tree
    MANAGE_ASSIGNMENTS = "manage_assignments"
    REQUEST_EXEMPTION = "request_exemption"  # ask HR to exempt a person from an assignment or extend their due date
    DECIDE_EXEMPTION = "decide_exemption"  # approve or refuse such requests, or enter one approved at once
    REMIND_PERSON = "remind_person"  # send a person a reminder now from their transcript
    MANAGE_CERTIFICATES = "manage_certificates"  # search, revoke, re-issue, bulk export
    VIEW_PAR = "view_par"
    ASSESS_PAR = "assess_par"  # enter verified points, freeze snapshots
    MANAGE_ACCOUNTS = "manage_accounts"  # reset passwords, grant roles
    MANAGE_SIGN_IN = "manage_sign_in"  # a person's account: its status, disable/enable, lock/unlock
    ADMINISTER = "administer"  # content, rubric, audit log, API tokens, settings


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.LEARNER: frozenset({Action.VIEW_SELF}),
    Role.UNIT_HEAD: frozenset(
        {Action.VIEW_UNIT, Action.VIEW_PERSON, Action.VIEW_COMPLIANCE, Action.VIEW_PAR, Action.REQUEST_EXEMPTION,
         Action.REMIND_PERSON}
    ),
    Role.HR: frozenset(
        {
            Action.VIEW_UNIT,
            Action.VIEW_PERSON,
            Action.VIEW_COMPLIANCE,
            Action.EDIT_PERSON,
            Action.MANAGE_UNITS,
            Action.MANAGE_SIGN_IN,
            Action.MANAGE_ASSIGNMENTS,
            Action.REQUEST_EXEMPTION,
            Action.DECIDE_EXEMPTION,
            Action.REMIND_PERSON,
            Action.MANAGE_CERTIFICATES,
            Action.VIEW_PAR,
        }
    ),
    Role.PAR_ASSESSOR: frozenset(
        {Action.VIEW_UNIT, Action.VIEW_COMPLIANCE, Action.VIEW_PAR, Action.ASSESS_PAR}
    ),
    Role.ADMIN: frozenset(Action) - {Action.ASSESS_PAR},
}

# Actions that are never limited to a subtree: they act on the province as a whole.
PROVINCE_ONLY = frozenset({Action.MANAGE_ACCOUNTS, Action.ADMINISTER, Action.ASSESS_PAR})


def _scopes(account: Account, action: Action) -> list[ScopeUnit | None]:
    """Units (their id and path; None = whole province) over which the account may do ``action``. From the
    principal when ``account`` is ``current_user`` (``auth.principal``), else from the account's grants."""
    scopes: list[ScopeUnit | None] = []
    for scope in scopes_of(account):
        if action in ROLE_ACTIONS[Role(scope.role)]:
            if action in PROVINCE_ONLY and scope.unit_id is not None:
                continue
            scopes.append(None if scope.unit_id is None else ScopeUnit(scope.unit_id, scope.path))
    return scopes


def can(account: Account | None, action: Action, target: Unit | Person | None = None) -> bool:
    """May ``account`` do ``action`` to ``target`` (a unit, a person, or nothing)?"""
    if account is None or not account.is_authenticated or not account.is_active:
        return False
    if action is Action.VIEW_SELF:
        return target is None or (isinstance(target, Person) and target.id == account.person_id)
    if isinstance(target, Person) and target.id == account.person_id and action in (
        Action.VIEW_PERSON,
    ):
        return True
    scopes = _scopes(account, action)
    if not scopes:
        return False
    if target is None:
        return True
    unit = target.unit if isinstance(target, Person) else target
    return any(scope is None or unit.path.startswith(scope.path) for scope in scopes)


def may_change_account(account: Account | None, target: Account) -> bool:
    """Disable/enable, lock/unlock ``target``: HR within their subtree, administrators everywhere; never one's own
    account (nobody locks themselves out by mistake), and an administrator's account only by an administrator."""
    if account is None or target.id == account.id or not can(account, Action.MANAGE_SIGN_IN, target.person):
        return False
    return not target.has_role(Role.ADMIN) or account.has_role(Role.ADMIN)


def require(account: Account | None, action: Action, target: Unit | Person | None = None) -> None:
    if not can(account, action, target):
        abort(403)


def may_restructure(account: Account | None, unit: Unit) -> bool:
    """May ``account`` move, merge or dissolve ``unit``? Only who manages the unit above it: HR of a subtree
    changes the units inside it but cannot take its own top unit away (nor the province's top unit)."""
    return unit.parent is not None and can(account, Action.MANAGE_UNITS, unit.parent)


def has_province_scope(account: Account, action: Action) -> bool:
    return None in _scopes(account, action)


def scope_units(account: Account, action: Action) -> list[Unit] | None:
    """The top units of the account's scope for ``action``; None means the whole province."""
    scopes = _scopes(account, action)
    if any(scope is None for scope in scopes):
        return None
    ids = [scope.id for scope in scopes if scope is not None]
    units = {g.unit.id: g.unit for g in real_account(account).grants if g.unit is not None}
    return [units[i] for i in ids if i in units]  # never a scope the account no longer has


class Reach(enum.Enum):
    """How much of a unit's results a viewer may see."""

    NONE = "none"
    TOTALS = "totals"  # the unit's figures as a whole (an ancestor of the viewer's scope)
    PEOPLE = "people"  # its figures and the rows of each person in it (the unit lies inside the scope)


def reach_in(scopes: list[Unit | None], unit_path: str) -> Reach:
    """The reach of scopes (None = the whole province) over the unit at ``unit_path``.

    The rule of compliance and PAR alike: person rows only inside a scope; the totals of a unit that
    contains a scope may be shown (a unit head of an office sees the totals of the department it belongs
    to, never the department's people)."""
    if any(scope is None or unit_path.startswith(scope.path) for scope in scopes):
        return Reach.PEOPLE
    if any(scope.path.startswith(unit_path) for scope in scopes if scope is not None):
        return Reach.TOTALS
    return Reach.NONE


def par_reach(account: Account | None, unit_path: str) -> Reach:
    """What of an assessed unit's PAR results the account may see: its totals, or also its person rows
    (the per-person evidence workbook)."""
    if account is None or not account.is_authenticated or not account.is_active:
        return Reach.NONE
    return reach_in(_scopes(account, Action.VIEW_PAR), unit_path)


def may_review_attempt(account: Account | None, person: Person) -> bool:
    """May the account read another person's quiz review (the questions and the answers given)?

    People who look after that person (unit heads and HR in scope, administrators) may. PAR assessors
    may not: they verify units' points from totals and the evidence workbook (each person's status,
    score and certificate), and no documented need of theirs requires the answers (docs/access.md)."""
    return can(account, Action.VIEW_PERSON, person)


def unit_scope_clause(account: Account, action: Action) -> ColumnElement[bool]:
    """A WHERE clause on ``Unit.path`` that keeps only the units in scope."""
    scopes = _scopes(account, action)
    if not scopes:
        return false()
    if any(scope is None for scope in scopes):
        return true()
    return or_(*(Unit.path.startswith(scope.path, autoescape=True) for scope in scopes))


def may_check_text(account: Account | None) -> bool:
    """The text check (/kiem-tra-van-ban) is a practice tool for every signed-in, active account."""
    return account is not None and account.is_authenticated and account.is_active
