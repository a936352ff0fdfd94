"""My learning, course pages and lessons."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from learning.assessment import services as quiz
from learning.assessment.models import Attempt
from learning.auth.forms import ConfirmForm
from learning.catalog import content_cache, queries
from learning.catalog.content_cache import LessonEntry
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
    outline = content_cache.outline_of(version)
    next_lesson = next((lesson for lesson in outline.lessons if lesson.slug not in read), None)
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.person_id == person.id,
                                                             Attempt.course_id == course.id)
                                       .order_by(Attempt.started_at.desc())))
    return render_template("catalog/course.html", course=course, version=version, lessons=outline.lessons, read=read,
                           next_lesson=next_lesson, attempts=attempts,
                           open_attempt=quiz.open_attempt(person, course),
                           eligibility=quiz.eligibility(person, course, utcnow()),
                           start_form=ConfirmForm())


def _lesson(outline: content_cache.Outline, slug: str) -> tuple[LessonEntry, LessonEntry | None, LessonEntry | None]:
    lessons = outline.lessons
    index = outline.index(slug)
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
    # One statement (course, current version, first opening, lessons read); the rest is the cached content.
    state = queries.lesson_state(code, slug, current_user.person_id)
    if state is None:
        abort(404)
    outline = content_cache.outline(state.version_id, state.content_hash)
    lesson, previous, following = _lesson(outline, slug)
    if state.opened_at is None:
        reading_time.record_first_opening(current_user.person_id, lesson)
    return render_template("catalog/lesson.html", code=code, outline=outline, lesson=lesson,
                           body_html=content_cache.lesson_html(outline.version_id, outline.content_hash, lesson.id),
                           previous=previous, following=following, is_read=slug in state.read,
                           read_count=len(state.read), form=ConfirmForm())


@bp.post("/khoa-hoc/<code>/bai/<slug>/da-doc")
@login_required
def mark_read(code: str, slug: str):
    course = course_or_404(code)
    lesson, _previous, following = _lesson(content_cache.outline_of(course.current_version), slug)
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
