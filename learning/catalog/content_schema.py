"""The shape of the content files (courses/README.md), as pydantic models.

A question's ``kind`` is one of the kinds registered in ``learning/assessment/kinds.py``; the quiz
file model that checks it is built from the registry (``quiz_file_model``), so a new kind needs no
change here.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from learning.assessment.kinds import KINDS
from learning.catalog.settings import Audience, CertificateSettings, QuizSettings

Text = Annotated[str, Field(min_length=1)]
Anchor = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SectionNode(Strict):
    anchor: Anchor
    heading: str = ""
    text: str = ""
    children: list[SectionNode] = Field(default_factory=list)


class RegulationFile(Strict):
    id: Anchor
    kind: Text
    number: str = ""
    title: Text
    short_title: Text
    issuer: Text
    issued: date | None = None
    effective: date | None = None
    source_file: Text
    currency_note: str = ""
    sections: list[SectionNode] = Field(min_length=1)


class LessonRef(Strict):
    file: Annotated[str, Field(pattern=r"^\d\d-[a-z0-9-]+\.md$")]
    title: Text
    minutes: int = Field(ge=1, le=60)


class CourseFile(Strict):
    code: Anchor
    title: Text
    summary: Text
    audience: Audience = Field(default_factory=Audience)
    estimated_minutes: int = Field(ge=1)
    objectives: list[Text] = Field(min_length=1)
    require_all_lessons: bool = True
    quiz: QuizSettings = Field(default_factory=QuizSettings)
    certificate: CertificateSettings = Field(default_factory=CertificateSettings)
    lessons: list[LessonRef] = Field(min_length=1)


class Option(Strict):
    text: Text
    correct: bool
    feedback: Text


class SubQuestion(Strict):
    id: Anchor
    kind: str  # a registered question kind; enforced by the models quiz_file_model() builds
    stem: Text
    options: list[Option] = Field(min_length=2)
    explanation: Text
    cite: list[Text] = Field(min_length=1)
    lesson: str | None = None
    difficulty: int | None = Field(None, ge=1, le=3)
    tags: list[str] = Field(default_factory=list)


class Question(SubQuestion):
    lesson: Text
    difficulty: int = Field(1, ge=1, le=3)


class Scenario(Strict):
    id: Anchor
    kind: Literal["scenario"]
    lesson: Text
    difficulty: int = Field(2, ge=1, le=3)
    tags: list[str] = Field(default_factory=list)
    scenario: Text
    questions: list[SubQuestion] = Field(min_length=1)


class QuizFile(Strict):
    """A question bank. Validate with ``quiz_file_model()``, which knows the registered kinds."""

    course: Anchor
    questions: list[Question | Scenario] = Field(min_length=1)


def quiz_file_model() -> type[QuizFile]:
    """``QuizFile`` whose questions accept exactly the question kinds registered now."""
    return _quiz_file_model(tuple(KINDS))


@cache
def _quiz_file_model(kinds: tuple[str, ...]) -> type[QuizFile]:
    kind = (Literal[kinds], ...)
    sub = create_model("SubQuestion", __base__=SubQuestion, kind=kind)
    question = create_model("Question", __base__=Question, kind=kind)
    scenario = create_model("Scenario", __base__=Scenario, questions=(list[sub], Field(min_length=1)))
    item = Annotated[question | scenario, Field(discriminator="kind")]
    return create_model("QuizFile", __base__=QuizFile, questions=(list[item], Field(min_length=1)))
