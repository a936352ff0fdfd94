"""The one label set of a person's status for an assignment, and the tally of a group of such statuses."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    OVERDUE = "overdue"
    EXPIRED = "expired"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return str(LABELS[self])

    @property
    def tag(self) -> str:
        """The CSS tag class pages show the status with."""
        return {"passed": "tag-ok", "overdue": "tag-bad", "expired": "tag-warn"}.get(self.value, "")


LABELS = {
    Status.NOT_STARTED: lazy_gettext("Chưa học"),
    Status.IN_PROGRESS: lazy_gettext("Đang học"),
    Status.PASSED: lazy_gettext("Đã đạt"),
    Status.OVERDUE: lazy_gettext("Quá hạn"),
    Status.EXPIRED: lazy_gettext("Hết hạn chứng nhận"),
    Status.EXEMPT: lazy_gettext("Được miễn"),
}
STATUS_ORDER = [Status.OVERDUE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.EXPIRED, Status.PASSED,
                Status.EXEMPT]


@dataclass
class Tally:
    """Counts of enrolments (person × assignment, "lượt"). Exempt enrolments are counted in ``exempt`` and
    left out of ``total``, the denominator of every rate."""

    total: int = 0
    passed: int = 0
    on_time: int = 0
    overdue: int = 0
    not_started: int = 0
    in_progress: int = 0
    expired: int = 0
    exempt: int = 0
    score_sum: float = 0.0
    scored: int = 0

    def add(self, status: str, count: int, on_time: int, score_sum: float | None, scored: int) -> None:
        if status == Status.EXEMPT.value:
            self.exempt += count
            return
        self.total += count
        setattr(self, status, getattr(self, status) + count)
        self.on_time += on_time
        self.score_sum += score_sum or 0.0
        self.scored += scored

    def merge(self, other: Tally) -> None:
        for name in ("total", "passed", "on_time", "overdue", "not_started", "in_progress", "expired", "exempt",
                     "score_sum", "scored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def completion_rate(self) -> float | None:
        return self.passed / self.total if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.total if self.total else None

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.total if self.total else None

    @property
    def average_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None
