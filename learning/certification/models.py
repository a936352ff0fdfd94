"""Certificates: issued from a completion, verifiable by a public code, revocable."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext
from sqlalchemy import Date, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.auth.models import Account
from learning.catalog.models import Course, CourseVersion
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Person


class StoredStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"  # replaced by a re-issued certificate (e.g. a name correction)


class JobStatus(enum.StrEnum):
    """Where a background ``Job`` is: queued → running → done or failed (an interrupted run is queued again)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Status(enum.StrEnum):
    """What a reader of the certificate is told, derived from the stored status and the date."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.VALID: lazy_gettext("Hợp lệ"),
    Status.EXPIRING: lazy_gettext("Hợp lệ, sắp hết hạn"),
    Status.EXPIRED: lazy_gettext("Hết hạn"),
    Status.REVOKED: lazy_gettext("Đã thu hồi"),
    Status.SUPERSEDED: lazy_gettext("Đã được thay thế"),
}


class SerialCounter(db.Model):
    """The last serial number used for a prefix such as ``QN-2026``."""

    __tablename__ = "serial_counter"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(30), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # public verification code
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completion.id"), index=True)
    # Snapshot of what the certificate says, frozen at issue time.
    person_name: Mapped[str] = mapped_column(String(200))
    # Printed beside the name to tell namesakes apart (CERT_HOLDER_DISAMBIGUATOR): "sinh ngày 12/03/1985".
    holder_note: Mapped[str] = mapped_column(String(60), default="", server_default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(255))
    course_title: Mapped[str] = mapped_column(String(255))
    course_version_number: Mapped[int] = mapped_column()
    score: Mapped[float] = mapped_column()
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    valid_until: Mapped[date] = mapped_column(Date, index=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    stored_status: Mapped[str] = mapped_column("status", String(20), default=StoredStatus.VALID, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)

    person: Mapped[Person] = relationship(lazy="joined")
    course: Mapped[Course] = relationship()
    course_version: Mapped[CourseVersion] = relationship()
    revoked_by: Mapped[Account | None] = relationship()
    file: Mapped[CertificateFile | None] = relationship(
        back_populates="certificate", uselist=False, cascade="all, delete-orphan", lazy="select"
    )

    @property
    def holder(self) -> str:
        """The name as printed: "Nguyễn Văn An (sinh ngày 12/03/1985)"."""
        return f"{self.person_name} ({self.holder_note})" if self.holder_note else self.person_name

    def status_on(self, day: date, expiring_days: int = 30) -> Status:
        if self.stored_status == StoredStatus.REVOKED:
            return Status.REVOKED
        if self.stored_status == StoredStatus.SUPERSEDED:
            return Status.SUPERSEDED
        if self.valid_until < day:
            return Status.EXPIRED
        if self.valid_until <= day + timedelta(days=expiring_days):
            return Status.EXPIRING
        return Status.VALID

    def revoke(self, reason: str, by: Account | None) -> None:
        self.stored_status = StoredStatus.REVOKED
        self.revoke_reason = reason
        self.revoked_by_id = by.id if by else None
        self.revoked_at = utcnow()


class CertificateFile(db.Model):
    """The PDF exactly as issued (its SHA-256 is on the certificate)."""

    __tablename__ = "certificate_file"

    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    certificate: Mapped[Certificate] = relationship(back_populates="file")


class Job(db.Model):
    """A background job (certificate batches, exports) whose progress a page can show."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(db.JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result_path: Mapped[str] = mapped_column(String(400), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    created_by: Mapped[Account | None] = relationship()

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == JobStatus.DONE else 0)
