"""The question-kind registry: a kind registered in one place is loaded, shown, checked and scored."""

import pytest
from sqlalchemy import select

from learning.assessment import services as quiz
from learning.assessment.kinds import KINDS, Kind, Multiple, register, unregister
from learning.assessment.models import Attempt, Question
from learning.catalog.content import read_content
from learning.catalog.loader import load_content
from learning.catalog.models import Course
from learning.extensions import db


class AnyCorrect(Kind):
    """A kind that exists only here: any non-empty set of correct options scores."""

    name = "any_correct"
    label = "Chọn ít nhất một đáp án đúng"
    multiple = True

    def option_problems(self, options):
        return [] if sum(correct for _, correct in options) >= 2 else ["cần ít nhất 2 đáp án đúng"]

    def is_correct(self, question, chosen):
        return bool(chosen) and set(chosen) <= question.correct_ids


@pytest.fixture
def any_correct(tree):
    """The test tree's scenario question (two correct options of three) made an ``any_correct`` one."""
    tree.edit("quizzes/khoa-thu.yaml", "kind: multiple", "kind: any_correct")
    kind = register(AnyCorrect())
    yield kind
    unregister(kind.name)


def problems(tree):
    return [str(p) for p in read_content(tree.root).problems]


def test_an_unregistered_kind_is_refused_by_the_loader(tree):
    tree.edit("quizzes/khoa-thu.yaml", "kind: multiple", "kind: any_correct")
    assert "any_correct" not in KINDS
    found = problems(tree)
    assert len(found) == 1 and "questions.2.scenario.questions.0.kind: Input should be" in found[0]


def test_a_registered_kind_is_accepted_and_its_option_rule_applied(any_correct, tree):
    assert problems(tree) == []
    tree.edit("quizzes/khoa-thu.yaml", "correct: true\n            feedback: Đúng.\n          - text: Gửi",
              "correct: false\n            feedback: Đúng.\n          - text: Gửi")
    line = tree.line_of("quizzes/khoa-thu.yaml", "Từ chối và hướng dẫn") - 1
    assert problems(tree) == [f"quizzes/khoa-thu.yaml:{line}: câu kt-03a: cần ít nhất 2 đáp án đúng"]


def test_unregistering_a_kind_makes_the_loader_refuse_it_again(tree):
    tree.edit("quizzes/khoa-thu.yaml", "kind: multiple", "kind: any_correct")
    kind = register(AnyCorrect())
    try:
        assert problems(tree) == []
    finally:
        unregister(kind.name)
    assert len(problems(tree)) == 1


def test_register_refuses_a_taken_or_reserved_name():
    with pytest.raises(ValueError):
        register(Multiple())
    for name in ("scenario", "Bad-Name", "x" * 21):
        with pytest.raises(ValueError):
            register(type("Fake", (Kind,), {"name": name})())
    assert list(KINDS) == ["single", "multiple", "true_false"]


def test_a_registered_kind_is_shown_checked_and_scored_by_its_own_rule(any_correct, app, tree, client, login,
                                                                       create_account):
    load_content(tree.root)
    db.session.commit()
    course = db.session.scalar(select(Course).where(Course.code == "khoa-thu"))
    question = db.session.scalar(select(Question).where(Question.key == "kt-03a"))
    assert question.kind == "any_correct"
    login(create_account())
    for lesson in course.current_version.lessons:
        client.post(f"/khoa-hoc/khoa-thu/bai/{lesson.slug}/da-doc")
    assert client.post("/khoa-hoc/khoa-thu/kiem-tra/bat-dau").status_code == 302
    attempt = db.session.scalar(select(Attempt))
    values = quiz.option_values(attempt)
    questions = {q.id: q for q in db.session.scalars(select(Question))}
    for number, page in enumerate(attempt.pages, start=1):
        html = client.get(f"/bai-lam/{attempt.id}/trang/{number}").text
        data = {"di": "sau"}
        for qid in page:
            q = questions[qid]
            # one correct option each: enough for single, true/false and any_correct (not for multiple)
            chosen = next(o["id"] for o in q.options if o["correct"])
            data[f"q{qid}"] = [values[str(qid)][chosen]]
            if q.kind == "any_correct":
                assert "(Chọn ít nhất một đáp án đúng)" in html
                assert f'type="checkbox" name="q{qid}"' in html
        client.post(f"/bai-lam/{attempt.id}/trang/{number}", data=data)
    client.post(f"/bai-lam/{attempt.id}/nop")
    db.session.refresh(attempt)
    assert attempt.score == 100.0 and attempt.results["kt-03a"] is True
    # the same answer under the built-in "multiple" rule would not have scored
    assert KINDS["multiple"].is_correct(question, attempt.answers[str(question.id)]["options"]) is False
