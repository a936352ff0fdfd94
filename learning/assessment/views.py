"""Taking a quiz: one page per question group, autosave per page, idempotent submit, review."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from learning.assessment import engine, rescue
from learning.assessment import services as quiz
from learning.assessment.models import Attempt
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import may_review_attempt
from learning.catalog import queries as catalog_queries
from learning.catalog.citations import citation_label, citation_url
from learning.catalog.models import Completion
from learning.catalog.queries import course_or_404
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Person

bp = Blueprint("assessment", __name__)


def _own(attempt_id: int) -> Attempt:
    # The version comes in the same statement: its id and content hash key the cached question bank.
    attempt = db.session.get(Attempt, attempt_id, options=[joinedload(Attempt.course_version)]) or abort(404)
    if attempt.person_id != current_user.person_id:
        abort(403)
    return attempt


def _finish_if_time_is_up(attempt: Attempt) -> bool:
    if attempt.is_open and quiz.time_is_up(attempt, utcnow()):
        quiz.submit(attempt, reason="time_limit")
        flash(gettext("Đã hết thời gian làm bài: bài làm được nộp với các câu trả lời đã lưu."), "info")
        return True
    return not attempt.is_open


@bp.post("/khoa-hoc/<code>/kiem-tra/bat-dau")
@login_required
def start(code: str):
    course = course_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        attempt = quiz.start(current_user.person, course)
    except quiz.QuizRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("catalog.course", code=code, _anchor="kiem-tra"))
    return redirect(url_for("assessment.page", attempt_id=attempt.id, number=1))


def answers_from_form(attempt: Attempt, page_index: int) -> dict[str, list[str]]:
    """The answers of one page as posted: fields ``q<id>`` with the page's opaque option values
    (none = unanswered), mapped back to option ids."""
    posted = {}
    for key in request.form:
        if key.startswith("q") and key[1:].isdigit():
            posted[key[1:]] = request.form.getlist(key)
        elif key.startswith("q"):
            raise engine.AnswerError(gettext("Biểu mẫu có trường không hợp lệ; hãy tải lại trang."))
    for field in ("score", "diem", "passed", "ket_qua"):
        if field in request.form:
            raise engine.AnswerError(gettext("Điểm chỉ được tính trên máy chủ; biểu mẫu gửi lên không hợp lệ."))
    for qid in attempt.pages[page_index] if 0 <= page_index < len(attempt.pages) else []:
        posted.setdefault(str(qid), [])
    return quiz.decode_answers(attempt, posted)


@bp.route("/bai-lam/<int:attempt_id>/trang/<int:number>", methods=["GET", "POST"])
@login_required
def page(attempt_id: int, number: int):
    attempt = _own(attempt_id)
    if _finish_if_time_is_up(attempt):
        return redirect(url_for("assessment.result", attempt_id=attempt.id))
    if not 1 <= number <= len(attempt.pages):
        abort(404)
    restored = rescue.restore(attempt)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            quiz.save_answers(attempt, number - 1, answers_from_form(attempt, number - 1))
        except engine.AnswerError as error:
            db.session.rollback()
            return render_template("errors/error.html", status=400, title=gettext("Câu trả lời không hợp lệ"),
                                   message=str(error)), 400
        go = request.form.get("di", "")
        target = {"truoc": number - 1, "sau": number + 1}.get(go, number)
        if go.startswith("trang-") and go[6:].isdigit():  # a page number of the navigation: saved first
            target = int(go[6:])
        if request.form.get("di") == "nop":
            return redirect(url_for("assessment.confirm", attempt_id=attempt.id))
        number = max(1, min(target, len(attempt.pages)))
        return redirect(url_for("assessment.page", attempt_id=attempt.id, number=number))
    questions = quiz.questions_of(attempt)
    return render_template("assessment/page.html", attempt=attempt, number=number,
                           questions=[questions[qid] for qid in attempt.pages[number - 1]],
                           first_index=sum(len(p) for p in attempt.pages[:number - 1]), restored=restored,
                           form=ConfirmForm(), now=utcnow(), kinds=engine.KINDS,
                           values=quiz.option_values(attempt))


@bp.route("/bai-lam/<int:attempt_id>/nop", methods=["GET", "POST"])
@login_required
def confirm(attempt_id: int):
    attempt = _own(attempt_id)
    if _finish_if_time_is_up(attempt):
        return redirect(url_for("assessment.result", attempt_id=attempt.id))
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        quiz.submit(attempt)
        return redirect(url_for("assessment.result", attempt_id=attempt.id))
    return render_template("assessment/confirm.html", attempt=attempt, unanswered=quiz.unanswered(attempt),
                           form=ConfirmForm(), now=utcnow())


@bp.get("/bai-lam/<int:attempt_id>/ket-qua")
@login_required
def result(attempt_id: int):
    attempt = db.session.get(Attempt, attempt_id, options=[joinedload(Attempt.course_version)]) or abort(404)
    owner = attempt.person_id == current_user.person_id
    if not owner:
        person = db.session.get(Person, attempt.person_id)
        if not may_review_attempt(current_user, person):
            abort(403)
    if attempt.is_open and not (owner and _finish_if_time_is_up(attempt)):
        if not owner:
            abort(404)  # nothing to review until the learner submits
        return redirect(url_for("assessment.page", attempt_id=attempt.id, number=1))
    questions = quiz.questions_of(attempt)
    settings = attempt.course_version.settings
    reveal = attempt.passed or settings.quiz.show_correct_after_fail
    names = catalog_queries.source_names()
    # When a retry opens and how many attempts are left: the course page's rule, for the learner who failed
    retry = (quiz.eligibility(current_user.person, attempt.course_version.course, utcnow())
             if owner and not attempt.passed else None)
    return render_template("assessment/result.html", attempt=attempt, owner=owner, retry=retry,
                           max_attempts=settings.quiz.max_attempts,
                           questions=[questions[qid] for qid in attempt.question_ids], reveal=reveal,
                           pass_mark=settings.quiz.pass_mark, citation_url=citation_url,
                           cite_label=lambda key: citation_label(key, names),
                           certificates_url=_certificates_url(), completed=_completed(attempt))


def _completed(attempt: Attempt) -> bool:
    return db.session.scalar(select(Completion.id).where(Completion.attempt_id == attempt.id)) is not None


def _certificates_url() -> str | None:
    try:
        return url_for("certification.mine")
    except BuildError:
        return None


