"""The quiz engine: a registry of question kinds with their scoring rules, and the draw.

Scoring happens on the server only, from the stored answers; nothing the browser sends as a
score is ever read.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext

from learning.assessment.models import Question


class AnswerError(ValueError):
    """An answer the learner (or a forged request) sent that cannot be accepted."""


@dataclass(frozen=True)
class Kind:
    """A question kind: how many options may be chosen and when the answer is correct."""

    label: str
    multiple: bool

    def check(self, question: Question, chosen: list[str]) -> None:
        valid = {o["id"] for o in question.options}
        unknown = [c for c in chosen if c not in valid]
        if unknown:
            raise AnswerError(gettext("Câu trả lời chứa lựa chọn không có trong câu hỏi; hãy tải lại trang."))
        if not self.multiple and len(chosen) > 1:
            raise AnswerError(gettext("Câu hỏi này chỉ được chọn một đáp án."))
        if len(set(chosen)) != len(chosen):
            raise AnswerError(gettext("Một lựa chọn bị gửi hai lần; hãy tải lại trang."))

    def is_correct(self, question: Question, chosen: list[str]) -> bool:
        # Single choice: the one correct option. Multiple choice: exactly the set of correct
        # options (no partial credit), so guessing every box never pays.
        return bool(chosen) and set(chosen) == question.correct_ids


KINDS: dict[str, Kind] = {
    "single": Kind(lazy_gettext("Chọn một đáp án"), multiple=False),
    "true_false": Kind(lazy_gettext("Đúng hay sai"), multiple=False),
    "multiple": Kind(lazy_gettext("Chọn tất cả đáp án đúng"), multiple=True),
}


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
    if question.kind != "true_false":  # "Đúng" before "Sai" reads naturally; keep it
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
