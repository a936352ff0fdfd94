"""A notice for one account (shown on the account's notice page until read), and the day log of what was sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learning.core.dates import utcnow
from learning.extensions import db


class Notice(db.Model):
    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str] = mapped_column(String(30))  # e.g. reminder.before, escalation.head
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")  # a path inside the site, or empty
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (db.Index("ix_notice_account_read", "account_id", "read_at"),)


class ReminderLog(db.Model):
    """What was told to whom on which day; it keeps every scheduled mail to its rule. One row per reminder or
    escalation about one person (``reminders send``, idempotent per day; escalations are logged about the
    overdue person, the heads and HR who were told get a ``Notice`` each), one ``mail`` row per recipient and
    day (the digest: at most one a day), one ``manual`` row per "remind now" mail (one a day) and one
    ``cert_expiring`` row per expiry notice (each expiring certificate named once)."""

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    # before | due | after | head | hr | mail | manual | cert_expiring (older rows: due_soon | overdue | digest)
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (db.UniqueConstraint("day", "kind", "person_id", "assignment_id"),)
