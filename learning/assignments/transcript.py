"""A person's transcript (hồ sơ học tập): every assignment that counts them, with the status the progress
engine gives, their own due date, attempts and scores, certificates and exemptions; the "remind now"
mail; the PDF.

Bounded queries at any size: the person's assignments (one), their statuses (one ``status_rows`` for that
person only), attempts, certificates, exemptions and the accounts named on them (one each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, render_template
from sqlalchemy import select

from learning.assessment.models import Attempt
from learning.assignments import exemptions
from learning.assignments.models import Assignment, Exemption, ExemptionStatus
from learning.auth.models import Account
from learning.catalog.models import Course
from learning.certification.models import Certificate
from learning.core.i18n import vietnamese
from learning.core.pdf import render_pdf
from learning.extensions import db
from learning.notify import mail
from learning.notify.models import ReminderLog
from learning.org.models import Person, Unit, UnitMembership
from learning.progress.engine import status_rows
from learning.progress.labels import Status

REMINDER_KIND = "manual"  # ReminderLog.kind of the "remind now" mail: at most one per person per day
PENDING = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.OVERDUE, Status.EXPIRED)


@dataclass
class Line:
    assignment: Assignment
    status: Status
    due_on: date  # the person's own due date
    completed_at: datetime | None
    score: float | None
    certified: bool
    attempts: list[Attempt] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)

    @property
    def waiting(self) -> Exemption | None:
        return next((e for e in self.exemptions if e.status == ExemptionStatus.REQUESTED.value), None)

    @property
    def in_force(self) -> Exemption | None:
        return next((e for e in self.exemptions if e.status == ExemptionStatus.APPROVED.value), None)


@dataclass
class Transcript:
    person: Person
    lines: list[Line]
    attempts: list[Attempt]
    certificates: list[Certificate]
    exemptions: list[Exemption]
    accounts: dict[int, Account]
    reminded_today: bool
    course_titles: dict[int, str] = field(default_factory=dict)

    def line(self, assignment_id: int) -> Line | None:
        return next((line for line in self.lines if line.assignment.id == assignment_id), None)

    @property
    def pending(self) -> list[Line]:
        return [line for line in self.lines if line.status in PENDING]


def candidate_assignments(person: Person) -> list[Assignment]:
    """Active assignments over a unit the person belongs or belonged to (the engine decides if they count)."""
    unit_ids = {person.unit_id, *db.session.scalars(select(UnitMembership.unit_id)
                                                    .where(UnitMembership.person_id == person.id))}
    paths = list(db.session.scalars(select(Unit.path).where(Unit.id.in_(unit_ids))))
    found = db.session.scalars(select(Assignment).where(Assignment.active.is_(True))
                               .order_by(Assignment.period.desc(), Assignment.due_on, Assignment.id))
    return [a for a in found if any(path.startswith(a.unit.path) for path in paths)]


def lines_for(person: Person, today: date) -> list[Line]:
    """One line per assignment that counts the person, newest period first."""
    assignments = candidate_assignments(person)
    rows = status_rows(assignments, today, person_id=person.id)
    if rows is None:
        return []
    found = {r.assignment_id: r for r in db.session.execute(rows)}
    return [Line(a, Status(found[a.id].status), found[a.id].due_on, found[a.id].completed_at, found[a.id].score,
                 bool(found[a.id].certified)) for a in assignments if a.id in found]


def build(person: Person, today: date) -> Transcript:
    lines = lines_for(person, today)
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.person_id == person.id,
                                                             Attempt.submitted_at.is_not(None))
                                       .order_by(Attempt.submitted_at.desc())))
    certificates = list(db.session.scalars(select(Certificate).where(Certificate.person_id == person.id)
                                           .order_by(Certificate.issued_at.desc())))
    rows = exemptions.of_person(person.id)
    for line in lines:
        line.attempts = [a for a in attempts if a.course_id == line.assignment.course_id]
        line.exemptions = [e for e in rows if e.assignment_id == line.assignment.id]
    course_ids = {a.course_id for a in attempts}
    titles = {c.id: c.title for c in db.session.scalars(select(Course).where(Course.id.in_(course_ids)))} \
        if course_ids else {}
    return Transcript(person, lines, attempts, certificates, rows, exemptions.accounts_by_id(rows),
                      reminded_on(person, today), titles)


def reminded_on(person: Person, day: date) -> bool:
    return db.session.scalar(select(ReminderLog.id).where(
        ReminderLog.person_id == person.id, ReminderLog.day == day, ReminderLog.kind == REMINDER_KIND)
        .limit(1)) is not None


@vietnamese()
def reminder_text(transcript: Transcript) -> str:
    person = transcript.person
    lines = ["Đơn vị nhắc anh/chị hoàn thành các khóa học bắt buộc sau:", ""]
    for line in transcript.pending:
        when = ("đã quá hạn từ " if line.status is Status.OVERDUE else "hạn hoàn thành ") + \
            line.due_on.strftime("%d/%m/%Y")
        lines.append(f"- {line.assignment.course.title}: {line.status.label.lower()}, {when}.")
    return mail.letter(person.full_name, lines, ("Vào học tại", f"{current_app.config['BASE_URL']}/"),
                       footer="Thư này được gửi từ hệ thống học tập; xin đừng trả lời.")


def remind(transcript: Transcript, today: date) -> None:
    """Send the person one mail listing what is still to do, and log it for the day. The caller checks
    that there is something to say, an address, and no reminder yet today; SMTP errors propagate
    (nothing is logged then)."""
    mail.send_mail(transcript.person.email, "Nhắc việc: khóa học bắt buộc", reminder_text(transcript))
    db.session.add(ReminderLog(day=today, kind=REMINDER_KIND, person_id=transcript.person.id))
    db.session.flush()


@vietnamese()
def pdf(transcript: Transcript, today: date) -> bytes:
    html = render_template("assignments/transcript_pdf.html", t=transcript, today=today,
                           place=current_app.config["ORG_PLACE"], org_name=current_app.config["ORG_NAME"])
    return render_pdf(html)
