"""Question import/export: Moodle GIFT, Moodle XML and the Excel sheet (issue 17 items 5 and 9)."""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from learning.catalog.content import read_content
from learning.catalog.content_schema import Scenario
from learning.catalog.interchange import detect, gift, moodle_xml
from learning.catalog.interchange.bank import export_items, import_items

DATA = Path(__file__).parent / "data"
BANK = "quizzes/khoa-thu.yaml"


@pytest.fixture
def cli(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", tree.root)
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["questions", *map(str, args)])


def _bank(tree) -> str:
    return (tree.root / BANK).read_text(encoding="utf-8")


def _new_questions(tree, before: int) -> list:
    content = read_content(tree.root)
    assert content.problems == []
    return next(c for c in content.courses if c.data.code == "khoa-thu").quiz.questions[before:]


def test_moodle_gift_each_kind_feedback_and_categories():
    parsed = gift.parse((DATA / "moodle_bank.gift").read_text(encoding="utf-8"))
    assert parsed.problems == []
    assert [i.kind for i in parsed.items] == ["single", "multiple", "true_false", "single"]
    single, multiple, true_false, _ = parsed.items
    assert single.title == "Bảo mật tài khoản"
    assert single.stem == "Ai chịu trách nhiệm giữ kín mật khẩu tài khoản được cấp?"
    assert [(o.text, o.correct) for o in single.options][0] == ("Người được cấp tài khoản", True)
    assert single.options[0].feedback == "Đúng: quy định giao cho từng người."
    assert single.explanation == "Mỗi người tự bảo mật tài khoản được cấp."
    assert single.cite == ["qd-99-2024-tn#d5-k1"]
    assert single.category == ["02-bai-hai", "Mật khẩu"]
    assert [o.correct for o in multiple.options] == [True, True, False]
    assert [(o.text, o.correct, o.feedback) for o in true_false.options] == [
        ("Đúng", False, "Không, kể cả đồng nghiệp."), ("Sai", True, "Chính xác.")]
    assert true_false.category == ["Quy định chung"]


def test_moodle_xml_each_kind_feedback_and_tags():
    parsed = moodle_xml.parse((DATA / "moodle_bank.xml").read_bytes())
    assert parsed.problems == []
    assert [i.kind for i in parsed.items] == ["single", "multiple", "true_false"]
    single, multiple, true_false = parsed.items
    assert single.line == 15
    assert single.options[1].text == "Bộ phận công nghệ thông tin"
    assert single.tags == ["Tài khoản"] and single.category == ["01-bai-mot"]
    assert [o.correct for o in multiple.options] == [True, True, False]
    assert [(o.text, o.correct) for o in true_false.options] == [("Đúng", False), ("Sai", True)]
    assert true_false.explanation == "Không chia sẻ mật khẩu." and true_false.cite == ["qd-99-2024-tn#d5-k2"]


@pytest.mark.parametrize("name", ["moodle_bank.gift", "moodle_bank.xml"])
def test_import_appends_valid_questions_and_reports_the_skipped_type(cli, tree, name):
    before = len(read_content(tree.root).courses[0].quiz.questions)
    result = cli("import", DATA / name, "--course", "khoa-thu")
    assert result.exit_code == 0, result.output
    assert "bỏ qua câu hỏi loại “essay”" in result.output
    assert "bỏ qua, loại “essay”: 1" in result.output
    assert "một lựa chọn (single):" in result.output and "đúng/sai (true_false): 1" in result.output
    assert "định dạng HTML" in result.output  # <strong>/<b> in an answer: the markup is lost, said so
    assert "flask content load" in result.output
    new = _new_questions(tree, before)
    assert [q.id for q in new][:3] == ["kt-04", "kt-05", "kt-06"]
    assert all(not isinstance(q, Scenario) for q in new)
    first = new[0]
    if name.endswith(".gift"):
        assert first.lesson == "02-bai-hai.md" and first.tags == ["mat-khau"]
    else:
        assert first.lesson == "01-bai-mot.md" and first.tags == ["tai-khoan"]
    assert first.cite == ["qd-99-2024-tn#d5-k1"]


