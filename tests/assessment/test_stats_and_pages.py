import json
from datetime import date

from learning.assessment import services as quiz
from learning.assignments import services as assignments
from learning.extensions import db


def test_quiz_stats_flags_items_everybody_passes_or_fails(app, create_person, course, correct_answers):
    for i in range(12):
        person = create_person()
        attempt = quiz.start(person, course)
        pages = correct_answers(attempt, right=(i % 2 == 0), posted=False)
        for number, data in enumerate(pages):
            quiz.save_answers(attempt, number, {k[1:]: v for k, v in data.items()})
        quiz.submit(attempt)
    result = app.test_cli_runner().invoke(args=["quiz", "stats", "khoa-thu", "--json"])
    rows = {r["key"]: r for r in json.loads(result.output)}
    assert set(rows) == {"kt-01", "kt-02", "kt-03a"}
    assert rows["kt-01"]["answered"] == 12 and rows["kt-01"]["difficulty"] == 0.5
    assert rows["kt-01"]["discrimination"] > 0.9  # the same people get everything right
    table = app.test_cli_runner().invoke(args=["quiz", "stats", "khoa-thu"])
    assert "tỷ lệ đúng" in table.output
    assert app.test_cli_runner().invoke(args=["quiz", "stats", "khong-co"]).exit_code == 1


def test_my_learning_lessons_prev_next_and_resume(app, monkeypatch, client, login, create_account, course):
    monkeypatch.setitem(app.config, "LESSON_MIN_READ_SHARE", 0)  # the reading-time gate: tests/catalog
    login(create_account())
    mine = client.get("/hoc-tap").text
    assert "Khóa học thử" in mine and "Chưa học" in mine
    page = client.get("/khoa-hoc/khoa-thu").text
    assert "Bắt đầu học" in page and "Bài một" in page
    lesson = client.get("/khoa-hoc/khoa-thu/bai/01-bai-mot").text
    assert 'href="/thu-vien/qd-99-2024-tn#d5-k1"' in lesson and "Bài hai ›" in lesson
    moved = client.post("/khoa-hoc/khoa-thu/bai/01-bai-mot/da-doc")
    assert moved.location.endswith("/khoa-hoc/khoa-thu/bai/02-bai-hai")
    assert "Tiếp tục: Bài hai" in client.get("/khoa-hoc/khoa-thu").text
    assert "Đang học" in client.get("/hoc-tap").text
    assert client.get("/khoa-hoc/khoa-thu/bai/khong-co").status_code == 404
    assert client.get("/khoa-hoc/khong-co").status_code == 404


def test_a_course_is_mandatory_for_a_learner_only_when_an_assignment_makes_it_so(client, login, create_account,
                                                                                 course, province):
    """Issue 18 item 7: the course file's audience (all_staff) shows the course; an assignment makes it
    "Bắt buộc", the same source HR's dashboards count."""
    login(create_account(unit=province))
    mine = client.get("/hoc-tap").text
    assert "Khóa học thử" in mine and "Bắt buộc" not in mine
    year = date.today().year
    assignments.create(by=None, course_id=course.id, unit_id=province.id, categories=[], positions=[], period=year,
                       starts_on=date(year, 1, 1), due_on=date(year, 12, 31))
    db.session.commit()
    mine = client.get("/hoc-tap").text
    assert "Bắt buộc" in mine and "Hạn: 31/12/" in mine
