"""Attempts: one open per learner, forged answers refused, one result per submit, time limit held."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from learning.assessment import services as quiz
from learning.assessment.engine import AnswerError
from learning.assessment.models import Attempt
from learning.catalog.loader import load_content
from learning.catalog.models import Completion
from learning.certification.models import Certificate
from learning.core.dates import format_datetime, utcnow
from learning.extensions import db
from learning.progress.completions import mark_read
from tests.factories import age_lesson_openings


def submit_all(client, attempt, pages):
    for number, data in enumerate(pages, start=1):
        client.post(f"/bai-lam/{attempt.id}/trang/{number}", data={**data, "di": "sau"})
    return client.post(f"/bai-lam/{attempt.id}/nop")


def read_all(client, course):
    """Open every lesson, let the reading time pass, press "Đã đọc xong" on each."""
    for lesson in course.current_version.lessons:
        assert client.get(f"/khoa-hoc/{course.code}/bai/{lesson.slug}").status_code == 200
    age_lesson_openings()
    for lesson in course.current_version.lessons:
        client.post(f"/khoa-hoc/{course.code}/bai/{lesson.slug}/da-doc")


def start(client, course):
    response = client.post(f"/khoa-hoc/{course.code}/kiem-tra/bat-dau")
    assert response.status_code == 302, response.text[:300]
    return db.session.scalar(select(Attempt).order_by(Attempt.id.desc()))


def test_full_pass_completes_the_course_and_issues_a_certificate(client, login, create_account, course,
                                                                 correct_answers):
    account = create_account()
    login(account)
    read_all(client, course)
    attempt = start(client, course)
    assert sum(len(p) for p in attempt.pages) == 3
    response = submit_all(client, attempt, correct_answers(attempt))
    assert response.location.endswith(f"/bai-lam/{attempt.id}/ket-qua")
    page = client.get(response.location).text
    assert "Kết quả: 100%" in page and "Bạn đã hoàn thành khóa học" in page
    assert db.session.scalar(select(func.count(Completion.id))) == 1
    assert db.session.scalar(select(Certificate.person_id)) == account.person_id


def test_double_submit_records_one_result(client, login, create_account, course, correct_answers):
    login(create_account())
    read_all(client, course)
    attempt = start(client, course)
    submit_all(client, attempt, correct_answers(attempt))
    client.post(f"/bai-lam/{attempt.id}/nop")
    client.post(f"/bai-lam/{attempt.id}/nop")
    assert db.session.scalar(select(func.count(Completion.id))) == 1
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    changed = client.post(f"/bai-lam/{attempt.id}/trang/1", data={"di": "sau"})
    assert changed.status_code == 302 and changed.location.endswith("/ket-qua")  # a submitted attempt is closed


def test_concurrent_submits_count_once(app, backend, create_account, course, correct_answers):
    account = create_account()
    attempt = quiz.start(account.person, course)
    for number, data in enumerate(correct_answers(attempt, posted=False)):
        quiz.save_answers(attempt, number, {k[1:]: v for k, v in data.items()})
    for lesson in course.current_version.lessons:
        mark_read(account.person, course, lesson.slug)
    db.session.commit()
    attempt_id = attempt.id  # read here: the main thread's session must not be touched by the workers
    errors: list[BaseException] = []

    def worker():
        with backend.app_context():
            try:
                quiz.submit(db.session.get(Attempt, attempt_id))
                db.session.commit()
            except BaseException as error:  # reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count(Completion.id))) == 1


def test_one_open_attempt_per_learner_and_course(create_account, course):
    account = create_account()
    first = quiz.start(account.person, course)
    assert quiz.start(account.person, course).id == first.id
    db.session.commit()
    duplicate = Attempt(person_id=account.person_id, course_id=course.id, course_version_id=first.course_version_id,
                        open_key=first.open_key, seed=1, pages=[], option_order={}, answers={}, started_at=utcnow())
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("forge", ["foreign_question", "unknown_option", "two_on_single", "score"])
def test_forged_answers_are_rejected_and_nothing_saved(client, login, create_account, course, forge):
    login(create_account())
    attempt = start(client, course)
    qid = attempt.pages[0][0]
    data = {"di": "sau"}
    if forge == "foreign_question":
        data["q999999"] = "a"
    elif forge == "unknown_option":
        data[f"q{qid}"] = "z"
    elif forge == "two_on_single":
        single_page = next(i for i, page in enumerate(attempt.pages)
                           if quiz.questions_of(attempt)[page[0]].kind != "multiple")
        qid = attempt.pages[single_page][0]
        data[f"q{qid}"] = list(quiz.option_values(attempt)[str(qid)].values())[:2]
        response = client.post(f"/bai-lam/{attempt.id}/trang/{single_page + 1}", data=data)
        assert response.status_code == 400 and "chỉ được chọn một đáp án" in response.text
        return
    else:
        data["score"] = "100"
    response = client.post(f"/bai-lam/{attempt.id}/trang/1", data=data)
    assert response.status_code == 400
    assert "không hợp lệ" in response.text or "không có" in response.text
    db.session.refresh(attempt)
    assert attempt.answers == {}


def test_time_limit_holds_on_the_server(client, login, create_account, course, correct_answers):
    login(create_account())
    attempt = start(client, course)
    attempt.started_at = utcnow() - timedelta(minutes=30)
    attempt.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    late = client.post(f"/bai-lam/{attempt.id}/trang/1", data={**correct_answers(attempt)[0], "di": "sau"})
    assert late.location.endswith("/ket-qua")
    db.session.refresh(attempt)
    assert attempt.submit_reason == "time_limit" and attempt.score == 0.0 and attempt.answers == {}


def test_within_the_grace_period_answers_still_count(create_account, course, correct_answers):
    account = create_account()
    attempt = quiz.start(account.person, course)
    attempt.deadline = utcnow() - timedelta(seconds=10)
    quiz.save_answers(attempt, 0, {k[1:]: v for k, v in correct_answers(attempt, posted=False)[0].items()})
    assert attempt.answers


def test_score_is_computed_on_the_server_the_same_on_every_database(create_account, course, correct_answers):
    account = create_account()
    attempt = quiz.start(account.person, course)
    pages = correct_answers(attempt, posted=False)
    wrong = correct_answers(attempt, right=False, posted=False)
    quiz.save_answers(attempt, 0, {k[1:]: v for k, v in pages[0].items()})
    for number in range(1, len(pages)):
        quiz.save_answers(attempt, number, {k[1:]: v for k, v in wrong[number].items()})
    quiz.submit(attempt)
    expected = round(100 * len(attempt.pages[0]) / 3, 2)
    assert attempt.score == expected and attempt.passed is False


def test_failed_attempt_hides_answers_and_cooldown_then_retry_passes(client, login, create_account, course,
                                                                    correct_answers):
    login(create_account())
    read_all(client, course)
    attempt = start(client, course)
    result = client.get(submit_all(client, attempt, correct_answers(attempt, right=False)).location).text
    assert "Chưa đạt" in result and "Đáp án đúng:" not in result
    assert "Căn cứ:" in result and "/thu-vien/qd-99-2024-tn#" in result
    assert "Bộ phận CNTT hỗ trợ" in result or "Kể cả đồng nghiệp" in result or "Vẫn là chia sẻ" in result
    refused = client.post(f"/khoa-hoc/{course.code}/kiem-tra/bat-dau", follow_redirects=True)
    assert "Bạn cần chờ trước khi làm lại" in refused.text
    attempt.submitted_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    retry = start(client, course)
    assert retry.id != attempt.id
    assert "Đạt" in client.get(submit_all(client, retry, correct_answers(retry)).location).text


def test_passing_before_reading_every_lesson_completes_later(client, login, create_account, course, correct_answers):
    login(create_account())
    attempt = start(client, course)
    page = client.get(submit_all(client, attempt, correct_answers(attempt)).location).text
    assert "hãy đọc nốt các bài học" in page
    assert db.session.scalar(select(func.count(Completion.id))) == 0
    read_all(client, course)
    assert db.session.scalar(select(func.count(Completion.id))) == 1


def test_an_expired_session_keeps_the_answers(app, client, login, create_account, course, correct_answers):
    account = create_account()
    login(account)
    attempt = start(client, course)
    data = correct_answers(attempt)[0]
    client.post("/dang-xuat")  # the session is gone, as after expiry
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/bai-lam/{attempt.id}/trang/1", data={**data, "csrf_token": "stale", "di": "sau"})
    assert response.status_code == 302 and "/dang-nhap" in response.location
    app.config["WTF_CSRF_ENABLED"] = False
    back = client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                           "password": "Mat-khau-2026", "next": f"/bai-lam/{attempt.id}/trang/1"})
    assert back.location == f"/bai-lam/{attempt.id}/trang/1"
    page = client.get(back.location).text
    assert "các câu trả lời đó đã được lưu lại" in page
    db.session.refresh(attempt)
    assert set(attempt.answers) == {k[1:] for k in data}


def test_someone_elses_attempt_is_forbidden(client, login, create_account, course):
    owner = create_account()
    attempt = quiz.start(owner.person, course)
    db.session.commit()
    login(create_account())
    assert client.get(f"/bai-lam/{attempt.id}/trang/1").status_code == 403
    assert client.post(f"/bai-lam/{attempt.id}/nop").status_code == 403


def test_a_page_save_racing_a_submit_changes_nothing(create_account, course, correct_answers):
    account = create_account()
    attempt = quiz.start(account.person, course)
    db.session.commit()
    assert attempt.is_open  # loaded by this request …
    # … then another request (a second tab) submits it before this one saves.
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id)
                       .values(submitted_at=utcnow(), open_key=None, score=0.0, passed=False)
                       .execution_options(synchronize_session=False))
    with pytest.raises(AnswerError, match="đã nộp"):
        quiz.save_answers(attempt, 0, {k[1:]: v for k, v in correct_answers(attempt, posted=False)[0].items()})
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).answers == {}


def test_jumping_with_the_page_numbers_saves_the_page_first(client, login, create_account, course, correct_answers):
    login(create_account())
    read_all(client, course)
    attempt = start(client, course)
    assert len(attempt.pages) >= 2
    page = client.get(f"/bai-lam/{attempt.id}/trang/1").text
    last = len(attempt.pages)
    assert f'name="di" value="trang-{last}"' in page and 'form="quiz-form"' in page  # buttons, not links
    first_page = correct_answers(attempt)[0]
    response = client.post(f"/bai-lam/{attempt.id}/trang/1", data={**first_page, "di": f"trang-{last}"})
    assert response.location.endswith(f"/bai-lam/{attempt.id}/trang/{last}")
    db.session.refresh(attempt)
    assert {str(qid) for qid in attempt.pages[0]} <= set(attempt.answers)
    beyond = client.post(f"/bai-lam/{attempt.id}/trang/1", data={**first_page, "di": "trang-99"})
    assert beyond.location.endswith(f"/bai-lam/{attempt.id}/trang/{last}")


def test_the_result_of_a_failed_attempt_says_when_a_retry_opens_and_how_many_are_left(
        app, client, login, create_account, course, tree, correct_answers):
    """Issue 18 item 6: the result page uses the course page's rule (services.eligibility)."""
    tree.edit("courses/khoa-thu/course.yaml", "pass_mark: 80", "pass_mark: 80\n  max_attempts: 3")
    load_content(tree.root)
    db.session.commit()
    login(create_account())
    attempt = start(client, course)
    result_url = submit_all(client, attempt, correct_answers(attempt, right=False)).location
    result = client.get(result_url).text
    next_at = format_datetime(attempt.submitted_at + timedelta(minutes=15))
    assert "Bạn cần chờ trước khi làm lại bài kiểm tra" in result
    assert f"Bạn có thể làm lại từ {next_at}." in result
    assert "Còn 2/3 lượt làm bài." in result
    attempt.submitted_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert "Bạn có thể làm lại ngay." in client.get(result_url).text
