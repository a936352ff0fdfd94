"""Which reminders and escalations are due today, and to whom: each counted from the person's own due date.

Per assignment (its ``remind_*`` and ``escalate_*`` columns):

- **before**: on each of the days before the due date in ``remind_days_before`` (e.g. 7 and 1);
- **due**: on the due date, if ``remind_on_due``;
- **after**: every ``remind_every_days`` days after it, at most ``remind_max_after`` times;
- **head**: once the person is ``escalate_head_days`` overdue, their unit head(s) are told — the heads of
  the nearest unit, from the person's own upwards, that has any;
- **hr**: once ``escalate_hr_days`` overdue, HR of the parent unit — the nearest unit above the person's
  that has HR, else HR of the whole province.

Reminders fall on exact days (a day the job did not run is not made up: the next one comes); an escalation
is made up on the next run, and is told once per due date (an extension makes a new one). Exempt people,
people who passed, inactive people and leavers (from their leaving day) get nothing and are never
escalated; nobody is told about themself.

Everything due for one recipient on one day becomes one digest (``reminder_mail``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from learning.assignments.models import Assignment
from learning.auth.models import Account, Role, RoleGrant
from learning.extensions import db
from learning.notify.models import ReminderLog
from learning.org.models import Person, Unit
from learning.progress.engine import status_rows
from learning.progress.labels import Status

PENDING = (Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.EXPIRED.value, Status.OVERDUE.value)
LEARNER_KINDS = ("before", "due", "after")
ESCALATION_KINDS = ("head", "hr")


@dataclass(frozen=True)
class Item:
    """One reminder or escalation about ``person`` for ``assignment``."""

    kind: str  # before | due | after | head | hr
    person: Person
    assignment: Assignment
    due_on: date  # the person's own due date
    days: int  # days left (before), 0 (due), days overdue (after, head, hr)
    unit_path: str  # the unit the person counts in

    def line(self) -> str:
        title = self.assignment.course.title
        if self.kind == "before":
            return f"{title}: hạn hoàn thành {self.due_on:%d/%m/%Y} (còn {self.days} ngày)."
        if self.kind == "due":
            return f"{title}: hôm nay ({self.due_on:%d/%m/%Y}) là hạn hoàn thành."
        if self.kind == "after":
            return f"{title}: đã quá hạn từ {self.due_on:%d/%m/%Y} ({self.days} ngày)."
        return (f"{self.person.full_name} ({self.person.unit.name}) — {title}: quá hạn {self.days} ngày "
                f"(hạn {self.due_on:%d/%m/%Y}).")


@dataclass
class Digest:
    """What one person is told today: their own reminders and the escalations that reach them."""

    recipient: Person
    account: Account | None  # where the notices go (None: mail only)
    own: list[Item] = field(default_factory=list)
    escalations: dict[str, list[Item]] = field(default_factory=dict)  # level → items
    scope: dict[str, int | None] = field(default_factory=dict)  # level → the unit whose list to look at
    mailed_today: bool = False  # already had today's mail: notices only

    @property
    def items(self) -> list[Item]:
        return [*self.own, *(i for level in ESCALATION_KINDS for i in self.escalations.get(level, []))]


def _present(today: date):
    return Person.active.is_(True), or_(Person.left_on.is_(None), Person.left_on > today)


def _rows(today: date) -> tuple[list, dict[int, Assignment]]:
    """(assignment id, status, own due date, unit path, person, account) of the people who might be due
    something today."""
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.active.is_(True),
                                                                   Assignment.starts_on <= today)))
    if not assignments:
        return [], {}
    horizon = max((d for a in assignments for d in a.remind_days_before or []), default=0)
    rows = status_rows(assignments, today, certified=False).subquery()
    return db.session.execute(
        select(rows.c.assignment_id, rows.c.status, rows.c.due_on, rows.c.unit_path, Person, Account)
        .join(Person, Person.id == rows.c.person_id).outerjoin(Account, Account.person_id == Person.id)
        .where(rows.c.status.in_(PENDING), rows.c.due_on <= today + timedelta(days=horizon),
               *_present(today))).all(), {a.id: a for a in assignments}


def _learner_kind(assignment: Assignment, days: int) -> str | None:
    """The reminder due ``days`` after the due date (negative: before it), if any."""
    if days < 0:
        return "before" if -days in (assignment.remind_days_before or []) else None
    if days == 0:
        return "due" if assignment.remind_on_due else None
    every = assignment.remind_every_days or 0
    if every and days % every == 0 and days // every <= (assignment.remind_max_after or 0):
        return "after"
    return None


def _escalated() -> dict[tuple[str, int, int], date]:
    """(level, person, assignment) → the last day it was escalated."""
    return {(kind, person, assignment): day for kind, person, assignment, day in db.session.execute(
        select(ReminderLog.kind, ReminderLog.person_id, ReminderLog.assignment_id, func.max(ReminderLog.day))
        .where(ReminderLog.kind.in_(ESCALATION_KINDS))
        .group_by(ReminderLog.kind, ReminderLog.person_id, ReminderLog.assignment_id))}


def due_items(today: date) -> tuple[list[Item], dict[int, Account | None]]:
    """Today's items not yet sent, and the account of each person they are about."""
    found, by_id = _rows(today)
    if not found:
        return [], {}
    sent = {(r.kind, r.person_id, r.assignment_id)
            for r in db.session.scalars(select(ReminderLog).where(ReminderLog.day == today))}
    escalated = _escalated()
    items: list[Item] = []
    accounts: dict[int, Account | None] = {}
    for assignment_id, status, due_on, unit_path, person, account in found:
        assignment = by_id[assignment_id]
        days = (today - due_on).days
        kinds = [_learner_kind(assignment, days)]
        if status == Status.OVERDUE.value:
            for level, after in (("head", assignment.escalate_head_days), ("hr", assignment.escalate_hr_days)):
                last = escalated.get((level, person.id, assignment_id))
                if after and days >= after and (last is None or last <= due_on):
                    kinds.append(level)
        for kind in kinds:
            if kind and (kind, person.id, assignment_id) not in sent:
                items.append(Item(kind, person, assignment, due_on, abs(days), unit_path))
                accounts[person.id] = account
    return items, accounts


