"""The question-bank measures of `content check` (learning/catalog/quality.py)."""

from types import SimpleNamespace

import pytest

from learning.catalog import quality
from learning.catalog.content import read_content


def q(kind, *options):
    return SimpleNamespace(kind=kind, options=[SimpleNamespace(text=t, correct=c) for t, c in options])


def test_option_length_ignores_folding_and_spacing():
    assert quality.option_length("Một  câu\n trả lời ") == len("Một câu trả lời")


def test_key_is_longest_counts_ties_against_the_bank():
    assert quality.key_is_longest([("dài nhất ở đây", True), ("ngắn", False)])
    assert quality.key_is_longest([("bằng nhau", True), ("bằng nhaU", False)])
    assert not quality.key_is_longest([("ngắn", True), ("dài hơn nhiều", False)])


def test_longest_n_solves_only_when_every_key_outlasts_every_distractor():
    assert quality.longest_n_solves([("aaaa", True), ("aaa", True), ("aa", False)])
    assert not quality.longest_n_solves([("aaaa", True), ("a", True), ("aa", False)])


def test_poisson_binomial_tail_matches_the_binomial():
    # Six fair coins: P(X >= 5) = 7/64.
    assert quality.poisson_binomial_tail([0.5] * 6, 5) == pytest.approx(7 / 64)
    assert quality.poisson_binomial_tail([0.25] * 3, 0) == pytest.approx(1.0)
    assert quality.poisson_binomial_tail([0.25] * 3, 4) == 0.0


def test_a_bank_whose_key_is_long_and_first_fails_every_measure():
    bank = [q("single", ("Phương án đúng, dài và có đủ điều kiện", True), ("Sai", False), ("Không", False))
            for _ in range(10)]
    bank += [q("multiple", ("Đúng thứ nhất, khá dài", True), ("Đúng thứ hai, khá dài", True), ("Sai", False))] * 5
    bank += [q("true_false", ("Đúng", False), ("Sai", True))] * 5
    result = quality.bank_quality("x", bank)
    assert (result.single_longest, result.single, result.multiple_longest_n, result.multiple) == (10, 10, 5, 5)
    assert result.positions[0][1] == 15 and result.position_p(0) < 0.01
    reasons = result.problems()
    assert len(reasons) == 4
    assert "10/10" in reasons[0] and "5/5" in reasons[1] and "vị trí thứ 1" in reasons[2]
    assert "0 “Đúng”, 5 “Sai”" in reasons[3]


def test_a_balanced_bank_passes():
    bank = []
    for i in range(12):
        options = [(f"Phương án số {n} viết dài như nhau", False) for n in range(3)]
        options.insert(i % 3, ("Phương án đúng ngắn hơn", True))
        bank.append(q("single", *options))
    for i in range(5):
        options = [("Sai dài hơn hẳn mọi phương án", False), ("Đúng ngắn", True), ("Đúng vừa vừa", True)]
        bank.append(q("multiple", *(options[i % 3:] + options[:i % 3])))
    bank += [q("true_false", ("Đúng", i % 2 == 0), ("Sai", i % 2 == 1)) for i in range(6)]
    result = quality.bank_quality("x", bank)
    assert result.problems() == []
    assert result.true_false_dung == 3 and result.longest_share == 0


def test_coverage_counts_a_point_as_taught_when_its_clause_is_cited(tree):
    content = read_content(tree.root)
    covered, total, missing = quality.coverage(content)
    assert total == len(quality.rule_anchors(content.regulations)) and covered + len(missing) == total
    before = covered
    for lesson in ("01-bai-mot.md", "02-bai-hai.md"):
        tree.edit(f"courses/khoa-thu/{lesson}", "[[qd-99-2024-tn#d5-k1]]", "tài khoản")
    tree.edit("quizzes/khoa-thu.yaml", "cite: [qd-99-2024-tn#d5-k1]", "cite: [qd-99-2024-tn#d5-k2]")
    covered, _, missing = quality.coverage(read_content(tree.root))
    assert covered == before - 1 and "qd-99-2024-tn#d5-k1" in missing


def test_cli_check_fails_a_bank_the_longest_options_solve(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", tree.root)
    monkeypatch.setitem(app.config, "CONTENT_COVERAGE_MIN_PERCENT", 0)  # the small tree teaches 2 of 3 clauses
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "quizzes/khoa-thu.yaml: chọn các lựa chọn dài nhất giải được 1/1 câu" in result.output
    tree.edit("quizzes/khoa-thu.yaml", "Gửi mật khẩu rồi đổi lại sau",
              "Gửi mật khẩu qua tin nhắn rồi đổi mật khẩu ngay khi đồng nghiệp làm xong")
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "Độ phủ điều khoản mang quy tắc:" in result.output
    assert "khoa-thu: dài nhất là đáp án 0/1 (0%), dài nhất-n 0/1 (0%)" in result.output


def test_cli_check_fails_below_the_coverage_minimum_and_names_the_untaught_clause(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "CONTENT_DIR", tree.root)
    tree.edit("quizzes/khoa-thu.yaml", "Gửi mật khẩu rồi đổi lại sau",
              "Gửi mật khẩu qua tin nhắn rồi đổi mật khẩu ngay khi đồng nghiệp làm xong")
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "Độ phủ điều khoản mang quy tắc: 2/3 (67%; tối thiểu 90%)." in result.output
    assert "độ phủ điều khoản mang quy tắc 2/3 (67%) dưới mức tối thiểu 90%" in result.output
    assert "1 lỗi chất lượng nội dung." in result.output
    assert "các điều khoản qd-99-2024-tn#d1" in result.output
    tree.edit("courses/khoa-thu/01-bai-mot.md", "tài khoản được cấp [[", "tài khoản được cấp [[qd-99-2024-tn#d1]] [[")
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "Độ phủ điều khoản mang quy tắc: 3/3 (100%; tối thiểu 90%)." in result.output


def test_coverage_minimum_is_a_share_of_the_clauses():
    assert quality.coverage_problems(9, 10, ["a#d1"], 90) == []
    assert quality.coverage_problems(0, 0, [], 90) == []
    [problem] = quality.coverage_problems(221, 246, ["a#d1", "a#d2"], 90)
    assert "221/246 (90%) dưới mức tối thiểu 90%" in problem and problem.endswith("a#d1, a#d2")
