"""Breadcrumbs start the same way on every page of a journey (issue 18 item 19): a signed-in person's pages
start at "Trang chủ", the password-reset pages at "Đăng nhập"; the quiz page has none on purpose (every
way off it must save the answers first)."""

import re
from pathlib import Path

from tests.assessment.test_attempts import read_all, start, submit_all

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PASSWORD_JOURNEY = {"auth/forgot_password.html", "auth/reset_requested.html", "auth/reset_password.html"}
CALL = re.compile(r"breadcrumbs\(\[\(_\(\"([^\"]+)\"\)")


def trail(html: str) -> list[str]:
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs on the page"
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", nav.group(1), re.S)]


def test_every_trail_in_the_templates_starts_at_the_start_of_its_journey():
    wrong = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for first in CALL.findall(path.read_text(encoding="utf-8")):
            expected = "Đăng nhập" if name in PASSWORD_JOURNEY else "Trang chủ"
            if first != expected:
                wrong.append((name, first))
    assert wrong == []
    assert "breadcrumbs(" not in (TEMPLATES / "assessment/page.html").read_text(encoding="utf-8")


def test_the_learning_journey_keeps_one_trail_from_the_course_to_the_result(client, login, create_account, course,
                                                                           correct_answers):
    login(create_account())
    title = course.current_version.title
    assert trail(client.get("/hoc-tap").text)[:1] == ["Trang chủ"]
    assert trail(client.get(f"/khoa-hoc/{course.code}").text) == ["Trang chủ", "Học tập của tôi", title]
    lesson = course.current_version.lessons[0]
    assert trail(client.get(f"/khoa-hoc/{course.code}/bai/{lesson.slug}").text) == [
        "Trang chủ", "Học tập của tôi", title, lesson.title]
    read_all(client, course)
    attempt = start(client, course)
    pages = correct_answers(attempt)
    for number, data in enumerate(pages, start=1):
        client.post(f"/bai-lam/{attempt.id}/trang/{number}", data={**data, "di": "sau"})
    assert trail(client.get(f"/bai-lam/{attempt.id}/nop").text) == ["Trang chủ", "Học tập của tôi", title, "Nộp bài"]
    result = submit_all(client, attempt, pages)
    assert trail(client.get(result.location).text) == ["Trang chủ", "Học tập của tôi", title, "Kết quả"]


def test_the_password_reset_pages_lead_back_to_the_log_in(client):
    assert trail(client.get("/quen-mat-khau").text) == ["Đăng nhập", "Quên mật khẩu"]
    sent = client.post("/quen-mat-khau", data={"identifier": "khong-ai"}, follow_redirects=True)
    assert trail(sent.text) == ["Đăng nhập", "Quên mật khẩu", "Đã nhận yêu cầu"]
