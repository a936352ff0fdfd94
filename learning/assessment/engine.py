"""The quiz engine: the draw, option shuffling and scoring, by the rules of each question kind.

Scoring happens on the server only, from the stored answers; nothing the browser sends as a
score is ever read. The kinds themselves (their labels, option rules and scoring) are registered
in ``learning.assessment.kinds`` and re-exported here.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import defaultdict

from learning.assessment.bank import BankQuestion
from learning.assessment.kinds import KINDS, AnswerError, Kind
from learning.assessment.models import Question as QuestionRow

Question = BankQuestion | QuestionRow  # the cached copy (pages) or the row (tests, reports): the same fields

__all__ = ["KINDS", "AnswerError", "Kind", "draw_questions", "option_token", "score", "shuffled_options"]


def draw_questions(bank: list[Question], n: int, seed: int) -> list[list[Question]]:
    """Draw about ``n`` questions as pages: a scenario's questions stay together on one page.

    Stratified: when ``n`` allows, every lesson gets at least one group before any lesson gets a
    second. Groups that would overshoot ``n`` are skipped in favour of smaller ones, so the total
    is ``n`` whenever the bank allows it. Deterministic for a given seed.
    """
    rng = random.Random(seed)  # reproducible draw, not security  # noqa: S311  # nosec B311
    groups: dict[str, list[Question]] = defaultdict(list)
    for question in sorted(bank, key=lambda q: q.position):
        groups[question.group_key].append(question)
    by_lesson: dict[str, list[list[Question]]] = defaultdict(list)
    for group in groups.values():
        by_lesson[group[0].lesson_slug].append(group)
    for lesson_groups in by_lesson.values():
        rng.shuffle(lesson_groups)
    lessons = sorted(by_lesson)
    rng.shuffle(lessons)
    # Round-robin over lessons gives the stratified order of preference.
    preference: list[list[Question]] = []
    for round_index in range(max((len(g) for g in by_lesson.values()), default=0)):
        for lesson in lessons:
            if round_index < len(by_lesson[lesson]):
                preference.append(by_lesson[lesson][round_index])
    chosen: list[list[Question]] = []
    total = 0
    for group in preference:
        if total + len(group) <= n:
            chosen.append(group)
            total += len(group)
        if total == n:
            break
    rng.shuffle(chosen)
    return chosen


def shuffled_options(question: Question, rng: random.Random) -> list[str]:
    ids = [o["id"] for o in question.options]
    if KINDS[question.kind].shuffle:
        rng.shuffle(ids)
    return ids


def option_token(secret: str | bytes, attempt_id: int, question_id: int, option_id: str) -> str:
    """The value an option carries in one attempt's quiz page: an HMAC under the app's secret.

    Option ids are file order, and authors tend to write the right answer first, so an id sent to
    the browser would be the answer key. The token says nothing about the option, differs from one
    attempt to the next, and the server maps it back (``services.decode_answers``).
    """
    key = secret.encode() if isinstance(secret, str) else secret
    message = f"quiz-option:{attempt_id}:{question_id}:{option_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def score(questions: list[Question], answers: dict[str, dict]) -> tuple[float, dict[str, bool]]:
    """Percent correct and per-question results (keyed by the stable question key)."""
    results = {}
    for question in questions:
        chosen = answers.get(str(question.id), {}).get("options", [])
        results[question.key] = KINDS[question.kind].is_correct(question, chosen)
    percent = 100.0 * sum(results.values()) / len(results) if results else 0.0
    return round(percent, 2), results
