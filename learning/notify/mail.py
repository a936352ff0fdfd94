"""Every e-mail the platform sends goes out here: reminders and escalations (``assignments.reminder_mail``), the
"remind now" mail (``assignments.transcript``), certificate expiry notices (``certification.expiry``),
invitations (``auth.invitations``) and password-reset links (``auth.reset``).

The relay is ``MAIL_SERVER``/``MAIL_PORT`` (plain SMTP, no TLS, 30 s timeout), the sender ``MAIL_FROM``. A
batch sends through one ``Outbox`` (one connection, opened on the first mail; after a failed mail it is dropped
and the next mail opens a new one); a single mail uses ``send_mail``. A failed mail raises one of
``MAIL_ERRORS``; what that means (skip the person, fail the job, tell the user) is the caller's call. How often a
person may be mailed (at most one digest a day, one "remind now" a day, each expiring certificate once) is kept
in ``notify.models.ReminderLog`` by the callers.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

MAIL_ERRORS = (smtplib.SMTPException, OSError)  # what a refused or unreachable relay raises
TIMEOUT = 30  # seconds, per connection
FOOTER = "Thư này được gửi tự động; xin đừng trả lời."


class MailNotConfigured(RuntimeError):
    """MAIL_SERVER is not set."""


@dataclass(frozen=True)
class MailSettings:
    server: str  # empty: mail off
    port: int
    sender: str
    base_url: str

    @property
    def enabled(self) -> bool:
        return bool(self.server)


def settings() -> MailSettings:
    """The app's mail settings (MAIL_SERVER, MAIL_PORT, MAIL_FROM, BASE_URL)."""
    config = current_app.config
    return MailSettings(config.get("MAIL_SERVER") or "", config["MAIL_PORT"], config["MAIL_FROM"],
                        config["BASE_URL"])


def letter(name: str, lines: Iterable[str], link: tuple[str, str] | None = None, footer: str = FOOTER) -> str:
    """A plain-text Vietnamese letter: the greeting, ``lines``, an optional ``(label, url)`` line and the
    footer."""
    body = [f"Kính gửi {name},", "", *lines, ""]
    if link is not None:
        body += [f"{link[0]}: {link[1]}", ""]
    return "\n".join([*body, footer])


def message(to: str, subject: str, text: str, *, html: str | None = None,
            sender: str | None = None) -> EmailMessage:
    """A mail with a plain-text part (and an HTML alternative when given), From ``MAIL_FROM`` unless
    ``sender`` is given."""
    mail = EmailMessage()
    mail["From"] = sender or current_app.config["MAIL_FROM"]
    mail["To"], mail["Subject"] = to, subject
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    return mail


class Outbox:
    """One SMTP connection for a batch of mails; use as a context manager (closes it at the end)."""

    def __init__(self, mail_settings: MailSettings | None = None) -> None:
        self.settings = mail_settings or settings()
        if not self.settings.enabled:
            raise MailNotConfigured("MAIL_SERVER is not set")
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except MAIL_ERRORS:
                self._smtp.close()
            self._smtp = None

    def connect(self) -> None:
        """Open the connection now (raises one of ``MAIL_ERRORS`` when the relay cannot be reached)."""
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self.settings.server, self.settings.port, timeout=TIMEOUT)

    def send(self, mail: EmailMessage) -> None:
        """Send one mail; on failure the connection is dropped (the next mail opens a new one) and the error
        raised."""
        try:
            self.connect()
            self._smtp.send_message(mail)
        except MAIL_ERRORS:
            if self._smtp is not None:
                self._smtp.close()
            self._smtp = None
            raise


def send_mail(to: str, subject: str, text: str, *, html: str | None = None) -> None:
    """One mail now, over its own connection. Raises MailNotConfigured, or one of ``MAIL_ERRORS``."""
    with Outbox() as outbox:
        outbox.send(message(to, subject, text, html=html))
