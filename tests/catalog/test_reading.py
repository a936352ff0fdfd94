"""Reading time of lessons on a phone, checked by `content check` (learning/catalog/reading.py)."""

from learning.catalog import reading
from learning.catalog.content import read_content
from learning.config import PROJECT_ROOT

LONG = "Cán bộ đọc kỹ quy định trước khi đăng tin. " * 180  # 1,800 syllables: 9 minutes


def test_syllables_are_space_separated_words_without_citation_keys_or_markup():
    text = "## Mục tiêu\n\n- Bảo mật tài khoản [[qd-99-2024-tn#d5-k1]] theo QĐ 05/2023/QĐ-UBND.\n\n| a | b |\n|---|---|\n"
    assert reading.syllables(text) == 11  # Mục tiêu · Bảo mật tài khoản · theo QĐ 05/2023/QĐ-UBND. · a b
    assert reading.reading_minutes("một " * 200) == 1 and reading.reading_minutes("một " * 201) == 2
    assert reading.reading_minutes("một " * 1600) == reading.LESSON_MINUTES_LIMIT


def test_cli_check_fails_a_lesson_too_long_for_a_phone_and_an_under_declared_one(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", tree.root)
    monkeypatch.setitem(app.config, "CONTENT_COVERAGE_MIN_PERCENT", 0)
    tree.edit("quizzes/khoa-thu.yaml", "Gửi mật khẩu rồi đổi lại sau",
              "Gửi mật khẩu qua tin nhắn rồi đổi mật khẩu ngay khi đồng nghiệp làm xong")
    assert app.test_cli_runner().invoke(args=["content", "check"]).exit_code == 0
    tree.edit("courses/khoa-thu/02-bai-hai.md", "## Tóm tắt", LONG + "\n\n## Tóm tắt")
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert ("courses/khoa-thu/02-bai-hai.md:1: bài học 1841 tiếng, đọc trên điện thoại khoảng 10 phút, "
            "quá 8 phút (1600 tiếng): tách thành hai bài hoặc viết gọn lại") in result.output
    minutes_line = tree.line_of("courses/khoa-thu/course.yaml", "minutes: 5") + 3
    assert (f"courses/khoa-thu/course.yaml:{minutes_line}: bài 02-bai-hai.md khai báo minutes: 5 nhưng đọc mất "
            "khoảng 10 phút (1841 tiếng): sửa minutes") in result.output


def test_cli_check_fails_a_course_whose_estimate_is_not_the_sum_of_its_lessons(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", tree.root)
    monkeypatch.setitem(app.config, "CONTENT_COVERAGE_MIN_PERCENT", 0)
    tree.edit("quizzes/khoa-thu.yaml", "Gửi mật khẩu rồi đổi lại sau",
              "Gửi mật khẩu qua tin nhắn rồi đổi mật khẩu ngay khi đồng nghiệp làm xong")
    tree.edit("courses/khoa-thu/course.yaml", "estimated_minutes: 10", "estimated_minutes: 25")
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert ("courses/khoa-thu/course.yaml:4: estimated_minutes là 25 nhưng tổng thời gian các bài là 10 phút: "
            "sửa cho bằng nhau") in result.output
    assert "Thời gian đọc khoa-thu: 2 bài, 10 phút" in result.output


def test_shipped_lessons_fit_eight_minutes_and_course_minutes_are_the_sum_of_their_lessons():
    content = read_content(PROJECT_ROOT)
    for course in content.courses:
        for lesson in course.lessons:
            estimate = reading.reading_minutes(lesson.text)
            assert estimate <= reading.LESSON_MINUTES_LIMIT, lesson.path.name
            assert lesson.ref.minutes >= estimate, lesson.path.name
        assert course.data.estimated_minutes == sum(lesson.ref.minutes for lesson in course.lessons), course.data.code
    assert reading.reading_problems(content) == []
