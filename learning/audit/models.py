"""Append-only audit events: who did what, when, to which object; and how long data is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.auth.models import Account
from learning.core.dates import utcnow
from learning.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(80), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Account | None] = relationship(lazy="joined")


class RetentionPolicy(db.Model):
    """How long audit events and quiz answer details are kept (one row; the defaults apply without it).

    The lower bounds are also database constraints, so no path around the admin form can set less.
    """

    __tablename__ = "retention_policy"
    __table_args__ = (
        CheckConstraint("audit_months >= 12", name="audit_months_min"),
        CheckConstraint("attempt_months >= 6", name="attempt_months_min"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_months: Mapped[int] = mapped_column()
    attempt_months: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)

    updated_by: Mapped[Account | None] = relationship()
