"""Certificates expiring soon: a notice to the holder before the date.

Expiry itself is derived, never stored: a certificate reads "expiring" within CERT_EXPIRING_DAYS
of its ``valid_until`` and "expired" after it (``Certificate.status_on``), and a course becomes
due again through its assignment, whose status turns to "Hết hạn chứng nhận" once the last
completion falls out of the recertification window. So nothing needs marking at midnight; what a
schedule adds is telling people in time. Once a day each holder of a current certificate that
expires within the window gets one e-mail naming it, unless an earlier notice already did.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import and_, func, select

from learning.certification.models import Certificate, StoredStatus
from learning.core.dates import local_today
from learning.extensions import db
from learning.jobs import task
from learning.notify import mail
from learning.notify.models import ReminderLog
from learning.org.models import Person

log = logging.getLogger(__name__)
KIND = "cert_expiring"


@dataclass
class Outgoing:
    """One expiry mail to one person, and the reminder-log rows that keep it to once."""

    person: Person
    subject: str
    lines: list[str] = field(default_factory=list)
    log: list[tuple[str, int | None]] = field(default_factory=list)  # (kind, assignment id)

    def message(self, settings: mail.MailSettings) -> EmailMessage:
        text = mail.letter(self.person.full_name, self.lines, ("Vào học tại", f"{settings.base_url}/"))
        return mail.message(self.person.email, self.subject, text, sender=settings.sender)


def send(mails: list[Outgoing], settings: mail.MailSettings, today: date) -> int:
    """Send through one connection and log each notice; the caller commits. A failed mail raises (one of
    ``mail.MAIL_ERRORS``): the task fails and, nothing being committed, the next run sends them again."""
    if not mails:
        return 0
    with mail.Outbox(settings) as outbox:
        for outgoing in mails:
            outbox.send(outgoing.message(settings))
            for kind, assignment_id in outgoing.log:
                db.session.add(ReminderLog(day=today, kind=kind, person_id=outgoing.person.id,
                                           assignment_id=assignment_id))
    return len(mails)


def expiring_notices(today: date, days: int) -> list[Outgoing]:
    """One mail per person whose latest valid certificate of a course expires in ``days`` days or fewer.

    A certificate counts as notified when a notice went to its holder on a day it was already
    inside the window (every notice names all certificates inside the window), so running this
    twice a day, or every day, names each certificate once.
    """
    latest = (select(Certificate.person_id, Certificate.course_id,
                     func.max(Certificate.valid_until).label("valid_until"))
              .where(Certificate.stored_status == StoredStatus.VALID)
              .group_by(Certificate.person_id, Certificate.course_id).subquery())
    rows = db.session.execute(
        select(Certificate, Person)
        .join(latest, and_(latest.c.person_id == Certificate.person_id, latest.c.course_id == Certificate.course_id,
                           latest.c.valid_until == Certificate.valid_until))
        .join(Person, Person.id == Certificate.person_id)
        .where(Certificate.stored_status == StoredStatus.VALID, Certificate.valid_until >= today,
               Certificate.valid_until <= today + timedelta(days=days), Person.active.is_(True),
               Person.email.is_not(None))
        .order_by(Person.id, Certificate.valid_until)).all()
    last_notice = dict(db.session.execute(
        select(ReminderLog.person_id, func.max(ReminderLog.day)).where(ReminderLog.kind == KIND)
        .group_by(ReminderLog.person_id)).all())
    mails: dict[int, Outgoing] = {}
    for cert, person in rows:
        noticed = last_notice.get(person.id)
        if noticed is not None and noticed >= cert.valid_until - timedelta(days=days):
            continue
        outgoing = mails.setdefault(person.id, Outgoing(person, "Chứng nhận sắp hết hạn", log=[(KIND, None)]))
        outgoing.lines.append(f"- {cert.course_title} (số hiệu {cert.serial}): có giá trị đến "
                          f"{cert.valid_until:%d/%m/%Y}.")
    for outgoing in mails.values():
        outgoing.lines += ["", "Hãy học lại và làm bài kiểm tra trước ngày hết hạn để được cấp chứng nhận mới."]
    return list(mails.values())


@task("certificates.expiry_notices")
def send_expiry_notices() -> int:
    """Today's expiry notices (the beat schedule runs this every morning)."""
    if not current_app.config["MAIL_SERVER"]:
        log.info("certificate expiry notices skipped: MAIL_SERVER is not set")
        return 0
    today = local_today()
    count = send(expiring_notices(today, current_app.config["CERT_EXPIRING_DAYS"]), mail.settings(), today)
    db.session.commit()
    return count