def test_dry_run_writes_nothing(cli, tree):
    original = _bank(tree)
    result = cli("import", DATA / "moodle_bank.gift", "--course", "khoa-thu", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Chạy thử" in result.output and "kt-04" in result.output
    assert _bank(tree) == original
    assert not list((tree.root / "quizzes").glob(".*"))


def test_a_syntax_error_is_reported_at_its_line_and_nothing_is_written(cli, tree):
    original = _bank(tree)
    source = DATA / "syntax_error.gift"
    result = cli("import", source, "--course", "khoa-thu")
    assert result.exit_code == 1
    assert f"{source}:9: lỗi cú pháp GIFT" in result.output
    assert "không ghi gì" in result.output
    assert _bank(tree) == original


def test_a_missing_citation_and_a_wrong_anchor_stop_the_import_at_the_question(cli, tree, tmp_path):
    source = tmp_path / "bank.gift"
    source.write_text("::a::Câu một?{=Có#Đúng.~Không#Sai.####Giải thích.}\n\n"
                      "::b::Câu hai?{=Có#Đúng.~Không#Sai.####Giải thích. [[qd-99-2024-tn#d9]]}\n", encoding="utf-8")
    original = _bank(tree)
    result = cli("import", source, "--course", "khoa-thu")
    assert result.exit_code == 1
    assert f"{source}:1: thiếu trích dẫn" in result.output
    source.write_text("::b::Câu hai?{=Có#Đúng.~Không#Sai.####Giải thích. [[qd-99-2024-tn#d9]]}\n", encoding="utf-8")
    result = cli("import", source, "--course", "khoa-thu")
    assert result.exit_code == 1
    assert f"{source}:1: trích dẫn “qd-99-2024-tn#d9” không có trong thư viện văn bản" in result.output
    assert _bank(tree) == original


def test_an_xml_bomb_is_refused(cli, tree):
    original = _bank(tree)
    result = cli("import", DATA / "bomb.xml", "--course", "khoa-thu")
    assert result.exit_code == 1
    assert "XML bomb" in result.output
    assert _bank(tree) == original


def test_the_format_is_detected_by_content_not_by_the_name(cli, tree, tmp_path):
    disguised = tmp_path / "bank.txt"
    shutil.copy(DATA / "moodle_bank.xml", disguised)
    assert detect(disguised.read_bytes()) == "xml"
    result = cli("import", disguised, "--course", "khoa-thu", "--dry-run")
    assert result.exit_code == 0 and "Định dạng: Moodle XML" in result.output


def test_excel_sheet_one_row_per_option(cli, tree, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã câu", "Loại", "Bài học", "Thẻ", "Đề bài", "Phương án", "Đúng", "Phản hồi", "Giải thích",
                  "Trích dẫn"])
    sheet.append(["c1", "multiple", "02-bai-hai.md", "mật khẩu, zalo", "Nên làm gì?", "Từ chối", "x", "Đúng.",
                  "Không chia sẻ.", "qd-99-2024-tn#d5-k2"])
    sheet.append(["", "", "", "", "", "Báo lãnh đạo", "x", "Đúng."])
    sheet.append(["", "", "", "", "", "Gửi mật khẩu", "", "Sai."])
    sheet.append(["c2", "kiểu lạ", "", "", "Câu?", "A", "x", "Đúng."])
    path = tmp_path / "bank.bin"
    data = io.BytesIO()
    book.save(data)
    path.write_bytes(data.getvalue())
    result = cli("import", path, "--course", "khoa-thu")
    assert result.exit_code == 1 and f"{path}:5: loại câu hỏi “kiểu lạ”" in result.output
    sheet.delete_rows(5)
    data = io.BytesIO()
    book.save(data)
    path.write_bytes(data.getvalue())
    before = len(read_content(tree.root).courses[0].quiz.questions)
    result = cli("import", path, "--course", "khoa-thu")
    assert result.exit_code == 0, result.output
    (question,) = _new_questions(tree, before)
    assert question.kind == "multiple" and question.lesson == "02-bai-hai.md"
    assert question.tags == ["mat-khau", "zalo"]
    assert [(o.text, o.correct) for o in question.options] == [
        ("Từ chối", True), ("Báo lãnh đạo", True), ("Gửi mật khẩu", False)]


def _comparable(question) -> tuple:
    return (question.kind, question.stem, [(o.text, o.correct, o.feedback) for o in question.options],
            question.explanation, list(question.cite), list(question.tags))


@pytest.mark.parametrize("fmt", ["gift", "xml", "xlsx"])
def test_round_trip_import_of_export_gives_the_same_questions(cli, tree, tmp_path, fmt):
    course = read_content(tree.root).courses[0]
    exported = export_items(course)
    out = tmp_path / f"bank.{fmt}"
    result = cli("export", "--course", "khoa-thu", "--format", fmt, "--out", out)
    assert result.exit_code == 0, result.output
    assert "tình huống" in result.output  # the scenario is written as questions, and the operator is told
    before = len(course.quiz.questions)
    result = cli("import", out, "--course", "khoa-thu")
    assert result.exit_code == 0, result.output
    new = _new_questions(tree, before)
    assert len(new) == len(exported) == 3
    for item, question in zip(exported, new, strict=True):
        assert question.lesson.removesuffix(".md") == item.category[1]
        assert (question.kind, question.stem, [(o.text, o.correct, o.feedback) for o in question.options],
                question.explanation, question.cite, question.tags) == (
            item.kind, item.stem, [(o.text, o.correct, o.feedback) for o in item.options], item.explanation,
            item.cite, item.category[2:])
    scenario = course.quiz.questions[2]
    assert new[2].stem.startswith(scenario.scenario.strip())


def test_ten_thousand_questions_in_reasonable_time(tree):
    """Parsed, numbered, dumped and checked like ``flask content check`` (no database: runs once)."""
    block = "::q{n}::Câu hỏi số {n}?{{\n\t=Có#Đúng.\n\t~Không#Sai.\n\t####Giải thích. [[qd-99-2024-tn\\#d5-k1]]\n}}\n\n"
    text = "".join(block.format(n=n) for n in range(10_000))
    started = time.monotonic()
    parsed = gift.parse(text)
    outcome = import_items(tree.root, "khoa-thu", "big.gift", parsed.items, dry_run=True)
    elapsed = time.monotonic() - started
    assert parsed.problems == [] and outcome.problems == []
    assert outcome.counts["single"] == 10_000
    assert outcome.ids[0] == "kt-04" and outcome.ids[-1] == "kt-10003"  # the bank's prefix, past two digits
    assert elapsed < 90


def test_an_unknown_lesson_or_course_and_a_zip_that_is_no_workbook_are_refused(cli, tree, tmp_path):
    original = _bank(tree)
    result = cli("import", DATA / "moodle_bank.gift", "--course", "khoa-thu", "--lesson", "09-khong-co.md")
    assert result.exit_code == 1 and "bài học “09-khong-co.md” không có" in result.output
    result = cli("import", DATA / "moodle_bank.gift", "--course", "khong-co")
    assert result.exit_code == 1 and "không có khóa học “khong-co”" in result.output
    archive = tmp_path / "bank.xlsx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "không phải bảng tính")
    result = cli("import", archive, "--course", "khoa-thu")
    assert result.exit_code == 1 and f"{archive}:1: không đọc được tệp Excel" in result.output
    assert _bank(tree) == original
