"""The "session expired, answers kept" rescue belongs to the quiz (learning/assessment/rescue.py); the app shell
(the factory's log-in handler, the CSRF error page) only asks it."""

from pathlib import Path

from flask import session
from sqlalchemy import select

from learning.assessment import rescue
from learning.assessment.models import Attempt
from learning.extensions import db

LEARNING = Path(__file__).resolve().parents[2] / "learning"


def _start(client, course) -> Attempt:
    assert client.post(f"/khoa-hoc/{course.code}/kiem-tra/bat-dau").status_code == 302
    return db.session.scalar(select(Attempt).order_by(Attempt.id.desc()))


def test_a_logged_out_quiz_post_keeps_its_answers_through_the_login_handler(app, client, login, create_account,
                                                                            course, correct_answers):
    """No CSRF failure here (it is off in tests): the log-in handler itself asks the quiz to rescue the post."""
    account = create_account()
    login(account)
    attempt = _start(client, course)
    data = correct_answers(attempt)[0]
    client.post("/dang-xuat")
    response = client.post(f"/bai-lam/{attempt.id}/trang/1", data={**data, "di": "sau"})
    assert response.status_code == 302
    assert response.location.startswith("/dang-nhap?next=") and f"bai-lam/{attempt.id}/trang/1" in response.location
    with client.session_transaction() as stored:
        assert stored[rescue.PENDING_KEY]["attempt"] == attempt.id
        assert stored[rescue.PENDING_KEY]["answers"] == {k[1:]: [v] if isinstance(v, str) else v
                                                        for k, v in data.items()}


def test_any_other_request_is_not_rescued(app):
    with app.test_request_context("/dang-nhap", method="POST", data={"q1": "a"}):
        app.preprocess_request()
        assert rescue.expired_session() is None
        assert rescue.PENDING_KEY not in session
    with app.test_request_context("/bai-lam/1/trang/1", method="GET"):
        assert rescue.expired_session() is None


def test_the_app_shell_holds_no_quiz_code():
    for name in ("__init__.py", "errors.py"):
        source = (LEARNING / name).read_text(encoding="utf-8")
        assert "assessment.page" not in source and "stash_pending_answers" not in source, name
