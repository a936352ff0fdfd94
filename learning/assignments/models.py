"""Mandatory assignments: a course for a unit subtree (optionally some categories/positions)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.auth.models import Account
from learning.catalog.models import Course
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Unit


class Assignment(db.Model):
    """Who must complete which course by when. Who is targeted is derived, never stored per person:
    people who join the subtree later are included, and a person who moves keeps their records."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty = every category
    positions: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty = every position
    period: Mapped[int] = mapped_column(index=True)  # the year it counts for, e.g. 2026
    starts_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # A completion counts if it is no older than this at the due date (None: since starts_on).
    recert_months: Mapped[int | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    created_by: Mapped[Account | None] = relationship()


class ReminderLog(db.Model):
    """One reminder sent to one address on one day: makes ``reminders send`` idempotent per day."""

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # due_soon | overdue | digest
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (db.UniqueConstraint("day", "kind", "person_id", "assignment_id"),)
