"""One e-mail over SMTP (MAIL_SERVER, MAIL_PORT, MAIL_FROM); batches of reminders use ``assignments.reminders``."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


class MailNotConfigured(RuntimeError):
    """MAIL_SERVER is not set."""


def send_mail(to: str, subject: str, text: str) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise MailNotConfigured("MAIL_SERVER is not set")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_FROM"], to, subject
    message.set_content(text)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        smtp.send_message(message)
