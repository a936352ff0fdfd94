"""A learner goes from log-in through every lesson and the quiz to "passed"; another fails, waits
out the cool-down and passes."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from learning.assessment.engine import option_token
from learning.assessment.models import Attempt, Question
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Person
from tests.browser.conftest import axe_violations, log_in
from tests.factories import age_lesson_openings

pytestmark = pytest.mark.browser


def answer_page(page, live_app, right: bool) -> None:
    """Tick the right (or wrong) options of the questions on the current quiz page."""
    with live_app.app_context():
        questions = {str(q.id): q for q in db.session.scalars(select(Question))}
    attempt_id = int(re.search(r"/bai-lam/(\d+)/", page.url).group(1))
    for fieldset in page.locator("fieldset.question").all():
        name = fieldset.locator("input").first.get_attribute("name")
        question = questions[name[1:]]
        wanted = [o["id"] for o in question.options if o["correct"] == right]
        if question.kind != "multiple":
            wanted = wanted[:1]
        for option_id in wanted:
            value = option_token(live_app.config["SECRET_KEY"], attempt_id, question.id, option_id)
            fieldset.locator(f"input[value='{value}']").check()


def take_quiz(page, live_app, right: bool) -> None:
    while True:
        answer_page(page, live_app, right)
        next_button = page.get_by_role("button", name="Lưu và tiếp ›")
        if next_button.count():
            next_button.click()
        else:
            page.get_by_role("button", name="Lưu và nộp bài").click()
            break
    page.get_by_role("button", name="Nộp bài").click()


def test_learner_reads_every_lesson_and_passes(page, live_app, live_course):
    log_in(page, "DEMO-HV")
    page.goto(f"/khoa-hoc/{live_course}")
    page.get_by_role("link", name="Bắt đầu học").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bài một"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Đã đọc xong, sang bài tiếp").click()  # seconds after opening: refused
    expect(page.get_by_role("status")).to_have_text(
        "Bạn mở bài này được 0 phút; hãy đọc ít nhất 2,5 phút trước khi đánh dấu đã đọc.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài một")
    assert axe_violations(page) == []
    with live_app.app_context():
        age_lesson_openings()  # the reading time passes
    page.get_by_role("button", name="Đã đọc xong, sang bài tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài hai")
    with live_app.app_context():
        age_lesson_openings()
    page.get_by_role("button", name="Đã đọc xong bài cuối").click()
    page.get_by_role("button", name="Làm bài kiểm tra").click()
    assert axe_violations(page) == []
    take_quiz(page, live_app, right=True)
    assert "Kết quả: 100%" in page.get_by_role("heading", level=1).inner_text()
    assert "Bạn đã hoàn thành khóa học" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name="xem Chứng nhận của tôi").click()
    assert page.get_by_role("table").count() == 1


def test_failed_learner_waits_out_the_cooldown_and_passes(browser, live_server, live_app, live_course):
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, "DEMO-TT")
    page.goto(f"/khoa-hoc/{live_course}")
    page.get_by_role("button", name="Làm bài kiểm tra").click()
    take_quiz(page, live_app, right=False)
    assert "Chưa đạt" in page.get_by_role("heading", level=1).inner_text()
    page.goto(f"/khoa-hoc/{live_course}")
    assert "Bạn cần chờ trước khi làm lại" in page.content()
    with live_app.app_context():  # the cool-down passes
        person = db.session.scalar(select(Person).where(Person.employee_code == "DEMO-TT"))
        attempt = db.session.scalar(select(Attempt).where(Attempt.person_id == person.id))
        attempt.submitted_at = utcnow() - timedelta(minutes=20)
        db.session.commit()
    page.reload()
    page.get_by_role("button", name="Làm bài kiểm tra").click()
    take_quiz(page, live_app, right=True)
    assert "Đạt" in page.get_by_role("heading", level=1).inner_text()
    context.close()
