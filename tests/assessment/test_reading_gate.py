"""Issue 18 item 4: "Đã đọc xong" counts only once a share of the lesson's minutes has passed since the
person first opened it (recorded by the server); otherwise a plain message says how long is left."""

from datetime import timedelta

from sqlalchemy import func, select

from learning.catalog.loader import load_content
from learning.catalog.models import LessonOpening, LessonProgress
from learning.core.dates import utcnow
from learning.extensions import db
from tests.factories import age_lesson_openings

LESSON = "/khoa-hoc/khoa-thu/bai/01-bai-mot"
REFUSED = "Bạn mở bài này được {opened} phút; hãy đọc ít nhất 2,5 phút trước khi đánh dấu đã đọc."


def read_count() -> int:
    return db.session.scalar(select(func.count(LessonProgress.id)))


def opened_ago(minutes: float) -> None:
    """Every recorded opening happened ``minutes`` ago."""
    for opening in db.session.scalars(select(LessonOpening)):
        opening.first_opened_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def test_opening_a_lesson_is_recorded_once_per_person_and_lesson_version(client, login, create_account, course):
    account = create_account()
    login(account)
    client.get(LESSON)
    opening = db.session.scalar(select(LessonOpening))
    lesson = course.current_version.lessons[0]
    assert (opening.person_id, opening.lesson_id) == (account.person_id, lesson.id)
    first = opening.first_opened_at
    client.get(LESSON)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(LessonOpening.id))) == 1
    assert db.session.scalar(select(LessonOpening.first_opened_at)) == first


def test_an_immediate_press_is_refused_with_a_plain_message(client, login, create_account, course):
    login(create_account())
    client.get(LESSON)
    refused = client.post(f"{LESSON}/da-doc")
    assert refused.status_code == 302 and refused.location.endswith(LESSON)  # back to the same lesson
    page = client.get(refused.location).text
    assert REFUSED.format(opened=0) in page
    assert "Đã đọc xong, sang bài tiếp" in page  # the button is still there
    assert read_count() == 0


def test_the_press_counts_once_the_share_of_the_minutes_has_passed(client, login, create_account, course):
    login(create_account())
    client.get(LESSON)  # the lesson declares 5 minutes: half of it is 2.5
    opened_ago(2)
    assert client.post(f"{LESSON}/da-doc").location.endswith(LESSON)
    assert REFUSED.format(opened=2) in client.get(LESSON).text
    assert read_count() == 0
    opened_ago(2.6)
    moved = client.post(f"{LESSON}/da-doc")
    assert moved.location.endswith("/khoa-hoc/khoa-thu/bai/02-bai-hai")
    assert read_count() == 1
    assert "Bạn đã đọc bài này." in client.get(LESSON).text


def test_a_double_post_counts_once(client, login, create_account, course):
    login(create_account())
    client.get(LESSON)
    age_lesson_openings()
    first = client.post(f"{LESSON}/da-doc")
    second = client.post(f"{LESSON}/da-doc")
    assert first.location == second.location and second.location.endswith("/bai/02-bai-hai")
    assert read_count() == 1


def test_a_post_without_opening_the_lesson_is_refused(client, login, create_account, course):
    login(create_account())
    client.post(f"{LESSON}/da-doc")
    assert REFUSED.format(opened=0) in client.get(LESSON).text
    assert read_count() == 0


def test_another_persons_opening_does_not_count(client, login, create_account, course):
    other = create_account()
    login(other)
    client.get(LESSON)
    age_lesson_openings()
    client.post("/dang-xuat")
    login(create_account())
    client.post(f"{LESSON}/da-doc")
    assert read_count() == 0


def test_a_new_content_version_asks_for_a_new_opening(client, login, create_account, course, tree):
    login(create_account())
    client.get(LESSON)
    age_lesson_openings()
    tree.edit("courses/khoa-thu/01-bai-mot.md", "Nội dung", "Nội dung mới")
    load_content(tree.root)
    db.session.commit()
    client.post(f"{LESSON}/da-doc")
    assert read_count() == 0  # the opening was of the previous version of the lesson
    assert REFUSED.format(opened=0) in client.get(LESSON).text


def test_share_zero_turns_the_gate_off(app, monkeypatch, client, login, create_account, course):
    monkeypatch.setitem(app.config, "LESSON_MIN_READ_SHARE", 0)
    login(create_account())
    client.post(f"{LESSON}/da-doc")
    assert read_count() == 1


def test_the_share_is_configurable_and_the_message_is_translated(app, monkeypatch, client, login, create_account,
                                                                 course):
    monkeypatch.setitem(app.config, "LESSON_MIN_READ_SHARE", 1)
    login(create_account())
    client.get(LESSON)
    opened_ago(4)  # 4 of the 5 minutes: half would do, the whole is asked for
    client.post(f"{LESSON}/da-doc")
    assert "hãy đọc ít nhất 5 phút trước khi" in client.get(LESSON).text
    assert read_count() == 0
    client.post("/ngon-ngu", data={"lang": "en", "next": "/"})
    monkeypatch.setitem(app.config, "LESSON_MIN_READ_SHARE", 0.9)
    client.post(f"{LESSON}/da-doc")
    assert ("You opened this lesson 4 minutes ago; read it for at least 4.5 minutes before marking it as read."
            in client.get(LESSON).text)


def test_the_openings_are_part_of_my_data(client, login, create_account, course):
    login(create_account())
    client.get(LESSON)
    opened = db.session.scalar(select(LessonOpening.first_opened_at))
    data = client.get("/du-lieu-cua-toi.json").get_json()
    assert data["lessons_opened"] == [{"course": "khoa-thu", "course_version": 1, "lesson": "01-bai-mot",
                                       "first_opened_at": opened.isoformat()}]
