"""Background task: today's reminders and escalations (notices always; mail when MAIL_SERVER is set)."""

from __future__ import annotations

import logging

from learning.assignments import reminder_mail, reminders
from learning.core.dates import local_today
from learning.extensions import db
from learning.jobs import task
from learning.notify import mail


def run_reminders() -> reminder_mail.Outcome:
    """Plan and deliver today's digests; the caller commits."""
    today = local_today()
    settings = mail.settings()
    if not settings.enabled:  # the beat schedule runs this daily, mail or not: the notices still go out
        logging.getLogger(__name__).info("reminder mail skipped: MAIL_SERVER is not set (notices only)")
    return reminder_mail.deliver(reminders.plan(today), settings, today)


@task("reminders.send")
def send_reminders() -> int:
    outcome = run_reminders()
    db.session.commit()
    return outcome.mails
