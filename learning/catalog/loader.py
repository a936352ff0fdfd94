"""Load validated content into the database: a new course version only when content changed."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from learning.assessment.models import Question as QuestionRow
from learning.catalog.citations import INLINE_PATTERN, citation_label
from learning.catalog.content import ContentSet, CourseSource, Problem, read_content, walk_sections
from learning.catalog.content_schema import RegulationFile, Scenario, SectionNode
from learning.catalog.markdown import make_renderer
from learning.catalog.models import (
    Course,
    CourseVersion,
    Lesson,
    RegulationSection,
    RegulationSource,
)
from learning.catalog.settings import CourseSettings
from learning.extensions import db


class ContentError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


@dataclass
class LoadReport:
    regulations_updated: list[str] = field(default_factory=list)
    new_versions: list[tuple[str, int]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def load_content(root: Path) -> LoadReport:
    """Validate everything, then load it; nothing is written when any problem is found."""
    content = read_content(root)
    if content.problems:
        raise ContentError(content.problems)
    report = LoadReport()
    names = _load_regulations(content, report)
    render = make_renderer(lambda key: citation_label(key, names))
    loaded = set()
    for position, course in enumerate(content.courses):
        loaded.add(course.data.code)
        _load_course(course, position, render, report)
    for course in db.session.scalars(select(Course).where(Course.code.not_in(loaded))):
        course.active = False
    db.session.flush()
    return report


def _load_regulations(content: ContentSet, report: LoadReport) -> dict[str, str]:
    existing = {s.id: s for s in db.session.scalars(select(RegulationSource))}
    names = {}
    for position, (rid, (reg, content_hash)) in enumerate(sorted(content.regulations.items())):
        names[rid] = reg.short_title
        source = existing.get(rid)
        if source is not None and source.content_hash == content_hash:
            continue
        if source is None:
            source = RegulationSource(id=rid)
            db.session.add(source)
        _fill_source(source, reg, content_hash, position)
        report.regulations_updated.append(rid)
    return names


def _fill_source(source: RegulationSource, reg: RegulationFile, content_hash: str, position: int) -> None:
    source.kind, source.number, source.title = reg.kind, reg.number, reg.title
    source.short_title, source.issuer = reg.short_title, reg.issuer
    source.issued, source.effective = reg.issued, reg.effective
    source.currency_note, source.content_hash, source.position = reg.currency_note, content_hash, position
    source.sections.clear()
    db.session.flush()
    order = 0

    def add(nodes: list[SectionNode], parent: str | None, depth: int) -> None:
        nonlocal order
        for node in nodes:
            order += 1
            source.sections.append(RegulationSection(
                anchor=node.anchor, parent_anchor=parent, depth=depth, position=order,
                heading=node.heading.strip(), text=node.text.strip(),
            ))
            add(node.children, node.anchor, depth + 1)

    add(reg.sections, None, 0)


def _load_course(course: CourseSource, position: int, render, report: LoadReport) -> None:
    data = course.data
    row = db.session.scalar(select(Course).where(Course.code == data.code))
    if row is None:
        row = Course(code=data.code)
        db.session.add(row)
        db.session.flush()
    row.position, row.active = position, True
    current = row.current_version
    if current is not None and current.content_hash == course.content_hash:
        report.unchanged.append(data.code)
        return
    number = (db.session.scalar(select(func.max(CourseVersion.version))
                                .where(CourseVersion.course_id == row.id)) or 0) + 1
    settings = CourseSettings(require_all_lessons=data.require_all_lessons, quiz=data.quiz,
                              certificate=data.certificate, audience=data.audience)
    version = CourseVersion(
        course=row, version=number, content_hash=course.content_hash, title=data.title,
        summary=data.summary, objectives=list(data.objectives),
        estimated_minutes=data.estimated_minutes, settings_json=settings.model_dump(),
    )
    db.session.add(version)
    for i, lesson in enumerate(course.lessons, start=1):
        version.lessons.append(Lesson(
            position=i, slug=lesson.slug, title=lesson.ref.title, minutes=lesson.ref.minutes,
            body_md=lesson.text, body_html=render(lesson.text),
            citations=sorted(set(INLINE_PATTERN.findall(lesson.text))),
        ))
    db.session.flush()
    if course.quiz is not None:
        _load_questions(course, version)
    row.current_version = version
    report.new_versions.append((data.code, number))


def _load_questions(course: CourseSource, version: CourseVersion) -> None:
    position = 0
    for item in course.quiz.questions:
        subs = item.questions if isinstance(item, Scenario) else [item]
        for question in subs:
            position += 1
            db.session.add(QuestionRow(
                course_version_id=version.id, key=question.id,
                group_key=item.id, position=position, kind=question.kind,
                scenario=item.scenario.strip() if isinstance(item, Scenario) else None,
                lesson_slug=(question.lesson or item.lesson).removesuffix(".md"),
                difficulty=question.difficulty or item.difficulty,
                tags=list(question.tags or item.tags), stem=question.stem.strip(),
                options=[{"id": string.ascii_lowercase[k], "text": o.text.strip(),
                          "correct": o.correct, "feedback": o.feedback.strip()}
                         for k, o in enumerate(question.options)],
                explanation=question.explanation.strip(), cite=list(question.cite),
            ))


def section_keys() -> set[str]:
    """Every citation key the loaded library can resolve."""
    rows = db.session.execute(select(RegulationSection.source_id, RegulationSection.anchor))
    return {f"{source}#{anchor}" for source, anchor in rows}


__all__ = ["ContentError", "LoadReport", "load_content", "section_keys", "walk_sections"]
