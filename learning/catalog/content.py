"""Read and validate the content tree: regulations, courses with lessons, question banks.

Every problem is reported as ``file:line: reason`` so an author can go straight to it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from learning.assessment.kinds import GROUPING, KINDS
from learning.catalog.citations import INLINE_PATTERN, split_key
from learning.catalog.content_schema import (
    CourseFile,
    Question,
    QuizFile,
    RegulationFile,
    Scenario,
    SectionNode,
    quiz_file_model,
)

# Extraction damage that must never reach the library or a lesson (../shared/sources/README.md).
DEFECTS = {
    "ƣ": "“ƣ” là lỗi trích xuất của “ư”",
    "Công thông tin": "“Công thông tin” là lỗi trích xuất của “Cổng thông tin”",
    "Not nhận": "“Not nhận” là lỗi trích xuất của “Nơi nhận”",
    "VIỆC LẦN LÀM": "dòng tiêu đề bìa tờ rơi bị xáo trộn, không phải nội dung",
}
REQUIRED_LESSON_HEADINGS = ("## Mục tiêu bài học", "## Tóm tắt")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class LessonSource:
    ref: Any  # LessonRef
    slug: str
    path: Path
    text: str


@dataclass
class CourseSource:
    data: CourseFile
    path: Path
    lessons: list[LessonSource]
    quiz: QuizFile | None
    quiz_path: Path | None
    content_hash: str


@dataclass
class ContentSet:
    root: Path
    regulations: dict[str, tuple[RegulationFile, str]] = field(default_factory=dict)  # id → (data, hash)
    courses: list[CourseSource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def anchors(self) -> set[str]:
        return {f"{rid}#{node.anchor}" for rid, (reg, _) in self.regulations.items()
                for node in walk_sections(reg.sections)}


def walk_sections(nodes: list[SectionNode]) -> Iterator[SectionNode]:
    for node in nodes:
        yield node
        yield from walk_sections(node.children)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a 10,000-question bank in seconds


class _Located:
    """A YAML file parsed twice: values, and the line of every key/item path."""

    def __init__(self, path: Path, root: Path, text: str) -> None:
        self.path = path
        self.rel = str(path.relative_to(root))
        self.lines: dict[tuple, int] = {}
        node = yaml.compose(text, Loader=_Loader)
        if node is not None:
            self._index(node, ())
        self.data = yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506 - a safe loader (libyaml)

    def _index(self, node: yaml.Node, path: tuple) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = path + (key.value,)
                self.lines[sub] = key.start_mark.line + 1
                self._index(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, path + (i,))

    def line(self, path: tuple) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: tuple, reason: str) -> Problem:
        return Problem(self.rel, self.line(path), reason)


def _text_problems(path: Path, root: Path, text: str, *, library: bool) -> list[Problem]:
    rel = str(path.relative_to(root))
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not unicodedata.is_normalized("NFC", line):
            problems.append(Problem(rel, number, "văn bản chưa chuẩn hóa Unicode NFC"))
        for defect, reason in DEFECTS.items():
            if defect in line:
                problems.append(Problem(rel, number, reason))
        if library and "**" in line:
            problems.append(Problem(rel, number, "dấu ** còn sót từ bản trích xuất"))
    return problems


def _parse(path: Path, root: Path, model: type[BaseModel], problems: list[Problem],
           library: bool = False) -> tuple[_Located | None, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(str(path.relative_to(root)), 1, "tệp không phải UTF-8"))
        return None, None
    problems.extend(_text_problems(path, root, text, library=library))
    try:
        located = _Located(path, root, text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(str(path.relative_to(root)), (mark.line + 1) if mark else 1,
                                f"YAML không hợp lệ: {getattr(error, 'problem', error)}"))
        return None, None
    try:
        return located, model.model_validate(located.data)
    except ValidationError as error:
        tags = {*KINDS, GROUPING, "Question", "Scenario"}  # union members pydantic names in a location
        for item in error.errors():
            loc = tuple(part for part in item["loc"] if not isinstance(part, str) or part not in tags)
            field_name = ".".join(str(p) for p in item["loc"])
            problems.append(located.problem(loc, f"{field_name}: {item['msg']}"))
        return located, None


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def read_content(root: Path) -> ContentSet:
    """Parse and validate everything under ``root`` (the folder holding courses/ and quizzes/)."""
    content = ContentSet(root)
    problems = content.problems
    for path in sorted((root / "courses" / "regulations").glob("*.yaml")):
        located, reg = _parse(path, root, RegulationFile, problems, library=True)
        if reg is None:
            continue
        if reg.id != path.stem:
            problems.append(located.problem(("id",), f"id “{reg.id}” phải trùng tên tệp “{path.stem}”"))
        _check_anchors(located, reg, problems)
        content.regulations[reg.id] = (reg, _hash(path.read_bytes()))
    anchors = content.anchors()
    question_ids: dict[str, str] = {}
    for course_yaml in sorted((root / "courses").glob("*/course.yaml")):
        course = _read_course(course_yaml, root, anchors, question_ids, problems)
        if course is not None:
            content.courses.append(course)
    known = {c.data.code for c in content.courses}
    for quiz_path in sorted((root / "quizzes").glob("*.yaml")):
        if quiz_path.stem not in known and (root / "courses" / quiz_path.stem).is_dir() is False:
            problems.append(Problem(str(quiz_path.relative_to(root)), 1,
                                    f"không có khóa học “{quiz_path.stem}” cho ngân hàng câu hỏi này"))
    problems.sort()
    return content


def _check_anchors(located: _Located, reg: RegulationFile, problems: list[Problem]) -> None:
    seen: set[str] = set()

    def visit(nodes: list[SectionNode], path: tuple) -> None:
        for i, node in enumerate(nodes):
            here = path + (i,)
            if node.anchor in seen:
                problems.append(located.problem(here + ("anchor",), f"anchor “{node.anchor}” bị trùng"))
            seen.add(node.anchor)
            if not node.heading and not node.text and not node.children:
                problems.append(located.problem(here, f"mục “{node.anchor}” không có nội dung"))
            visit(node.children, here + ("children",))

    visit(reg.sections, ("sections",))


def _read_course(course_yaml: Path, root: Path, anchors: set[str], question_ids: dict[str, str],
                 problems: list[Problem]) -> CourseSource | None:
    located, course = _parse(course_yaml, root, CourseFile, problems)
    if course is None:
        return None
    folder = course_yaml.parent
    if course.code != folder.name:
        problems.append(located.problem(("code",), f"code “{course.code}” phải trùng tên thư mục “{folder.name}”"))
    lessons = []
    for i, ref in enumerate(course.lessons):
        path = folder / ref.file
        if not path.is_file():
            problems.append(located.problem(("lessons", i, "file"), f"không tìm thấy tệp bài học {ref.file}"))
            continue
        text = path.read_text(encoding="utf-8")
        problems.extend(_text_problems(path, root, text, library=False))
        problems.extend(_lesson_problems(path, root, text, anchors))
        lessons.append(LessonSource(ref, ref.file.removesuffix(".md"), path, text))
    quiz_path = root / "quizzes" / f"{course.code}.yaml"
    quiz = None
    if quiz_path.is_file():
        quiz_located, quiz = _parse(quiz_path, root, quiz_file_model(), problems)
        if quiz is not None:
            _check_quiz(quiz_located, quiz, course, anchors, question_ids, problems)
    else:
        problems.append(located.problem(("quiz",), f"thiếu ngân hàng câu hỏi quizzes/{course.code}.yaml"))
    parts = [course_yaml.read_bytes()] + [lesson.path.read_bytes() for lesson in lessons]
    if quiz_path.is_file():
        parts.append(quiz_path.read_bytes())
    return CourseSource(course, course_yaml, lessons, quiz, quiz_path if quiz else None, _hash(*parts))


def _lesson_problems(path: Path, root: Path, text: str, anchors: set[str]) -> list[Problem]:
    rel = str(path.relative_to(root))
    problems = []
    for heading in REQUIRED_LESSON_HEADINGS:
        if not re.search(rf"^{re.escape(heading)}\s*$", text, re.MULTILINE):
            problems.append(Problem(rel, 1, f"bài học thiếu mục “{heading}”"))
    if re.search(r"^# ", text, re.MULTILINE):
        line = next(i for i, text_line in enumerate(text.splitlines(), 1) if text_line.startswith("# "))
        problems.append(Problem(rel, line, "không dùng tiêu đề cấp 1 (#) trong bài học; trang đã có tiêu đề"))
    for number, line in enumerate(text.splitlines(), start=1):
        for key in INLINE_PATTERN.findall(line):
            problems.extend(_citation_problem(rel, number, key, anchors))
    return problems


def _citation_problem(rel: str, line: int, key: str, anchors: set[str]) -> list[Problem]:
    if split_key(key) is None:
        return [Problem(rel, line, f"trích dẫn “{key}” sai dạng <nguồn>#<điều khoản>")]
    if key not in anchors:
        return [Problem(rel, line, f"trích dẫn “{key}” không có trong thư viện văn bản")]
    return []


def _check_quiz(located: _Located, quiz: QuizFile, course: CourseFile, anchors: set[str],
                question_ids: dict[str, str], problems: list[Problem]) -> None:
    if quiz.course != course.code:
        problems.append(located.problem(("course",), f"course “{quiz.course}” phải là “{course.code}”"))
    lesson_files = {ref.file for ref in course.lessons}
    count = 0
    for i, item in enumerate(quiz.questions):
        path = ("questions", i)
        if item.lesson not in lesson_files:
            problems.append(located.problem(path + ("lesson",), f"bài học “{item.lesson}” không có trong khóa học"))
        subs = item.questions if isinstance(item, Scenario) else [item]
        if isinstance(item, Scenario):
            _unique_id(located, item.id, path + ("id",), question_ids, problems)
        for j, question in enumerate(subs):
            qpath = path + ("questions", j) if isinstance(item, Scenario) else path
            count += 1
            _unique_id(located, question.id, qpath + ("id",), question_ids, problems)
            if question.lesson and question.lesson not in lesson_files and not isinstance(question, Question):
                problems.append(located.problem(qpath + ("lesson",),
                                                f"bài học “{question.lesson}” không có trong khóa học"))
            if ANSWER_HINT.search(question.stem):
                problems.append(located.problem(qpath + ("stem",), f"câu {question.id}: bỏ “(Chọn …)” khỏi đề bài; "
                                                                  "trang bài làm đã ghi cách trả lời"))
            for reason in KINDS[question.kind].option_problems([(o.text, o.correct) for o in question.options]):
                problems.append(located.problem(qpath + ("options",), f"câu {question.id}: {reason}"))
            for k, key in enumerate(question.cite):
                for problem in _citation_problem(located.rel, located.line(qpath + ("cite", k)), key, anchors):
                    problems.append(problem)
    if count < course.quiz.questions:
        problems.append(located.problem(("questions",), f"ngân hàng chỉ có {count} câu, ít hơn số câu "
                                                        f"mỗi lần kiểm tra ({course.quiz.questions})"))


# "(Chọn tất cả đáp án đúng.)" at the end of a stem: the quiz page prints how to answer after every stem.
ANSWER_HINT = re.compile(r"\(\s*chọn\s+(tất\s+cả|một|nhiều)\b[^)]*\)\s*$", re.IGNORECASE)


def _unique_id(located: _Located, qid: str, path: tuple, seen: dict[str, str], problems: list[Problem]) -> None:
    if qid in seen:
        problems.append(located.problem(path, f"id câu hỏi “{qid}” đã dùng ở {seen[qid]}"))
    else:
        seen[qid] = f"{located.rel}:{located.line(path)}"
