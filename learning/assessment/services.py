"""Start, answer and submit quiz attempts. Callers own the transaction.

Robustness rules: one open attempt per person and course (enforced by a unique index); answers
are validated against what was drawn; a submit is one conditional UPDATE, so a double click, the
back button or two tabs record exactly one result; the time limit is enforced here, not in the page.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from learning.assessment import engine
from learning.assessment.bank import BankQuestion, bank
from learning.assessment.models import Attempt
from learning.assessment.signals import attempt_passed
from learning.audit.services import record
from learning.catalog.models import Course
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Person

GRACE = timedelta(seconds=30)


class QuizRefused(Exception):
    """Starting an attempt is not allowed now; the message says why and when."""


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""
    attempts_used: int = 0
    next_at: datetime | None = None


def submitted_attempts(person: Person, course: Course) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.person_id == person.id, Attempt.course_id == course.id,
                              Attempt.submitted_at.is_not(None)).order_by(Attempt.submitted_at)))


def open_attempt(person: Person, course: Course) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.open_key == f"{person.id}:{course.id}"))


def eligibility(person: Person, course: Course, now: datetime) -> Eligibility:
    version = course.current_version
    quiz = version.settings.quiz
    done = [a for a in submitted_attempts(person, course) if a.course_version_id == version.id]
    if quiz.max_attempts and len(done) >= quiz.max_attempts and not any(a.passed for a in done):
        return Eligibility(False, gettext("Bạn đã dùng hết %(n)s lượt kiểm tra của phiên bản khóa học này. "
                                          "Hãy liên hệ bộ phận tổ chức cán bộ.", n=quiz.max_attempts), len(done))
    if done and not done[-1].passed and quiz.cooldown_minutes:
        next_at = done[-1].submitted_at + timedelta(minutes=quiz.cooldown_minutes)
        if now < next_at:
            return Eligibility(False, gettext("Bạn cần chờ trước khi làm lại bài kiểm tra; hãy ôn lại các bài học."),
                               len(done), next_at)
    return Eligibility(True, attempts_used=len(done))


def start(person: Person, course: Course, now: datetime | None = None) -> Attempt:
    """The open attempt, or a new one drawn from the course's current question bank."""
    now = now or utcnow()
    existing = open_attempt(person, course)
    if existing is not None:
        return existing
    status = eligibility(person, course, now)
    if not status.allowed:
        raise QuizRefused(status.reason)
    version = course.current_version
    quiz = version.settings.quiz
    seed = secrets.randbelow(2**31)
    pages = engine.draw_questions(list(bank(version.id, version.content_hash).values()), quiz.questions, seed)
    rng = random.Random(seed)  # reproducible option order  # noqa: S311  # nosec B311
    attempt = Attempt(
        person_id=person.id, course_id=course.id, course_version_id=version.id, open_key=f"{person.id}:{course.id}",
        seed=seed, pages=[[q.id for q in page] for page in pages],
        option_order={str(q.id): engine.shuffled_options(q, rng) for page in pages for q in page},
        answers={}, started_at=now,
        deadline=now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another tab started one at the same moment: use that one.
        existing = open_attempt(person, course)
        if existing is None:
            raise
        return existing
    record("quiz.started", actor_id=None, obj=attempt, person=person.employee_code, course=course.code)
    return attempt


def questions_of(attempt: Attempt) -> dict[int, BankQuestion]:
    """The attempt's questions, from the cached bank of its course version (no SQL once cached)."""
    version = attempt.course_version
    drawn = bank(version.id, version.content_hash)
    return {qid: drawn[qid] for qid in attempt.question_ids if qid in drawn}


def time_is_up(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def option_values(attempt: Attempt) -> dict[str, dict[str, str]]:
    """Question id → option id → the opaque value that option carries in this attempt's pages."""
    secret = current_app.config["SECRET_KEY"]
    return {qid: {oid: engine.option_token(secret, attempt.id, int(qid), oid) for oid in order}
            for qid, order in attempt.option_order.items()}


def decode_answers(attempt: Attempt, posted: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers of a posted page with the opaque option values mapped back to option ids.

    Questions that are not in the attempt are passed on unchanged: ``save_answers`` refuses them.
    """
    values = option_values(attempt)
    decoded = {}
    for qid, chosen in posted.items():
        if qid not in values:
            decoded[qid] = chosen
            continue
        by_value = {value: oid for oid, value in values[qid].items()}
        if any(value not in by_value for value in chosen):
            raise engine.AnswerError(gettext("Câu trả lời chứa lựa chọn không có trong câu hỏi; hãy tải lại trang."))
        decoded[qid] = [by_value[value] for value in chosen]
    return decoded


def save_answers(attempt: Attempt, page: int, answers: dict[str, list[str]], now: datetime | None = None) -> None:
    """Store the answers of one page (option ids). Refuses questions not on that page and unknown options.

    The write is one conditional UPDATE on ``submitted_at IS NULL``: a page save that races a submit
    (another tab, a slow request) cannot change the answers after they were scored.
    """
    now = now or utcnow()
    closed = gettext("Bài làm đã nộp; không thể thay đổi câu trả lời.")
    if not attempt.is_open:
        raise engine.AnswerError(closed)
    if time_is_up(attempt, now):
        raise engine.AnswerError(gettext("Đã hết thời gian làm bài; câu trả lời đã lưu trước đó được dùng để chấm."))
    if not 0 <= page < len(attempt.pages):
        raise engine.AnswerError(gettext("Trang câu hỏi không tồn tại."))
    allowed = {str(qid) for qid in attempt.pages[page]}
    foreign = set(answers) - allowed
    if foreign:
        raise engine.AnswerError(gettext("Câu trả lời gửi cho câu hỏi không có trong bài làm này; "
                                         "hãy tải lại trang."))
    questions = questions_of(attempt)
    updated = dict(attempt.answers)
    for qid, chosen in answers.items():
        question = questions[int(qid)]
        engine.KINDS[question.kind].check(question, chosen)
        updated[qid] = {"options": chosen, "at": now.isoformat(timespec="seconds")}
    changed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(answers=updated).execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.refresh(attempt)
        raise engine.AnswerError(closed)
    set_committed_value(attempt, "answers", updated)


def unanswered(attempt: Attempt) -> list[int]:
    """1-based numbers of the questions with no answer yet."""
    return [i for i, qid in enumerate(attempt.question_ids, start=1)
            if not attempt.answers.get(str(qid), {}).get("options")]


def submit(attempt: Attempt, now: datetime | None = None, reason: str = "learner") -> Attempt:
    """Score and close the attempt exactly once; later calls return the recorded result."""
    now = now or utcnow()
    questions = questions_of(attempt)
    ordered = [questions[qid] for qid in attempt.question_ids]
    percent, results = engine.score(ordered, attempt.answers)
    pass_mark = attempt.course_version.settings.quiz.pass_mark
    passed = percent >= pass_mark
    changed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, open_key=None, score=percent, passed=passed, results=results,
                submit_reason=reason, answers=attempt.answers)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt)
    if changed:
        record("quiz.submitted", obj=attempt, score=percent, passed=passed, reason=reason)
        if passed:
            # Progress (learning.progress.receivers) writes the completion once the lessons it needs are read.
            attempt_passed.send(current_app._get_current_object(), attempt=attempt)
    return attempt


def attempts_count(course: Course) -> int:
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.course_id == course.id)) or 0
