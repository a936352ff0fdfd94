"""Imported items → entries of a course's question bank file (quizzes/<code>.yaml), and back.

The bank file stays the exchange format: an import appends to it, after the whole tree with the new
questions passed the checks of ``flask content check`` (``read_content``); it is written to a temporary
file and renamed, so a failed import leaves the file as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from learning.catalog.content import CourseSource, read_content
from learning.catalog.content_schema import Scenario
from learning.catalog.interchange import Choice, Item

_NUMBERED = re.compile(r"^(?P<prefix>[a-z0-9-]*?)(?P<number>\d+)[a-z]?$")


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)  # FILE:LINE: reason
    counts: Counter = field(default_factory=Counter)
    ids: list[str] = field(default_factory=list)
    written: bool = False


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: ARG002
        return super().increase_indent(flow, False)


def _text_style(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Long texts folded (``>-``) and paragraphs kept (``|-``), like the hand-written banks."""
    style = "|" if "\n" in value else (">" if len(value) > 80 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text_style)


def _id_style(ids: list[str], code: str) -> tuple[str, int, int]:
    """(prefix, digits, next number) of a bank's ids: ``uxm-01``… gives ``("uxm-", 2, max + 1)``."""
    matches = [m for m in map(_NUMBERED.match, ids) if m]
    if not matches:
        return "".join(part[0] for part in code.split("-")) + "-", 2, 1
    prefix = Counter(m["prefix"] for m in matches).most_common(1)[0][0]
    numbers = [m for m in matches if m["prefix"] == prefix]
    return prefix, len(numbers[0]["number"]), max(int(m["number"]) for m in numbers) + 1


def _entry(item: Item, course: CourseSource, qid: str, default_lesson: str) -> dict:
    lessons = {ref.file.removesuffix(".md"): ref.file for ref in course.data.lessons}
    lesson, tags = default_lesson, []
    for segment in item.category:
        key = slug(segment)
        if key in lessons:
            lesson = lessons[key]
        elif key and key != course.data.code:
            tags.append(key)
    tags = list(dict.fromkeys(tags + [slug(t) for t in item.tags if slug(t)]))
    entry = {"id": qid, "kind": item.kind, "lesson": lesson, "difficulty": 1, "tags": tags, "stem": item.stem,
             "options": [{"text": o.text, "correct": o.correct, "feedback": o.feedback} for o in item.options],
             "explanation": item.explanation, "cite": item.cite}
    return entry


def _gaps(item: Item) -> list[str]:
    """What Moodle files may lack but a bank entry needs, said the way an importer can fix it."""
    gaps = []
    if not item.cite:
        gaps.append("thiếu trích dẫn: ghi [[<nguồn>#<điều khoản>]] trong phản hồi chung")
    if not item.explanation:
        gaps.append("thiếu giải thích: ghi trong phản hồi chung (general feedback)")
    gaps += [f"phương án “{o.text[:40]}” thiếu phản hồi" for o in item.options if not o.feedback]
    return gaps


def import_items(root: Path, code: str, source: str, items: list[Item], *, dry_run: bool,
                 lesson: str | None = None) -> Outcome:
    outcome = Outcome()
    content = read_content(root)
    course = next((c for c in content.courses if c.data.code == code), None)
    if course is None:
        outcome.problems.append(f"{source}:1: không có khóa học “{code}” (hoặc khóa học đang có lỗi nội dung)")
        return outcome
    quiz_path = root / "quizzes" / f"{code}.yaml"
    if course.quiz is None or not quiz_path.is_file():
        outcome.problems.append(f"{source}:1: ngân hàng quizzes/{code}.yaml chưa hợp lệ; chạy “flask content check”")
        return outcome
    lesson_files = [ref.file for ref in course.data.lessons]
    if lesson is not None and lesson not in lesson_files:
        outcome.problems.append(f"{source}:1: bài học “{lesson}” không có trong khóa học {code}")
        return outcome
    default_lesson = lesson or lesson_files[0]
    own = [q.id for item in (course.quiz.questions if course.quiz else [])
           for q in ([item, *item.questions] if isinstance(item, Scenario) else [item])]
    taken = {q.id for c in content.courses if c.quiz for item in c.quiz.questions
             for q in ([item, *item.questions] if isinstance(item, Scenario) else [item])}
    prefix, digits, number = _id_style(own, code)
    text = quiz_path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    starts: list[tuple[int, Item]] = []
    parts, line = [text], text.count("\n") + 1
    for item in items:
        outcome.counts[item.kind] += 1
        outcome.problems += [f"{source}:{item.line}: {gap}" for gap in _gaps(item)]
        while f"{prefix}{number:0{digits}d}" in taken:
            number += 1
        qid = f"{prefix}{number:0{digits}d}"
        taken.add(qid)
        outcome.ids.append(qid)
        block = yaml.dump([_entry(item, course, qid, default_lesson)], Dumper=_Dumper, allow_unicode=True,
                          sort_keys=False, width=100)
        starts.append((line, item))
        lines = block.splitlines()
        parts.append("".join(f"  {row}\n" if row else "\n" for row in lines))
        line += len(lines)
    text = "".join(parts)
    if outcome.problems or not items:
        return outcome
    outcome.problems += _validate(root, code, text, starts, source)
    if outcome.problems or dry_run:
        return outcome
    handle, temp = tempfile.mkstemp(dir=quiz_path.parent, prefix=f".{code}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temp, quiz_path)
    outcome.written = True
    return outcome


def _validate(root: Path, code: str, text: str, starts: list[tuple[int, Item]], source: str) -> list[str]:
    """The checks of ``flask content check`` on the tree with the new bank; problems in the new part are
    reported at the line of the imported file."""
    with tempfile.TemporaryDirectory() as folder:
        shadow = Path(folder)
        (shadow / "courses").symlink_to((root / "courses").resolve(), target_is_directory=True)
        (shadow / "quizzes").mkdir()
        for other in (root / "quizzes").glob("*.yaml"):
            if other.stem != code:
                (shadow / "quizzes" / other.name).symlink_to(other.resolve())
        (shadow / "quizzes" / f"{code}.yaml").write_text(text, encoding="utf-8")
        problems = read_content(shadow).problems
    out = []
    rel = f"quizzes/{code}.yaml"
    for problem in problems:
        owner = next((item for start, item in reversed(starts) if problem.path == rel and problem.line >= start),
                     None)
        out.append(f"{source}:{owner.line}: {problem.reason}" if owner else str(problem))
    return out


def export_items(course: CourseSource) -> list[Item]:
    """The bank as items; a scenario's questions become questions whose stem starts with the situation."""
    items = []
    for entry in course.quiz.questions if course.quiz else []:
        if isinstance(entry, Scenario):
            subs = [(q, f"{entry.scenario.strip()}\n\n{q.stem}", q.lesson or entry.lesson,
                     q.tags or entry.tags) for q in entry.questions]
        else:
            subs = [(entry, entry.stem, entry.lesson, entry.tags)]
        for question, stem, lesson, tags in subs:
            items.append(Item(0, question.kind, question.id, stem.strip(),
                              [Choice(o.text, o.correct, o.feedback) for o in question.options],
                              question.explanation.strip(), list(question.cite),
                              [course.data.code, lesson.removesuffix(".md"), *tags], []))
    return items


def category_of(item: Item) -> str:
    return "$course$/top/" + "/".join(item.category)
