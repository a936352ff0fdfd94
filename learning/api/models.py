"""Bearer tokens for the read-only integration API: hashed at rest, scoped to a unit, revocable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Unit

READ, TEXTCHECK = "read", "textcheck"
SCOPES = (READ, TEXTCHECK)  # read: the data endpoints; textcheck: POST /text-check only (reads no data)


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")  # declared at issue; logged with every read
    scope: Mapped[str] = mapped_column(String(20), default=READ, server_default=READ)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists to tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)  # None = whole province
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.revoked_at is None
