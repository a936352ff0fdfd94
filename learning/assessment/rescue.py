"""Answers kept when the session expired: a quiz page posted by someone no longer logged in (the session
ran out, or its CSRF token with it) keeps its answers in the session and sends the learner to log in; the
page saves them once the owner of the attempt is back (``restore``). Nothing is stored before that."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from learning.assessment import engine
from learning.assessment import services as quiz
from learning.assessment.models import Attempt

PENDING_KEY = "pending_answers"


def stash_pending_answers() -> bool:
    """Keep the answers of a quiz page posted after the session expired (see ``expired_session``)."""
    if request.endpoint != "assessment.page" or request.method != "POST":
        return False
    answers = {k[1:]: request.form.getlist(k) for k in request.form if k.startswith("q") and k[1:].isdigit()}
    session[PENDING_KEY] = {"attempt": request.view_args["attempt_id"], "page": request.view_args["number"],
                            "answers": answers}
    return True


def expired_session() -> Response | None:
    """For a quiz page posted after the session expired: keep its answers and redirect to log in, back to the
    page. None for any other request (the caller answers as usual)."""
    if not stash_pending_answers():
        return None
    flash(gettext("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại; câu trả lời vừa gửi được giữ lại."), "info")
    return redirect(url_for("auth.login", next=url_for("assessment.page", **request.view_args)))


def restore(attempt: Attempt) -> bool:
    """Save the answers kept for ``attempt`` (its owner is logged in again); whether there were any."""
    pending = session.get(PENDING_KEY)
    if not pending or pending.get("attempt") != attempt.id:
        return False
    session.pop(PENDING_KEY, None)
    try:
        posted = quiz.decode_answers(attempt, {str(k): v for k, v in pending["answers"].items()})
        quiz.save_answers(attempt, int(pending["page"]) - 1, posted)
    except engine.AnswerError as error:
        current_app.logger.info("pending answers for attempt %s not restored: %s", attempt.id, error)
        return False
    flash(gettext("Phiên đăng nhập đã hết hạn khi bạn gửi câu trả lời; các câu trả lời đó đã được lưu lại."), "info")
    return True
