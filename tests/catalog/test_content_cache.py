"""Immutable course-version content is cached per process (issue 19 item 3): a lesson page reads only the
course's current version with the learner's progress, an answer POST validates against the cached bank, a
new version is a new key, and the cache is bounded."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from learning.assessment.models import Attempt
from learning.catalog import content_cache
from learning.catalog.content_cache import LRUCache
from learning.catalog.loader import load_content
from learning.catalog.models import Course, LessonProgress
from learning.extensions import db

# Who the user is and the navigation's unread notices: counted by other items of issue 19, not here.
_NOT_THE_PAGE = re.compile(r"\b(FROM|JOIN) (account|role_grant|notice)\b")


class Statements:
    def __init__(self, engine) -> None:
        self.engine, self.all = engine, []

    def _before(self, _conn, _cursor, statement, *_args) -> None:
        self.all.append(" ".join(statement.split()))

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)

    @property
    def page(self) -> list[str]:
        return [s for s in self.all if not _NOT_THE_PAGE.search(s)]


@pytest.fixture
def learner(app, tree, create_account):
    load_content(tree.root)
    db.session.commit()
    course = db.session.scalar(select(Course).where(Course.code == "khoa-thu"))
    account = create_account()
    db.session.add(LessonProgress(person_id=account.person_id, course_id=course.id, lesson_slug="01-bai-mot"))
    db.session.commit()
    client = app.test_client()
    with app.app_context():
        assert client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                               "password": "Mat-khau-2026"}).status_code == 302
    return client


def _get(app, client, url: str) -> tuple[str, Statements]:
    with app.app_context(), Statements(db.engine) as statements:  # a fresh app context, as in production
        response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True), statements


def test_lesson_page_reads_one_statement_once_the_content_is_cached(app, learner):
    _get(app, learner, "/khoa-hoc/khoa-thu/bai/02-bai-hai")  # first visit: records the opening, fills the cache
    html, statements = _get(app, learner, "/khoa-hoc/khoa-thu/bai/02-bai-hai")
    assert "Nội dung bài hai" in html and "Bài 2/2" in html
    # Before: course ⋈ version, every lesson with its body, the opening, the progress (4); now one.
    assert len(statements.page) == 1, statements.page
    assert "lesson_progress" in statements.page[0] and "lesson_opening" in statements.page[0]
    assert len(statements.all) <= 6, statements.all  # before: 9 (with the user loader's and the notices')


def test_the_cached_content_carries_no_learner_state(app, learner, create_account):
    html, _ = _get(app, learner, "/khoa-hoc/khoa-thu/bai/01-bai-mot")
    assert "Bạn đã đọc bài này." in html  # this learner read it
    other, code = app.test_client(), create_account().person.employee_code
    with app.app_context():
        assert other.post("/dang-nhap", data={"identifier": code,
                                              "password": "Mat-khau-2026"}).status_code == 302
    html, _ = _get(app, other, "/khoa-hoc/khoa-thu/bai/01-bai-mot")
    assert "Bạn đã đọc bài này." not in html and "Đã đọc xong, sang bài tiếp" in html


def test_answer_post_validates_against_the_cached_bank(app, learner):
    with app.app_context():
        assert learner.post("/khoa-hoc/khoa-thu/kiem-tra/bat-dau").status_code == 302
    attempt = db.session.scalar(select(Attempt))
    with app.app_context(), Statements(db.engine) as statements:
        response = learner.post(f"/bai-lam/{attempt.id}/trang/1", data={"di": "sau"})
    assert response.status_code == 302
    # Before: the attempt, its questions, the update (3); now the attempt (with its version) and the update.
    assert len(statements.page) == 2, statements.page
    assert not any("FROM question" in s for s in statements.all)
    assert statements.page[1].startswith("UPDATE attempt")
    with app.app_context():
        forged = learner.post(f"/bai-lam/{attempt.id}/trang/1", data={f"q{attempt.pages[0][0]}": "khong-co"})
    assert forged.status_code == 400  # still refused: the cached bank checks what was drawn


def test_a_new_version_shows_its_new_content(app, learner, tree):
    html, _ = _get(app, learner, "/khoa-hoc/khoa-thu/bai/01-bai-mot")
    assert "Giữ kín mật khẩu." in html
    tree.edit("courses/khoa-thu/01-bai-mot.md", "Giữ kín mật khẩu.", "Đổi mật khẩu định kỳ.")
    tree.edit("courses/khoa-thu/course.yaml", "title: Bài một", "title: Bài một (sửa)")
    load_content(tree.root)
    db.session.commit()
    html, _ = _get(app, learner, "/khoa-hoc/khoa-thu/bai/01-bai-mot")
    assert "Đổi mật khẩu định kỳ." in html and "Giữ kín mật khẩu." not in html
    assert "Bài một (sửa)" in html
    course_page, _ = _get(app, learner, "/khoa-hoc/khoa-thu")
    assert "Bài một (sửa)" in course_page


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    lru = LRUCache(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert len(lru) == 2 and "b" not in lru and lru.get("a") == 1 and lru.get("c") == 3


def test_the_app_cache_stays_within_its_size_and_reloads_what_it_dropped(app, learner, monkeypatch):
    monkeypatch.setitem(app.extensions, "learning_content_cache", LRUCache(2))
    for _ in range(2):
        for slug, text in (("01-bai-mot", "Giữ kín mật khẩu."), ("02-bai-hai", "Nội dung bài hai")):
            html, _ = _get(app, learner, f"/khoa-hoc/khoa-thu/bai/{slug}")
            assert text in html
            assert len(content_cache.cache()) <= 2
    assert app.config.get("CONTENT_CACHE_ENTRIES", content_cache.DEFAULT_ENTRIES) > 2
