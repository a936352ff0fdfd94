"""The practice exercises of issue 20 item 5: in the AI and personal-data lessons, linked to the tool, with a
sample text the tool has something to find in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learning.textcheck.analyzer import analyze

COURSES = Path(__file__).resolve().parents[2] / "courses"
EXERCISES = ["su-dung-ai-co-trach-nhiem/04-tom-tat-don-thu-va-dich-tai-lieu.md",
             "bao-ve-du-lieu-ca-nhan/05-truoc-khi-cong-khai-danh-sach.md"]


@pytest.mark.parametrize("lesson", EXERCISES)
def test_exercise_links_the_tool_and_has_a_sample(lesson):
    text = (COURSES / lesson).read_text(encoding="utf-8")
    section = text.split("## Bài tập thực hành", 1)[1].split("\n## ", 1)[0]
    assert "](/kiem-tra-van-ban)" in section
    assert "không tính điểm" in section  # part of the lesson, not of the quiz score
    sample = re.search(r"```text\n(.*?)\n```", section, re.S).group(1)
    types = {f.type for f in analyze(sample).findings}
    assert {"person_name", "cccd", "phone", "address", "sensitive"} <= types
