"""PAR rubric versions, assessors' verified points, and frozen snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.auth.models import Account
from learning.core.dates import utcnow
from learning.extensions import db
from learning.par.rubric import Rubric, parse


class RubricVersion(db.Model):
    __tablename__ = "par_rubric"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # the YAML as uploaded
    example: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    uploaded_by: Mapped[Account | None] = relationship()

    @property
    def rubric(self) -> Rubric:
        return parse(self.text)

    @property
    def label(self) -> str:
        return f"{self.code} {self.version}"


class Verification(db.Model):
    """The assessor's verified points (điểm thẩm định) and note for one unit, period and criterion."""

    __tablename__ = "par_verification"
    __table_args__ = (UniqueConstraint("period", "unit_id", "rubric_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[int] = mapped_column(index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("par_rubric.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(20))
    points: Mapped[float | None] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Snapshot(db.Model):
    """A frozen table of a period: later data changes never alter it (in force until unfrozen)."""

    __tablename__ = "par_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[int] = mapped_column(index=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("par_rubric.id"), index=True)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # An administrator may unfreeze a period with a reason; the snapshot stays, no longer in force.
    unfrozen_at: Mapped[datetime | None] = mapped_column(DateTime)
    unfrozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    unfreeze_reason: Mapped[str | None] = mapped_column(Text)

    rubric: Mapped[RubricVersion] = relationship()
    frozen_by: Mapped[Account | None] = relationship(foreign_keys=[frozen_by_id])
    unfrozen_by: Mapped[Account | None] = relationship(foreign_keys=[unfrozen_by_id])
