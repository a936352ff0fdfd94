"""The legal reader's notes of issue 22 item 4 that can be checked mechanically, on the shipped content.

Later texts (named in the sources' currency notes) may be mentioned only under "## Đọc thêm"
(courses/README.md): lessons cite article-level rules only from the five sources the library holds.
"""

from __future__ import annotations

import re

import pytest

from learning.catalog.content import ContentSet, read_content
from learning.config import PROJECT_ROOT

# The texts that came after the sources: Nghị định 147/2024 (replaced NĐ 72/2013 and 27/2018),
# Nghị định 13/2023 and Luật 91/2025 on personal data.
LATER_TEXTS = re.compile(r"147/2024|13/2023/NĐ|91/2025")
HEADING = re.compile(r"^##\s+(.*\S)\s*$")


@pytest.fixture(scope="module")
def content() -> ContentSet:
    return read_content(PROJECT_ROOT)


def later_texts_outside_further_reading(text: str) -> list[int]:
    """Line numbers naming a later text outside a ``## Đọc thêm`` section."""
    section, found = "", []
    for number, line in enumerate(text.splitlines(), start=1):
        if heading := HEADING.match(line):
            section = heading[1]
        elif LATER_TEXTS.search(line) and section != "Đọc thêm":
            found.append(number)
    return found


def test_the_check_finds_a_later_text_in_the_body_and_not_under_further_reading():
    body = "## Bài\n\nNghị định 147/2024/NĐ-CP thay thế.\n\n## Đọc thêm\n\n- Nghị định 147/2024/NĐ-CP.\n\n## Tóm tắt\n"
    assert later_texts_outside_further_reading(body) == [3]


def test_later_texts_are_named_only_under_further_reading(content):
    found = [f"{course.data.code}/{lesson.ref.file}:{line}"
             for course in content.courses for lesson in course.lessons
             for line in later_texts_outside_further_reading(lesson.text)]
    assert found == []


# What is known of QĐ 03/2022 of Phú Yên is the merger; where the Quy chế applies now is not.
APPLICATION_CLAIM = re.compile(r"áp dụng hiện nay|hết hiệu lực|không còn (được )?áp dụng|không còn hiệu lực")


def test_the_phu_yen_note_states_the_merger_and_claims_nothing_of_where_the_text_applies(content):
    regulation, _ = content.regulations["qd-03-2022-py"]
    note = " ".join(regulation.currency_note.split())
    assert "01/7/2025 tỉnh Phú Yên đã hợp nhất vào tỉnh Đắk Lắk" in note
    assert APPLICATION_CLAIM.search(note) is None, note
