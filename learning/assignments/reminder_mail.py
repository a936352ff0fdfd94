"""Delivering today's digests: a notice for every reminder and escalation, at most one mail per person and day.

Idempotent per day through ``ReminderLog``: each item is logged once (a second run finds nothing new), and a
``mail`` row per recipient and day keeps a later run on the same day from mailing them again (its notices
still appear). People without an e-mail address, or with mail off (no ``MAIL_SERVER``), get the notices
only; people without an account get the mail only.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from learning.assignments.reminders import ESCALATION_KINDS, Digest, Item
from learning.extensions import db
from learning.notify import mail
from learning.notify.mail import MailSettings
from learning.notify.models import ReminderLog
from learning.notify.services import notify, path_for

log = logging.getLogger(__name__)
MAX_LINES = 200  # per section of a mail; the full list is on the compliance page
HEADINGS = {"head": "Cán bộ quá hạn học tập (báo thủ trưởng đơn vị):",
            "hr": "Cán bộ quá hạn học tập (báo bộ phận tổ chức cán bộ cấp trên):"}


@dataclass
class Outcome:
    mails: int = 0
    notices: int = 0
    failed: int = 0


def subject(digest: Digest) -> str:
    if any(i.kind == "after" for i in digest.own):
        return "Quá hạn: khóa học bắt buộc chưa hoàn thành"
    if digest.own:
        return "Nhắc việc: khóa học bắt buộc"
    return "Báo cáo: cán bộ quá hạn học tập"


def body(digest: Digest, base_url: str) -> str:
    lines = []
    if digest.own:
        lines += ["Khóa học bắt buộc của bạn:", *(f"- {i.line()}" for i in digest.own), ""]
    for level in ESCALATION_KINDS:
        items = digest.escalations.get(level, [])
        if items:
            lines += [HEADINGS[level], *(f"- {i.line()}" for i in items[:MAX_LINES])]
            if len(items) > MAX_LINES:
                lines.append(f"… và {len(items) - MAX_LINES} lượt khác (xem trang Tuân thủ).")
            lines.append("")
    return mail.letter(digest.recipient.full_name, lines[:-1], ("Vào trang học tập", f"{base_url}/"))


def message(digest: Digest, settings: MailSettings) -> EmailMessage:
    return mail.message(digest.recipient.email, subject(digest), body(digest, settings.base_url),
                        sender=settings.sender)


def will_mail(digest: Digest, settings: MailSettings | None) -> bool:
    return bool(settings and settings.server and digest.recipient.email and not digest.mailed_today)


def _notices(digest: Digest) -> int:
    """One notice per own reminder; per escalation level, one notice naming everyone escalated today."""
    if digest.account is None or not digest.account.is_active:
        return 0
    for item in digest.own:
        notify(digest.account.id, f"reminder.{item.kind}", item.line(),
               link=path_for("catalog.course", code=item.assignment.course.code))
    count = len(digest.own)
    for level in ESCALATION_KINDS:
        items = digest.escalations.get(level, [])
        if not items:
            continue
        unit_id = digest.scope.get(level)
        args = {"trang-thai": "overdue", **({"don-vi": unit_id} if unit_id else {})}
        notify(digest.account.id, f"escalation.{level}", f"{len(items)} lượt quá hạn cần đôn đốc",
               body="\n".join(i.line() for i in items[:MAX_LINES]), link=path_for("assignments.people", **args))
        count += 1
    return count


def notices_for(digest: Digest) -> int:
    """How many notices delivering ``digest`` makes (for the dry run)."""
    if digest.account is None or not digest.account.is_active:
        return 0
    return len(digest.own) + sum(1 for level in ESCALATION_KINDS if digest.escalations.get(level))


def deliver(digests: list[Digest], settings: MailSettings | None, today: date) -> Outcome:
    """Make the notices, send the mails and log everything; the caller commits."""
    outcome = Outcome()
    logged: set[tuple[str, int, int]] = set()
    with mail.Outbox(settings) if settings and settings.enabled else nullcontext() as outbox:
        for digest in digests:
            outcome.notices += _notices(digest)
            for item in digest.items:
                _log(item, today, logged)
            if not will_mail(digest, settings):
                continue
            try:
                outbox.send(message(digest, settings))
            except mail.MAIL_ERRORS as error:
                log.warning("reminder mail to person %s failed: %s", digest.recipient.id, error)
                outcome.failed += 1
                continue
            db.session.add(ReminderLog(day=today, kind="mail", person_id=digest.recipient.id))
            outcome.mails += 1
    return outcome


def _log(item: Item, today: date, logged: set[tuple[str, int, int]]) -> None:
    """An escalation told to several people is one row."""
    key = (item.kind, item.person.id, item.assignment.id)
    if key not in logged:
        logged.add(key)
        db.session.add(ReminderLog(day=today, kind=item.kind, person_id=item.person.id,
                                   assignment_id=item.assignment.id))
