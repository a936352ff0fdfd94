"""`content check` finds what an author broke and says where."""

import unicodedata

from learning.catalog.content import read_content


def problems(tree):
    return [str(p) for p in read_content(tree.root).problems]


def test_a_clean_tree_has_no_problems(tree):
    assert problems(tree) == []


def test_broken_citation_in_a_lesson_is_reported_with_its_line(tree):
    tree.edit("courses/khoa-thu/01-bai-mot.md", "#d5-k1]]", "#d5-k9]]")
    line = tree.line_of("courses/khoa-thu/01-bai-mot.md", "d5-k9")
    assert problems(tree) == [
        f"courses/khoa-thu/01-bai-mot.md:{line}: trích dẫn “qd-99-2024-tn#d5-k9” không có trong thư viện văn bản"
    ]


def test_broken_citation_in_a_question_is_reported_with_its_line(tree):
    tree.edit("quizzes/khoa-thu.yaml", "cite: [qd-99-2024-tn#d5-k1]", "cite: [qd-99-2024-tn#d7]")
    line = tree.line_of("quizzes/khoa-thu.yaml", "#d7")
    assert problems(tree) == [
        f"quizzes/khoa-thu.yaml:{line}: trích dẫn “qd-99-2024-tn#d7” không có trong thư viện văn bản"
    ]


def test_single_choice_with_two_correct_answers_is_reported(tree):
    tree.edit("quizzes/khoa-thu.yaml", "correct: false\n        feedback: Bộ phận CNTT",
              "correct: true\n        feedback: Bộ phận CNTT")
    line = tree.line_of("quizzes/khoa-thu.yaml", "options:")
    assert problems(tree) == [
        f"quizzes/khoa-thu.yaml:{line}: câu kt-01: câu một lựa chọn phải có đúng 1 đáp án đúng (đang có 2)"
    ]


def test_a_stem_that_repeats_how_to_answer_is_reported(tree):
    # the quiz page prints "(Chọn tất cả đáp án đúng)" after the stem already (issue 18 item 5)
    tree.edit("quizzes/khoa-thu.yaml", "stem: Bạn nên làm gì?", "stem: Bạn nên làm gì? (Chọn tất cả đáp án đúng.)")
    line = tree.line_of("quizzes/khoa-thu.yaml", "Bạn nên làm gì?")
    assert problems(tree) == [
        f"quizzes/khoa-thu.yaml:{line}: câu kt-03a: bỏ “(Chọn …)” khỏi đề bài; trang bài làm đã ghi cách trả lời"
    ]


def test_non_nfc_file_is_reported_with_its_line(tree):
    nfd = unicodedata.normalize("NFD", "Bài một")
    tree.edit("courses/khoa-thu/course.yaml", "title: Bài một", f"title: {nfd}")
    line = tree.line_of("courses/khoa-thu/course.yaml", nfd)
    assert f"courses/khoa-thu/course.yaml:{line}: văn bản chưa chuẩn hóa Unicode NFC" in problems(tree)


def test_extraction_defects_are_reported(tree):
    tree.edit("courses/regulations/qd-99-2024-tn.yaml", "cán bộ, công chức.", "cán bộ trên môi trƣờng số.")
    line = tree.line_of("courses/regulations/qd-99-2024-tn.yaml", "trƣờng")
    assert problems(tree) == [
        f"courses/regulations/qd-99-2024-tn.yaml:{line}: “ƣ” là lỗi trích xuất của “ư”"
    ]


def test_schema_errors_point_at_the_field(tree):
    tree.edit("quizzes/khoa-thu.yaml", "    difficulty: 1\n", "    difficulty: 7\n")
    line = tree.line_of("quizzes/khoa-thu.yaml", "difficulty: 7")
    found = problems(tree)
    assert len(found) == 1 and found[0].startswith(f"quizzes/khoa-thu.yaml:{line}: ")
    assert "difficulty" in found[0]


def test_true_false_needs_dung_and_sai(tree):
    tree.edit("quizzes/khoa-thu.yaml", "- text: Sai", "- text: Không")
    assert any("“Đúng” và “Sai”" in p for p in problems(tree))


def test_duplicate_question_ids_and_missing_lessons(tree):
    tree.edit("quizzes/khoa-thu.yaml", "id: kt-02", "id: kt-01")
    tree.edit("courses/khoa-thu/course.yaml", "file: 02-bai-hai.md", "file: 03-khong-co.md")
    found = problems(tree)
    assert any("id câu hỏi “kt-01” đã dùng ở quizzes/khoa-thu.yaml:" in p for p in found)
    assert any("không tìm thấy tệp bài học 03-khong-co.md" in p for p in found)


def test_cli_check_exits_1_and_prints_locations(app, tree, monkeypatch):
    tree.edit("courses/khoa-thu/01-bai-mot.md", "#d5-k1]]", "#d5-k9]]")
    monkeypatch.setitem(app.config, "CONTENT_DIR", tree.root)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "courses/khoa-thu/01-bai-mot.md:7: trích dẫn" in result.output
