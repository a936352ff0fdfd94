import pytest
from sqlalchemy import select

from learning.assessment import services as quiz
from learning.assessment.models import Question
from learning.catalog.loader import load_content
from learning.catalog.models import Course
from learning.extensions import db


@pytest.fixture
def course(app, tree):
    """The small test course (2 lessons, 3 questions: single, true/false, a scenario's multiple)."""
    load_content(tree.root)
    db.session.commit()
    return db.session.scalar(select(Course).where(Course.code == "khoa-thu"))


@pytest.fixture
def correct_answers(course):
    """Form data answering every question of an attempt correctly, page by page.

    With ``posted=True`` the options are the opaque values the page carries (what a browser
    sends); with ``posted=False`` they are option ids (what ``services.save_answers`` takes).
    """

    def answers(attempt, right=True, posted=True):
        questions = {q.id: q for q in db.session.scalars(select(Question))}
        values = quiz.option_values(attempt)
        pages = []
        for page in attempt.pages:
            data = {}
            for qid in page:
                q = questions[qid]
                options = [o["id"] for o in q.options if o["correct"] == right]
                options = options if q.kind == "multiple" else options[:1]
                data[f"q{qid}"] = [values[str(qid)][o] for o in options] if posted else options
            pages.append(data)
        return pages

    return answers
