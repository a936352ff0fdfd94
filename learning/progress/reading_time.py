"""Time on a lesson page, recorded by the server: "Đã đọc xong" counts only once a share
(``LESSON_MIN_READ_SHARE``, default one half) of the lesson's declared minutes has passed since the person
first opened that lesson of the current course version (issue 18 item 4). Share 0 turns the gate off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learning.catalog.content_cache import LessonEntry
from learning.catalog.models import Lesson, LessonOpening
from learning.core.dates import utcnow
from learning.extensions import db

LessonLike = Lesson | LessonEntry  # what is read of it: ``id`` and ``minutes``
_UNKNOWN = object()


@dataclass(frozen=True)
class ReadingWait:
    """Why a press of "Đã đọc xong" does not count yet: minutes since opening, minutes asked for."""

    opened_minutes: int
    required_minutes: float


def first_opened(person_id: int, lesson_id: int) -> datetime | None:
    return db.session.scalar(select(LessonOpening.first_opened_at).where(
        LessonOpening.person_id == person_id, LessonOpening.lesson_id == lesson_id))


def record_opening(person_id: int, lesson: LessonLike, now: datetime | None = None) -> datetime:
    """The first time the person opened this lesson (recorded now if it is the first)."""
    opened = first_opened(person_id, lesson.id)
    return opened if opened is not None else record_first_opening(person_id, lesson, now)


def record_first_opening(person_id: int, lesson: LessonLike, now: datetime | None = None) -> datetime:
    """Record an opening the caller found missing (the lesson page reads it with the progress)."""
    now = now or utcnow()
    try:
        with db.session.begin_nested():
            db.session.add(LessonOpening(person_id=person_id, lesson_id=lesson.id, first_opened_at=now))
    except IntegrityError:
        # The same person opened it in another tab at the same moment: that opening stands.
        opened = first_opened(person_id, lesson.id)
        if opened is None:
            raise
        return opened
    return now


def required_minutes(lesson: LessonLike) -> float:
    share = max(0.0, float(current_app.config.get("LESSON_MIN_READ_SHARE", 0.5)))
    return share * lesson.minutes


def reading_wait(person_id: int, lesson: LessonLike, now: datetime | None = None,
                 opened: datetime | None | object = _UNKNOWN) -> ReadingWait | None:
    """None when a press of "Đã đọc xong" counts; otherwise how long the page has been open and the minimum.

    A lesson never opened (a post without the page) has been open for no time at all. ``opened`` is the
    first opening when the caller has read it already."""
    needed = required_minutes(lesson)
    if needed <= 0:
        return None
    if opened is _UNKNOWN:
        opened = first_opened(person_id, lesson.id)
    elapsed = max(timedelta(0), (now or utcnow()) - opened) if opened is not None else timedelta(0)
    if elapsed >= timedelta(minutes=needed):
        return None
    return ReadingWait(int(elapsed.total_seconds() // 60), needed)
