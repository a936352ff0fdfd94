"""The learner's courses with their status, progress and due dates (a fixed handful of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import abort
from sqlalchemy import and_, func, select

from learning.assessment.models import Attempt
from learning.catalog.models import (
    Completion,
    Course,
    CourseVersion,
    Lesson,
    LessonOpening,
    LessonProgress,
    RegulationSource,
)
from learning.core.dates import valid_until as validity_end
from learning.extensions import db
from learning.org.models import Person
from learning.progress.labels import Status
from learning.progress.personal import PersonalAssignment, course_status, for_person


@dataclass(frozen=True)
class LearnerCourse:
    course: Course
    version: CourseVersion
    mandatory: bool
    status: Status  # the one label set of learning.progress
    lessons_read: int
    lessons_total: int
    due_on: date | None
    last_completed: datetime | None
    valid_until: date | None

    @property
    def progress(self) -> int:
        return round(100 * self.lessons_read / self.lessons_total) if self.lessons_total else 0


def source_names() -> dict[str, str]:
    """Short titles of the library's documents, by source id, for citation labels."""
    return dict(db.session.execute(select(RegulationSource.id, RegulationSource.short_title)).all())


def audience_matches(version: CourseVersion, person: Person) -> bool:
    audience = version.settings.audience
    return audience.all_staff or person.position in audience.positions


def learner_courses(person: Person, today: date,
                    assigned_items: list[PersonalAssignment] | None = None) -> list[LearnerCourse]:
    courses = list(db.session.scalars(
        select(Course).where(Course.active.is_(True), Course.current_version_id.is_not(None))
        .order_by(Course.position)))
    lesson_totals = dict(db.session.execute(
        select(CourseVersion.id, func.count()).select_from(CourseVersion)
        .join(CourseVersion.lessons).where(CourseVersion.id.in_([c.current_version_id for c in courses]))
        .group_by(CourseVersion.id)).all())
    read = dict(db.session.execute(select(LessonProgress.course_id, func.count()).where(
        LessonProgress.person_id == person.id).group_by(LessonProgress.course_id)).all())
    last = dict(db.session.execute(select(Completion.course_id, func.max(Completion.completed_at)).where(
        Completion.person_id == person.id).group_by(Completion.course_id)).all())
    attempted = set(db.session.scalars(select(Attempt.course_id).where(Attempt.person_id == person.id).distinct()))
    items = for_person(person, today) if assigned_items is None else assigned_items
    assigned = {item.assignment.course_id: item for item in items}
    rows = []
    for course in courses:
        version = course.current_version
        item = assigned.get(course.id)
        completed = last.get(course.id)
        valid_until = validity_end(completed, version.settings.certificate.validity_months) if completed else None
        status = course_status(item.status if item is not None else None, completed is not None, valid_until,
                               bool(read.get(course.id)) or course.id in attempted, today)
        # Mandatory only when an assignment makes it so (learning.progress, as HR's dashboards count it); the
        # course file's audience only decides which courses a learner is shown.
        mandatory = item is not None
        if not mandatory and not audience_matches(version, person) and completed is None and not read.get(course.id):
            continue  # a course for other positions, never touched: not the learner's business
        rows.append(LearnerCourse(course, version, mandatory, status, read.get(course.id, 0),
                                  lesson_totals.get(version.id, 0), item.due_on if item else None, completed,
                                  valid_until))
    return sorted(rows, key=lambda r: (not r.mandatory, r.status in (Status.PASSED, Status.EXEMPT),
                                       r.due_on or date.max, r.course.position))


def course_or_404(code: str) -> Course:
    """An active course with a published version, else 404."""
    course = db.session.scalar(select(Course).where(Course.code == code, Course.active.is_(True)))
    if course is None or course.current_version is None:
        abort(404)
    return course


@dataclass(frozen=True)
class LessonState:
    """What a lesson page needs from the database, in one statement: the course's current version (its id
    and content hash key the cached outline), when the person first opened this lesson, and the slugs
    they have read."""

    course_id: int
    version_id: int
    content_hash: str
    opened_at: datetime | None
    read: frozenset[str]


def lesson_state(code: str, slug: str, person_id: int) -> LessonState | None:
    """None when no active course has that code (or it has no version). Each row is one lesson read (or
    one row when none is); every join is a unique-index lookup."""
    rows = db.session.execute(
        select(Course.id, Course.current_version_id, CourseVersion.content_hash, LessonOpening.first_opened_at,
               LessonProgress.lesson_slug)
        .select_from(Course).join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .outerjoin(Lesson, and_(Lesson.course_version_id == CourseVersion.id, Lesson.slug == slug))
        .outerjoin(LessonOpening, and_(LessonOpening.lesson_id == Lesson.id, LessonOpening.person_id == person_id))
        .outerjoin(LessonProgress, and_(LessonProgress.course_id == Course.id, LessonProgress.person_id == person_id))
        .where(Course.code == code, Course.active.is_(True))).all()
    if not rows:
        return None
    course_id, version_id, content_hash, opened_at, _slug = rows[0]
    return LessonState(course_id, version_id, content_hash, opened_at,
                       frozenset(row.lesson_slug for row in rows if row.lesson_slug is not None))
