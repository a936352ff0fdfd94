"""Question banks, loaded per course version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.catalog.models import CourseVersion
from learning.extensions import db


class Question(db.Model):
    """One answerable question. Scenario sub-questions share ``group_key`` and ``scenario``.

    ``options`` is a list of ``{"id": "a", "text", "correct", "feedback"}`` in file order;
    option ids are stable within a course version and options are shuffled per attempt. The ids
    never reach the browser: a page carries per-attempt opaque values (``engine.option_token``).
    """

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("course_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # id in the bank file, e.g. "uxm-21a"
    group_key: Mapped[str] = mapped_column(String(40))  # scenario id, or the question's own key
    position: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))  # a name in learning/assessment/kinds.py KINDS
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


class Attempt(db.Model):
    """One try at a course's quiz: what was drawn (and in which order), answers, and the result.

    ``open_key`` is "person:course" while the attempt is open and NULL once submitted; its unique
    index lets the database itself refuse a second open attempt.
    """

    __tablename__ = "attempt"
    # A person's attempts at a course (the quiz start, the completion check, the status's "started" test).
    __table_args__ = (db.Index("ix_attempt_person_course_started", "person_id", "course_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"), index=True)
    open_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    seed: Mapped[int] = mapped_column()
    pages: Mapped[list[list[int]]] = mapped_column(JSON)  # question ids, grouped by page, in order
    option_order: Mapped[dict[str, list[str]]] = mapped_column(JSON)  # question id → option ids
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # id → {"options": [...], "at": iso}
    started_at: Mapped[datetime] = mapped_column(DateTime)
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    submit_reason: Mapped[str] = mapped_column(String(20), default="")  # learner | time_limit
    score: Mapped[float | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()
    results: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)  # question key → correct
    # Set when the retention purge removed the answers (pages, options, answers, results); the score stays.
    details_purged_at: Mapped[datetime | None] = mapped_column(DateTime)

    course_version: Mapped[CourseVersion] = relationship()

    @property
    def question_ids(self) -> list[int]:
        return [qid for page in self.pages for qid in page]

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None
