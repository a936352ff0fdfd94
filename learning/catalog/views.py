"""My learning, course pages and lessons."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from learning.assessment import services as quiz
from learning.assessment.models import Attempt
from learning.auth.forms import ConfirmForm
from learning.catalog import queries
from learning.catalog.models import Course, Lesson
from learning.catalog.queries import course_or_404
from learning.core.dates import format_decimal, local_today, utcnow
from learning.extensions import db
from learning.progress import completions as progress
from learning.progress import reading_time

bp = Blueprint("catalog", __name__)


@bp.get("/hoc-tap")
@login_required
def my_learning():
    rows = queries.learner_courses(current_user.person, local_today())
    return render_template("catalog/my_learning.html", rows=rows)


@bp.get("/khoa-hoc/<code>")
@login_required
def course(code: str):
    course = course_or_404(code)
    version = course.current_version
    person = current_user.person
    read = progress.lessons_read(person.id, course.id)
    next_lesson = next((lesson for lesson in version.lessons if lesson.slug not in read), None)
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.person_id == person.id,
                                                             Attempt.course_id == course.id)
                                       .order_by(Attempt.started_at.desc())))
    return render_template("catalog/course.html", course=course, version=version, read=read,
                           next_lesson=next_lesson, attempts=attempts,
                           open_attempt=quiz.open_attempt(person, course),
                           eligibility=quiz.eligibility(person, course, utcnow()),
                           start_form=ConfirmForm())


def _lesson(course: Course, slug: str) -> tuple[Lesson, Lesson | None, Lesson | None]:
    lessons = course.current_version.lessons
    index = next((i for i, lesson in enumerate(lessons) if lesson.slug == slug), None)
    if index is None:
        abort(404)
    previous = lessons[index - 1] if index else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return lessons[index], previous, following


def _minutes(value: float) -> str:
    """2 → "2", 2.5 → "2,5" (English "2.5")."""
    if value == int(value):
        return str(int(value))
    locale = get_locale()
    return format_decimal(value, 1, locale.language if locale is not None else "vi")


@bp.get("/khoa-hoc/<code>/bai/<slug>")
@login_required
def lesson(code: str, slug: str):
    course = course_or_404(code)
    lesson, previous, following = _lesson(course, slug)
    reading_time.record_opening(current_user.person_id, lesson)
    read = progress.lessons_read(current_user.person_id, course.id)
    return render_template("catalog/lesson.html", course=course, lesson=lesson, previous=previous,
                           following=following, is_read=slug in read, read_count=len(read),
                           form=ConfirmForm())


@bp.post("/khoa-hoc/<code>/bai/<slug>/da-doc")
@login_required
def mark_read(code: str, slug: str):
    course = course_or_404(code)
    lesson, _previous, following = _lesson(course, slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if lesson.slug not in progress.lessons_read(current_user.person_id, course.id):
        wait = reading_time.reading_wait(current_user.person_id, lesson)
        if wait is not None:
            flash(gettext("Bạn mở bài này được %(opened)s phút; hãy đọc ít nhất %(needed)s phút trước khi "
                          "đánh dấu đã đọc.", opened=wait.opened_minutes, needed=_minutes(wait.required_minutes)),
                  "info")
            return redirect(url_for("catalog.lesson", code=code, slug=lesson.slug))
        progress.mark_read(current_user.person, course, lesson.slug)
    if following is not None:
        return redirect(url_for("catalog.lesson", code=code, slug=following.slug))
    return redirect(url_for("catalog.course", code=code, _anchor="kiem-tra"))
