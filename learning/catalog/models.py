"""Courses with versioned content, lessons, and the regulation library they cite."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.catalog.citations import anchor_label
from learning.catalog.settings import CourseSettings
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Person


class RegulationSource(db.Model):
    """One source document of the library, e.g. ``qd-22-2024-qn``."""

    __tablename__ = "regulation_source"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(Text)
    short_title: Mapped[str] = mapped_column(String(160))
    issuer: Mapped[str] = mapped_column(String(255))
    issued: Mapped[date | None] = mapped_column(Date)
    effective: Mapped[date | None] = mapped_column(Date)
    currency_note: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)

    sections: Mapped[list[RegulationSection]] = relationship(
        back_populates="source", order_by="RegulationSection.position",
        cascade="all, delete-orphan",
    )


class RegulationSection(db.Model):
    """An article, clause or point with its citation anchor (``d5-k3``)."""

    __tablename__ = "regulation_section"
    __table_args__ = (UniqueConstraint("source_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("regulation_source.id"), index=True)
    anchor: Mapped[str] = mapped_column(String(60))
    parent_anchor: Mapped[str | None] = mapped_column(String(60))
    depth: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")

    source: Mapped[RegulationSource] = relationship(back_populates="sections")

    @property
    def citation_key(self) -> str:
        return f"{self.source_id}#{self.anchor}"

    @property
    def toc_title(self) -> str:
        """The heading, or for an unheaded part its label and the start of its first line."""
        if self.heading:
            return self.heading
        first_line = " ".join(self.text.strip().split("\n", 1)[0].split())
        if len(first_line) > 80:
            first_line = first_line[:79].rsplit(" ", 1)[0] + "…"
        label = anchor_label(self.anchor)
        return f"{label}: {first_line}" if label != self.anchor and first_line else first_line or label


class Course(db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_version.id", use_alter=True, name="fk_course_current_version"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)

    current_version: Mapped[CourseVersion | None] = relationship(
        foreign_keys=[current_version_id], lazy="joined", post_update=True
    )
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", foreign_keys="CourseVersion.course_id",
        order_by="CourseVersion.version",
    )

    @property
    def title(self) -> str:
        return self.current_version.title if self.current_version else self.code


class CourseVersion(db.Model):
    """An immutable snapshot of a course's content; attempts and certificates point here."""

    __tablename__ = "course_version"
    __table_args__ = (UniqueConstraint("course_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    version: Mapped[int] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    settings_json: Mapped[dict[str, Any]] = mapped_column("settings", JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="versions", foreign_keys=[course_id])
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course_version", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    @property
    def settings(self) -> CourseSettings:
        return CourseSettings.model_validate(self.settings_json)


class Lesson(db.Model):
    __tablename__ = "lesson"
    __table_args__ = (UniqueConstraint("course_version_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    position: Mapped[int] = mapped_column()
    slug: Mapped[str] = mapped_column(String(120))  # the file name without ".md"
    title: Mapped[str] = mapped_column(String(255))
    minutes: Mapped[int] = mapped_column(default=5)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # rendered at load time, citations as links
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)

    course_version: Mapped[CourseVersion] = relationship(back_populates="lessons")


class Completion(db.Model):
    """A person completed a course version (passed its quiz, read the lessons it requires).

    The certificate is issued from this record; compliance is derived from it.
    """

    __tablename__ = "completion"
    # The latest completion of a person and course (learner home, status queries, the "counting" anti-join of
    # the dashboards' late list): one index range per (person, course), newest last.
    __table_args__ = (db.Index("ix_completion_person_course_completed", "person_id", "course_id", "completed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    # the passing attempt, when there is one (a plain column, no foreign key); looked up on every submit
    attempt_id: Mapped[int | None] = mapped_column(index=True)
    score: Mapped[float] = mapped_column()  # percent, 0–100
    completed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    person: Mapped[Person] = relationship()
    course: Mapped[Course] = relationship(lazy="joined")
    course_version: Mapped[CourseVersion] = relationship()


class LessonProgress(db.Model):
    """A lesson marked as read. Keyed by course and lesson slug, so it survives a new content
    version in which the lesson still exists."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("person_id", "course_id", "lesson_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    lesson_slug: Mapped[str] = mapped_column(String(120))
    read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LessonOpening(db.Model):
    """When a person first opened a lesson page of one course version, recorded by the server: "Đã đọc
    xong" counts only once a share of the lesson's minutes has passed since (issue 18 item 4)."""

    __tablename__ = "lesson_opening"
    __table_args__ = (UniqueConstraint("person_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