class Escalation:
    """Who is told about a person's unit: unit heads of the nearest unit that has any, HR of the nearest unit
    above it (or of the province). Read once per run."""

    def __init__(self, today: date) -> None:
        self.by_role: dict[str, dict[int | None, list[Account]]] = {Role.UNIT_HEAD.value: {}, Role.HR.value: {}}
        grants = db.session.execute(
            select(RoleGrant.role, RoleGrant.unit_id, Account).join(Account, Account.id == RoleGrant.account_id)
            .join(Person, Person.id == Account.person_id)
            .where(RoleGrant.role.in_(list(self.by_role)), *_present(today))).all()
        for role, unit_id, account in grants:
            if account.is_active:
                self.by_role[role].setdefault(unit_id, []).append(account)

    def recipients(self, item: Item) -> tuple[int | None, list[Account]]:
        """(the unit whose people they look after, the accounts told) for an escalation ``item``."""
        path = Unit.ids_on_path(item.unit_path)
        if item.kind == "head":
            role, units = Role.UNIT_HEAD.value, [*reversed(path)]
        else:
            role, units = Role.HR.value, [*reversed(path[:-1]), None]
        for unit_id in units:
            told = [a for a in self.by_role[role].get(unit_id, []) if a.person_id != item.person.id]
            if told:
                return unit_id, told
        return None, []


def plan(today: date) -> list[Digest]:
    """Today's digests, one per recipient (writes nothing)."""
    items, accounts = due_items(today)
    if not items:
        return []
    mailed = set(db.session.scalars(select(ReminderLog.person_id).where(ReminderLog.day == today,
                                                                        ReminderLog.kind == "mail")))
    escalation = Escalation(today) if any(i.kind in ESCALATION_KINDS for i in items) else None
    digests: dict[int, Digest] = {}

    def digest_for(person: Person, account: Account | None) -> Digest:
        if person.id not in digests:
            digests[person.id] = Digest(person, account, mailed_today=person.id in mailed)
        return digests[person.id]

    for item in items:
        if item.kind in LEARNER_KINDS:
            digest_for(item.person, accounts.get(item.person.id)).own.append(item)
            continue
        unit_id, told = escalation.recipients(item)
        for account in told:
            digest = digest_for(account.person, account)
            digest.escalations.setdefault(item.kind, []).append(item)
            digest.scope.setdefault(item.kind, unit_id)
    return sorted(digests.values(), key=lambda d: (d.recipient.given_name, d.recipient.middle_name, d.recipient.id))
