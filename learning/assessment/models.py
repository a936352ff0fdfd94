"""Question banks, loaded per course version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.catalog.models import CourseVersion
from learning.extensions import db


class Question(db.Model):
    """One answerable question. Scenario sub-questions share ``group_key`` and ``scenario``.

    ``options`` is a list of ``{"id": "a", "text", "correct", "feedback"}`` in file order;
    option ids are stable within a course version and options are shuffled per attempt.
    """

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("course_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # id in the bank file, e.g. "uxm-21a"
    group_key: Mapped[str] = mapped_column(String(40))  # scenario id, or the question's own key
    position: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))  # single | multiple | true_false
    scenario: Mapped[str | None] = mapped_column(Text)
    lesson_slug: Mapped[str] = mapped_column(String(120), default="")
    difficulty: Mapped[int] = mapped_column(default=1)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    cite: Mapped[list[str]] = mapped_column(JSON, default=list)

    course_version: Mapped[CourseVersion] = relationship()

    @property
    def correct_ids(self) -> set[str]:
        return {o["id"] for o in self.options if o["correct"]}
