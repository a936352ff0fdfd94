"""Item statistics from submitted attempts: difficulty (share correct) and discrimination."""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt

from sqlalchemy import select

from learning.assessment.models import Attempt
from learning.catalog.models import Course
from learning.extensions import db

EASY, HARD, LOW_DISCRIMINATION, MIN_ANSWERS = 0.95, 0.20, 0.10, 10


@dataclass(frozen=True)
class ItemStats:
    key: str
    answered: int
    difficulty: float  # share correct
    discrimination: float | None  # point-biserial of the item against the rest of the test

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.answered >= MIN_ANSWERS:
            if self.difficulty >= EASY:
                flags.append("quá dễ")
            if self.difficulty <= HARD:
                flags.append("quá khó")
            if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
                flags.append("phân biệt kém")
        return flags


def _point_biserial(item: list[int], rest: list[float]) -> float | None:
    n = len(item)
    mean_rest = sum(rest) / n
    sd = sqrt(sum((x - mean_rest) ** 2 for x in rest) / n)
    p = sum(item) / n
    if sd == 0 or p in (0, 1):
        return None
    mean_right = sum(r for i, r in zip(item, rest, strict=True) if i) / sum(item)
    return (mean_right - mean_rest) / sd * sqrt(p / (1 - p))


def item_stats(course: Course) -> list[ItemStats]:
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.course_id == course.id,
                                                             Attempt.submitted_at.is_not(None))))
    per_item: dict[str, list[tuple[int, float]]] = {}
    for attempt in attempts:
        total = sum(attempt.results.values())
        for key, correct in attempt.results.items():
            per_item.setdefault(key, []).append((int(correct), total - int(correct)))
    stats = []
    for key, rows in sorted(per_item.items()):
        item = [r[0] for r in rows]
        stats.append(ItemStats(key, len(rows), sum(item) / len(rows), _point_biserial(item, [r[1] for r in rows])))
    return stats
