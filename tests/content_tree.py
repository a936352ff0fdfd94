"""A small content tree written into a temporary folder, to break on purpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REGULATION = """\
id: qd-99-2024-tn
kind: Quyết định
number: 99/2024/QĐ-UBND
title: Quy định thử nghiệm về nền tảng số
short_title: QĐ 99/2024/QĐ-UBND
issuer: Ủy ban nhân dân tỉnh Thử nghiệm
issued: 2024-06-17
effective: 2024-07-01
source_file: thu-nghiem.txt
currency_note: Sở Thông tin và Truyền thông nay thuộc Sở Khoa học và Công nghệ.
sections:
  - anchor: d1
    heading: "Điều 1. Phạm vi"
    text: Quy định này áp dụng cho cán bộ, công chức.
  - anchor: d5
    heading: "Điều 5. Trách nhiệm cá nhân"
    children:
      - anchor: d5-k1
        text: "1. Bảo mật tài khoản được cấp."
      - anchor: d5-k2
        text: "2. Không chia sẻ mật khẩu."
        children:
          - anchor: d5-k2-a
            text: "a) Kể cả với đồng nghiệp."
"""

COURSE = """\
code: khoa-thu
title: Khóa học thử
summary: Một khóa học nhỏ để kiểm thử.
estimated_minutes: 10
objectives: [Biết bảo mật tài khoản]
quiz:
  questions: 3
  pass_mark: 80
lessons:
  - file: 01-bai-mot.md
    title: Bài một
    minutes: 5
  - file: 02-bai-hai.md
    title: Bài hai
    minutes: 5
"""

LESSON = """\
## Mục tiêu bài học

- Biết vì sao phải bảo mật tài khoản.

## Nội dung

Mỗi người tự bảo mật tài khoản được cấp [[qd-99-2024-tn#d5-k1]].

> Không chia sẻ mật khẩu, kể cả với đồng nghiệp [[qd-99-2024-tn#d5-k2-a]].

## Tóm tắt

- Giữ kín mật khẩu.
"""

QUIZ = """\
course: khoa-thu
questions:
  - id: kt-01
    kind: single
    lesson: 01-bai-mot.md
    difficulty: 1
    stem: Ai chịu trách nhiệm bảo mật tài khoản được cấp?
    options:
      - text: Người được cấp tài khoản
        correct: true
        feedback: Đúng, quy định giao cho cá nhân.
      - text: Bộ phận công nghệ thông tin
        correct: false
        feedback: Bộ phận CNTT hỗ trợ, không thay cá nhân.
    explanation: Mỗi cá nhân tự bảo mật tài khoản.
    cite: [qd-99-2024-tn#d5-k1]
  - id: kt-02
    kind: true_false
    lesson: 02-bai-hai.md
    stem: Được đưa mật khẩu cho đồng nghiệp thân.
    options:
      - text: Đúng
        correct: false
        feedback: Không, kể cả đồng nghiệp.
      - text: Sai
        correct: true
        feedback: Chính xác.
    explanation: Không chia sẻ mật khẩu.
    cite: [qd-99-2024-tn#d5-k2-a]
  - id: kt-03
    kind: scenario
    lesson: 02-bai-hai.md
    scenario: Một đồng nghiệp nhắn Zalo xin mật khẩu hệ thống một cửa để xử lý hồ sơ giúp.
    questions:
      - id: kt-03a
        kind: multiple
        stem: Bạn nên làm gì?
        options:
          - text: Từ chối và hướng dẫn đồng nghiệp đề nghị cấp tài khoản
            correct: true
            feedback: Đúng.
          - text: Báo lãnh đạo phụ trách nếu việc gấp
            correct: true
            feedback: Đúng.
          - text: Gửi mật khẩu rồi đổi lại sau
            correct: false
            feedback: Vẫn là chia sẻ mật khẩu.
        explanation: Không chia sẻ mật khẩu.
        cite: [qd-99-2024-tn#d5-k2]
"""


class ContentTree:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("courses/regulations/qd-99-2024-tn.yaml", REGULATION)
        self.write("courses/khoa-thu/course.yaml", COURSE)
        self.write("courses/khoa-thu/01-bai-mot.md", LESSON)
        self.write("courses/khoa-thu/02-bai-hai.md", LESSON.replace("Nội dung", "Nội dung bài hai"))
        self.write("quizzes/khoa-thu.yaml", QUIZ)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def line_of(self, rel: str, needle: str) -> int:
        lines = (self.root / rel).read_text(encoding="utf-8").splitlines()
        return next(i for i, line in enumerate(lines, start=1) if needle in line)


@pytest.fixture
def tree(tmp_path: Path) -> ContentTree:
    return ContentTree(tmp_path)
