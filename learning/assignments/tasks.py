"""Background task: today's reminders."""

from __future__ import annotations

import logging

from flask import current_app

from learning.assignments import reminders
from learning.core.dates import local_today
from learning.extensions import db
from learning.jobs import task


def mail_settings() -> reminders.MailSettings:
    config = current_app.config
    return reminders.MailSettings(config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_FROM"],
                                  config["BASE_URL"])


@task("reminders.send")
def send_reminders() -> int:
    if not current_app.config["MAIL_SERVER"]:  # the beat schedule runs this daily, mail or not
        logging.getLogger(__name__).info("reminders skipped: MAIL_SERVER is not set")
        return 0
    today = local_today()
    mails = reminders.learner_reminders(today, current_app.config["REMINDER_DAYS_BEFORE"])
    mails += reminders.head_digests(today)
    count = reminders.send(mails, mail_settings(), today)
    db.session.commit()
    return count
