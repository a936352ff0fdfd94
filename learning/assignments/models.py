"""Mandatory assignments: a course for a unit subtree (optionally some categories/positions)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext
from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.auth.models import Account
from learning.catalog.models import Course
from learning.core.dates import utcnow
from learning.extensions import db
from learning.notify.models import ReminderLog  # noqa: F401 - moved to notify (issue 21); still importable here
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
    # People who join the audience after starts_on are due this many days after joining (never before due_on).
    joiner_days: Mapped[int] = mapped_column(default=30, server_default="30")
    note: Mapped[str] = mapped_column(Text, default="")
    # Reminders (``assignments.reminders``), counted from each person's own due date: days before it, on it,
    # every N days after it (0: none) for at most M reminders; escalation to the unit head after X days
    # overdue and to HR of the parent unit after Y days (0: no escalation; not None, which the ORM would
    # replace by the default).
    remind_days_before: Mapped[list[int]] = mapped_column(JSON, default=lambda: [7], server_default="[7]")
    remind_on_due: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    remind_every_days: Mapped[int] = mapped_column(default=7, server_default="7")
    remind_max_after: Mapped[int] = mapped_column(default=4, server_default="4")
    escalate_head_days: Mapped[int] = mapped_column(default=7, server_default="7")
    escalate_hr_days: Mapped[int] = mapped_column(default=21, server_default="21")
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    created_by: Mapped[Account | None] = relationship()


class ExemptionKind(enum.StrEnum):
    EXEMPT = "exempt"  # out of the denominator for this assignment
    EXTEND = "extend"  # a later due date for this person

    @property
    def label(self) -> str:
        return str(EXEMPTION_KIND_LABELS[self])


EXEMPTION_KIND_LABELS = {ExemptionKind.EXEMPT: lazy_gettext("Miễn"), ExemptionKind.EXTEND: lazy_gettext("Gia hạn")}


class ExemptionReason(enum.StrEnum):
    MATERNITY = "maternity"
    LONG_SICK = "long_sick"
    SECONDMENT = "secondment"  # biệt phái / đi học
    EQUIVALENT = "equivalent"  # đã học tương đương (with evidence)
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(EXEMPTION_REASON_LABELS[self])


EXEMPTION_REASON_LABELS = {
    ExemptionReason.MATERNITY: lazy_gettext("Nghỉ thai sản"),
    ExemptionReason.LONG_SICK: lazy_gettext("Ốm dài ngày"),
    ExemptionReason.SECONDMENT: lazy_gettext("Biệt phái / đi học"),
    ExemptionReason.EQUIVALENT: lazy_gettext("Đã học tương đương"),
    ExemptionReason.OTHER: lazy_gettext("Lý do khác"),
}


class ExemptionStatus(enum.StrEnum):
    REQUESTED = "requested"  # by a unit head, waiting for HR
    APPROVED = "approved"  # only approved rows change a person's status
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(EXEMPTION_STATUS_LABELS[self])


EXEMPTION_STATUS_LABELS = {
    ExemptionStatus.REQUESTED: lazy_gettext("Chờ duyệt"),
    ExemptionStatus.APPROVED: lazy_gettext("Đã duyệt"),
    ExemptionStatus.REJECTED: lazy_gettext("Bị từ chối"),
    ExemptionStatus.WITHDRAWN: lazy_gettext("Đã rút"),
}


class Exemption(db.Model):
    """An exemption or an extension of one person for one assignment. Rows are never deleted: a decision
    is a new status on the row, and a later request is a new row (the latest approved one applies)."""

    __tablename__ = "exemption"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(20))
    new_due_on: Mapped[date | None] = mapped_column(Date)  # extensions only
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")  # e.g. the decision or certificate it rests on
    status: Mapped[str] = mapped_column(String(20), default=ExemptionStatus.REQUESTED.value, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (db.Index("ix_exemption_assignment_status", "assignment_id", "status"),)

    assignment: Mapped[Assignment] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return ExemptionKind(self.kind).label

    @property
    def reason_label(self) -> str:
        return ExemptionReason(self.reason).label

    @property
    def status_label(self) -> str:
        return ExemptionStatus(self.status).label
