"""Lessons read and completions: a course is completed by a passed attempt once every lesson it requires is
read, whichever comes last."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from learning.assessment.models import Attempt
from learning.catalog.content_cache import outline_of
from learning.catalog.models import Completion, Course, LessonProgress
from learning.catalog.signals import course_completed
from learning.extensions import db
from learning.org.models import Person


def lessons_read(person_id: int, course_id: int) -> set[str]:
    return set(db.session.scalars(select(LessonProgress.lesson_slug).where(
        LessonProgress.person_id == person_id, LessonProgress.course_id == course_id)))


def complete_if_ready(attempt: Attempt) -> Completion | None:
    """A passed attempt completes the course once every required lesson is read.

    The lessons are the slugs of the version's cached outline: no lesson body is read here."""
    version = attempt.course_version
    if version.settings.require_all_lessons:
        missing = outline_of(version).slugs - lessons_read(attempt.person_id, attempt.course_id)
        if missing:
            return None
    exists = db.session.scalar(select(Completion).where(Completion.attempt_id == attempt.id))
    if exists is not None:
        return exists
    completion = Completion(person_id=attempt.person_id, course_id=attempt.course_id,
                            course_version_id=attempt.course_version_id, attempt_id=attempt.id,
                            score=attempt.score, completed_at=attempt.submitted_at)
    db.session.add(completion)
    db.session.flush()
    course_completed.send(current_app._get_current_object(), completion=completion)
    return completion


def mark_read(person: Person, course: Course, slug: str) -> bool:
    """Record a lesson as read (idempotent); completes the course if a passed attempt waited on it."""
    if slug in lessons_read(person.id, course.id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(LessonProgress(person_id=person.id, course_id=course.id, lesson_slug=slug))
    except IntegrityError:
        return False  # the same press posted twice at once: the other request counted it
    waiting = db.session.scalar(
        select(Attempt).where(Attempt.person_id == person.id, Attempt.course_id == course.id,
                              Attempt.passed.is_(True), Attempt.course_version_id == course.current_version_id)
        .order_by(Attempt.submitted_at.desc()))
    if waiting is not None:
        complete_if_ready(waiting)
    return True
