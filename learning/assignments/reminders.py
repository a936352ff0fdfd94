"""E-mail reminders: learners due soon or overdue, and a weekly digest to unit heads.

Idempotent per day: each (day, kind, person, assignment) is logged once, so running the command
twice on a day sends nothing new.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from sqlalchemy import select

from learning.assignments.models import Assignment, ReminderLog
from learning.auth.models import Account, Role, RoleGrant
from learning.extensions import db
from learning.org.models import Person, Unit
from learning.progress.engine import status_rows
from learning.progress.labels import Status

PENDING = (Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.EXPIRED.value, Status.OVERDUE.value)


@dataclass
class Outgoing:
    person: Person
    subject: str
    lines: list[str] = field(default_factory=list)
    log: list[tuple[str, int | None]] = field(default_factory=list)  # (kind, assignment id)

    def message(self, sender: str, base_url: str) -> EmailMessage:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, self.person.email, self.subject
        body = [f"Kính gửi {self.person.full_name},", "", *self.lines, "",
                f"Vào học tại: {base_url}/", "", "Thư này được gửi tự động; xin đừng trả lời."]
        message.set_content("\n".join(body))
        return message


def _already(today: date) -> set[tuple[str, int, int | None]]:
    return {(r.kind, r.person_id, r.assignment_id)
            for r in db.session.scalars(select(ReminderLog).where(ReminderLog.day == today))}


def learner_reminders(today: date, days_before: int) -> list[Outgoing]:
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.active.is_(True))))
    assignments = [a for a in assignments if (a.due_on - today).days <= days_before]
    rows = status_rows(assignments, today)
    if rows is None:
        return []
    rows = rows.subquery()
    found = db.session.execute(select(rows.c.assignment_id, rows.c.status, Person)
                               .join(Person, Person.id == rows.c.person_id)
                               .where(rows.c.status.in_(PENDING), Person.email.is_not(None))).all()
    sent = _already(today)
    by_id = {a.id: a for a in assignments}
    mails: dict[int, Outgoing] = {}
    for assignment_id, status, person in found:
        kind = "overdue" if status == Status.OVERDUE.value else "due_soon"
        if (kind, person.id, assignment_id) in sent:
            continue
        assignment = by_id[assignment_id]
        mail = mails.setdefault(person.id, Outgoing(person, "Nhắc việc: khóa học bắt buộc"))
        when = (f"đã quá hạn từ {assignment.due_on:%d/%m/%Y}" if kind == "overdue"
                else f"hạn hoàn thành {assignment.due_on:%d/%m/%Y}")
        mail.lines.append(f"- {assignment.course.title}: {when}.")
        mail.log.append((kind, assignment_id))
    for mail in mails.values():
        if any(kind == "overdue" for kind, _ in mail.log):
            mail.subject = "Quá hạn: khóa học bắt buộc chưa hoàn thành"
    return list(mails.values())


def head_digests(today: date) -> list[Outgoing]:
    """Weekly: each unit head with overdue people in their units gets one summary."""
    week_ago = today - timedelta(days=6)
    recent = set(db.session.scalars(select(ReminderLog.person_id).where(
        ReminderLog.kind == "digest", ReminderLog.day >= week_ago)))
    grants = db.session.execute(select(RoleGrant, Account).join(Account, Account.id == RoleGrant.account_id)
                                .where(RoleGrant.role == Role.UNIT_HEAD.value, RoleGrant.unit_id.is_not(None))).all()
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.active.is_(True),
                                                                   Assignment.due_on < today)))
    digests: dict[int, Outgoing] = {}
    for grant, account in grants:
        head = account.person
        if not head.email or head.id in recent or not account.is_active or not assignments:
            continue
        rows = status_rows(assignments, today, Unit.path.startswith(grant.unit.path, autoescape=True)).subquery()
        late = db.session.execute(select(Person, rows.c.assignment_id).join(Person, Person.id == rows.c.person_id)
                                  .where(rows.c.status == Status.OVERDUE.value)).all()
        if not late:
            continue
        mail = digests.setdefault(head.id, Outgoing(head, "Tổng hợp hằng tuần: cán bộ quá hạn học tập"))
        by_course: dict[str, list[str]] = defaultdict(list)
        titles = {a.id: a.course.title for a in assignments}
        for person, assignment_id in late:
            by_course[titles[assignment_id]].append(f"{person.full_name} ({person.unit.name})")
        mail.lines.append(f"{grant.unit.name}: {len(late)} lượt quá hạn.")
        for title, names in by_course.items():
            mail.lines.append(f"- {title}: " + "; ".join(names[:30]) + (" …" if len(names) > 30 else ""))
        if (("digest", None)) not in mail.log:
            mail.log.append(("digest", None))
    return list(digests.values())


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    sender: str
    base_url: str


def send(mails: list[Outgoing], settings: MailSettings, today: date) -> int:
    """Send over SMTP and log each reminder; the caller commits."""
    if not mails:
        return 0
    with smtplib.SMTP(settings.server, settings.port, timeout=30) as smtp:
        for mail in mails:
            smtp.send_message(mail.message(settings.sender, settings.base_url))
            for kind, assignment_id in mail.log:
                db.session.add(ReminderLog(day=today, kind=kind, person_id=mail.person.id,
                                           assignment_id=assignment_id))
    return len(mails)
