"""How long a lesson takes to read on a phone, checked by ``flask content check`` (issue 22 item 6).

Vietnamese writes one syllable per space-separated word, so a lesson is measured in syllables
(tiếng): the space-separated words of its Markdown that hold a letter or a digit, citation keys
``[[…]]`` and bare markup (``##``, ``-``, ``|``, ``>``) not counted. A number or an abbreviation such as
“05/2023/QĐ-UBND” counts once, as the eye takes it in once.

The rate is 200 syllables a minute: a careful reading of rules with their citations on a phone
screen, below the 250–300 syllables a minute of fluent silent reading of running prose. A lesson is
estimated at ``ceil(syllables / 200)`` minutes and must fit ``LESSON_MINUTES_LIMIT`` (8 minutes,
1,600 syllables); the ``minutes`` a course.yaml declares for it may not be less than the estimate, and
the course's ``estimated_minutes`` is the sum of its lessons' minutes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from learning.catalog.citations import INLINE_PATTERN

SYLLABLES_PER_MINUTE = 200
LESSON_MINUTES_LIMIT = 8
_WORD = re.compile(r"\w")


def syllables(markdown: str) -> int:
    """Space-separated words with a letter or digit, citation keys left out."""
    return sum(1 for word in INLINE_PATTERN.sub(" ", markdown).split() if _WORD.search(word))


def reading_minutes(markdown: str) -> int:
    return max(1, math.ceil(syllables(markdown) / SYLLABLES_PER_MINUTE))


@dataclass
class CourseReading:
    code: str
    declared: int  # estimated_minutes of course.yaml
    lessons: list[tuple[str, int, int, int]]  # (file, syllables, estimated minutes, declared minutes)

    @property
    def total(self) -> int:
        return sum(declared for *_, declared in self.lessons)

    def summary(self) -> str:
        file, count, estimate, _ = max(self.lessons, key=lambda lesson: lesson[1])
        return (f"{self.code}: {len(self.lessons)} bài, {self.total} phút; bài dài nhất {file} "
                f"{count} tiếng, khoảng {estimate} phút trên điện thoại")


def course_reading(course) -> CourseReading:
    return CourseReading(course.data.code, course.data.estimated_minutes, [
        (lesson.ref.file, syllables(lesson.text), reading_minutes(lesson.text), lesson.ref.minutes)
        for lesson in course.lessons])


def _line(text: str, needle: str, after: int = 0) -> int:
    lines = enumerate(text.splitlines(), start=1)
    return next((i for i, line in lines if i > after and needle in line), after or 1)


def reading_problems(content) -> list[str]:
    """``file:line: reason`` for every lesson too long for a phone, under-declared, or a course total that
    is not the sum of its lessons."""
    found = []
    for course in content.courses:
        reading = course_reading(course)
        rel = str(course.path.relative_to(content.root))
        yaml_text = course.path.read_text(encoding="utf-8")
        for file, count, estimate, declared in reading.lessons:
            folder = course.path.parent.relative_to(content.root)
            if estimate > LESSON_MINUTES_LIMIT:
                found.append(f"{folder / file}:1: bài học {count} tiếng, đọc trên điện thoại khoảng {estimate} "
                             f"phút, quá {LESSON_MINUTES_LIMIT} phút ({LESSON_MINUTES_LIMIT * SYLLABLES_PER_MINUTE}"
                             f" tiếng): tách thành hai bài hoặc viết gọn lại")
            if declared < estimate:
                line = _line(yaml_text, "minutes:", _line(yaml_text, "file: " + file))
                found.append(f"{rel}:{line}: bài {file} khai báo minutes: "
                             f"{declared} nhưng đọc mất khoảng {estimate} phút ({count} tiếng): sửa minutes")
        if reading.declared != reading.total:
            found.append(f"{rel}:{_line(yaml_text, 'estimated_minutes:')}: estimated_minutes là "
                         f"{reading.declared} nhưng tổng thời gian các bài là {reading.total} phút: sửa cho bằng nhau")
    return found
