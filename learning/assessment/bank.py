"""A course version's question bank, read once per process (``learning.catalog.content_cache``).

Drawing, showing, checking and scoring a quiz work on these frozen copies, not on ORM rows: an answer
POST validates against the cached bank without reading the questions again. ``options`` holds the
file's dicts (``{"id", "text", "correct", "feedback"}``), shared by every request: never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from learning.assessment.models import Question
from learning.catalog.content_cache import cached
from learning.extensions import db


@dataclass(frozen=True)
class BankQuestion:
    id: int
    course_version_id: int
    key: str
    group_key: str
    position: int
    kind: str
    scenario: str | None
    lesson_slug: str
    difficulty: int
    tags: tuple[str, ...]
    stem: str
    options: tuple[dict[str, Any], ...]
    explanation: str
    cite: tuple[str, ...]

    @property
    def correct_ids(self) -> set[str]:
        return {o["id"] for o in self.options if o["correct"]}


def _frozen(row: Question) -> BankQuestion:
    return BankQuestion(row.id, row.course_version_id, row.key, row.group_key, row.position, row.kind,
                        row.scenario, row.lesson_slug, row.difficulty, tuple(row.tags or ()), row.stem,
                        tuple(dict(option) for option in row.options), row.explanation, tuple(row.cite or ()))


def bank(version_id: int, content_hash: str) -> dict[int, BankQuestion]:
    """Question id → question, in the bank's order."""
    def load() -> dict[int, BankQuestion]:
        rows = db.session.scalars(select(Question).where(Question.course_version_id == version_id)
                                  .order_by(Question.position))
        return {row.id: _frozen(row) for row in rows}

    return cached("bank", version_id, content_hash, load)
