"""The quiz page carries no answer key: option values are opaque per attempt, and a bot that reads
nothing and always ticks the same place passes no more often than chance, on every shipped bank.

Before, the values were the file-order ids ("a", "b", …) and authors write the right answer first:
ticking "a" everywhere passed most first attempts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from learning.assessment import engine
from learning.assessment import services as quiz
from learning.assessment.models import Attempt, Question
from learning.catalog.loader import load_content
from learning.catalog.models import Course
from learning.config import PROJECT_ROOT
from learning.extensions import db

INPUT = re.compile(r'<input type="(?:radio|checkbox)" name="q(\d+)" value="([^"]+)"')
Strategy = Callable[[list[str]], str]
STRATEGIES: dict[str, Strategy] = {
    "first on the page": lambda values: values[0],
    "first in sorted order": lambda values: sorted(values)[0],
}


def page_values(client, attempt: Attempt) -> list[dict[str, list[str]]]:
    """Per page, question id → the option values in page order, read from the rendered HTML."""
    pages = []
    for number in range(1, len(attempt.pages) + 1):
        html = client.get(f"/bai-lam/{attempt.id}/trang/{number}").text
        values: dict[str, list[str]] = {}
        for qid, value in INPUT.findall(html):
            values.setdefault(qid, []).append(value)
        pages.append(values)
    return pages


def start_over(client, course: Course, learner_id: int, elsewhere_id: int) -> Attempt:
    """A new attempt for the logged-in learner; earlier ones are handed to another person so that
    attempt limits and cool-downs do not stop the simulation."""
    db.session.execute(update(Attempt).where(Attempt.person_id == learner_id)
                       .values(person_id=elsewhere_id, open_key=None))
    db.session.commit()
    response = client.post(f"/khoa-hoc/{course.code}/kiem-tra/bat-dau")
    assert response.status_code == 302, response.text[:300]
    return db.session.scalar(select(Attempt).where(Attempt.person_id == learner_id, Attempt.open_key.is_not(None)))


def test_option_values_carry_no_information_and_change_per_attempt(client, login, create_account, create_person,
                                                                   course):
    account = create_account()
    elsewhere = create_person()
    login(account)
    questions = {str(q.id): q for q in db.session.scalars(select(Question))}
    ids = {o["id"] for q in questions.values() for o in q.options}
    seen: dict[tuple[str, str], set[str]] = {}
    correct_first_sorted = correct_first_shown = 0
    attempts = 40
    for _ in range(attempts):
        attempt = start_over(client, course, account.person_id, elsewhere.id)
        tokens = quiz.option_values(attempt)
        for page in page_values(client, attempt):
            for qid, values in page.items():
                assert not set(values) & ids  # no option id, no "a"/"b" left in the page
                by_value = {v: oid for oid, v in tokens[qid].items()}
                for value in values:
                    seen.setdefault((qid, by_value[value]), set()).add(value)
                question = questions[qid]
                if question.kind == "single":
                    right = {v for v in values if by_value[v] in question.correct_ids}
                    correct_first_sorted += sorted(values)[0] in right
                    correct_first_shown += values[0] in right
    assert all(len(values) == attempts for values in seen.values())  # a new value in every attempt
    # The single-choice question has two options: the right one leads about half the time, never always.
    for count in (correct_first_sorted, correct_first_shown):
        assert 8 <= count <= attempts - 8


def test_an_option_id_instead_of_its_value_is_refused(client, login, create_account, course):
    login(create_account())
    client.post(f"/khoa-hoc/{course.code}/kiem-tra/bat-dau")
    attempt = db.session.scalar(select(Attempt))
    qid = attempt.pages[0][0]
    question = db.session.get(Question, qid)
    response = client.post(f"/bai-lam/{attempt.id}/trang/1",
                           data={f"q{qid}": sorted(question.correct_ids)[:1], "di": "sau"})
    assert response.status_code == 400 and "không có trong câu hỏi" in response.text
    db.session.refresh(attempt)
    assert attempt.answers == {}


def chance(question: Question) -> float:
    """Probability that one option picked blindly is the whole right answer."""
    return (len(question.correct_ids) == 1) / len(question.options)


@pytest.fixture
def shipped(app) -> list[Course]:
    load_content(PROJECT_ROOT)
    db.session.commit()
    courses = list(db.session.scalars(select(Course).where(Course.current_version_id.is_not(None))))
    assert len(courses) == 6
    return courses


def test_blind_strategies_pass_no_more_than_chance_on_every_shipped_bank(client, login, create_account,
                                                                         create_person, shipped):
    account = create_account()
    elsewhere = create_person()
    login(account)
    questions = {str(q.id): q for q in db.session.scalars(select(Question))}
    # Through the real pages: one attempt per bank, answered and submitted over HTTP.
    for number, course in enumerate(shipped):
        for strategy in [list(STRATEGIES.values())[number % 2]]:
            attempt = start_over(client, course, account.person_id, elsewhere.id)
            for number, page in enumerate(page_values(client, attempt), start=1):
                data = {f"q{qid}": strategy(values) for qid, values in page.items()}
                client.post(f"/bai-lam/{attempt.id}/trang/{number}", data={**data, "di": "sau"})
            client.post(f"/bai-lam/{attempt.id}/nop")
            db.session.refresh(attempt)
            assert attempt.submitted_at is not None and attempt.passed is False, (course.code, attempt.score)
    # Many more attempts through the services (the page shows the options in ``option_order``
    # with the values of ``option_values``, as the HTTP part above checks).
    db.session.execute(update(Attempt).where(Attempt.person_id == account.person_id)
                       .values(person_id=elsewhere.id))
    rounds = 30
    for course in shipped:
        pass_mark = course.current_version.settings.quiz.pass_mark
        for name, strategy in STRATEGIES.items():
            passed = right = expected = drawn = 0
            for _ in range(rounds):
                attempt = quiz.start(account.person, course)
                values = quiz.option_values(attempt)
                posted = {qid: [strategy([values[qid][oid] for oid in order])]
                          for qid, order in attempt.option_order.items()}
                answers = {qid: {"options": chosen} for qid, chosen in quiz.decode_answers(attempt, posted).items()}
                drawn_questions = [questions[str(qid)] for qid in attempt.question_ids]
                percent, results = engine.score(drawn_questions, answers)
                passed += percent >= pass_mark
                right += sum(results.values())
                expected += sum(chance(q) for q in drawn_questions)
                drawn += len(drawn_questions)
                # Handed to another person, not deleted: SQLite would give the next attempt the same id, hence
                # the same tokens, and 30 rounds would be one sample.
                attempt.person_id, attempt.open_key = elsewhere.id, None
                db.session.flush()
            assert passed / rounds <= 0.05, (course.code, name, passed)
            # Per question, right about as often as a blind pick: well under what a key would give.
            assert right / drawn <= expected / drawn + 0.12, (course.code, name, right / drawn, expected / drawn)
