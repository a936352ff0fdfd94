"""The PAR rubric as data: criteria, maximum points, indicator and scoring rule; validated on load."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Literal

import yaml
from flask_babel import gettext
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

# What each value is. A rate counts enrolments ("lượt": one person, one mandatory course), not people.
INDICATORS = {
    "on_time_rate": "Tỷ lệ lượt học hoàn thành đúng hạn (trên số lượt phải học)",
    "completion_rate": "Tỷ lệ lượt học đã đạt đến nay (trên số lượt phải học)",
    "certified_rate": "Tỷ lệ lượt học có chứng nhận còn hiệu lực (trên số lượt phải học)",
    "average_score": "Điểm kiểm tra trung bình của các lượt học (thang 100)",
    "overdue_rate": "Tỷ lệ lượt học quá hạn (trên số lượt phải học)",
    "training_hours": "Số giờ học bình quân mỗi người",
}
RATE_INDICATORS = {"on_time_rate", "completion_rate", "certified_rate", "overdue_rate"}
SHIPPED = Path(__file__).parent / "rubrics"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TierMin(Strict):
    min: float
    points: float = Field(ge=0)


class TierMax(Strict):
    max: float
    points: float = Field(ge=0)


class Tiers(Strict):
    """Highest tier whose ``min`` the value reaches (≥)."""

    type: Literal["tiers"]
    tiers: list[TierMin] = Field(min_length=1)

    def points(self, value: float) -> float:
        for tier in sorted(self.tiers, key=lambda t: t.min, reverse=True):
            if value >= tier.min - 1e-9:
                return tier.points
        return 0.0


class TiersMax(Strict):
    """First tier whose ``max`` the value does not exceed (≤): for "lower is better" indicators."""

    type: Literal["tiers_max"]
    tiers: list[TierMax] = Field(min_length=1)

    def points(self, value: float) -> float:
        for tier in sorted(self.tiers, key=lambda t: t.max):
            if value <= tier.max + 1e-9:
                return tier.points
        return 0.0


class Proportional(Strict):
    """Maximum points × the rate (0–1)."""

    type: Literal["proportional"]

    def points(self, value: float, max_points: float = 0.0) -> float:
        return max_points * max(0.0, min(1.0, value))


Rule = Annotated[Tiers | TiersMax | Proportional, Field(discriminator="type")]


class Criterion(Strict):
    code: str = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1)
    max_points: float = Field(gt=0, le=100)
    indicator: Literal[tuple(INDICATORS)]  # type: ignore[valid-type]
    rule: Rule

    @model_validator(mode="after")
    def _tiers_within_max(self) -> Criterion:
        tiers = getattr(self.rule, "tiers", [])
        if any(t.points > self.max_points for t in tiers):
            raise ValueError(gettext("tiêu chí %(code)s: điểm một mức vượt điểm tối đa %(max)s",
                                     code=self.code, max=self.max_points))
        if isinstance(self.rule, Proportional) and self.indicator not in RATE_INDICATORS:
            raise ValueError(gettext("tiêu chí %(code)s: quy tắc tỷ lệ chỉ dùng cho chỉ số dạng tỷ lệ", code=self.code))
        if self.indicator in RATE_INDICATORS and any(not 0 <= t <= 1 for t in self.thresholds):
            raise ValueError(gettext("tiêu chí %(code)s: ngưỡng của chỉ số tỷ lệ ghi từ 0 đến 1 (90%% ghi là 0.9)",
                                     code=self.code))
        return self

    @property
    def thresholds(self) -> list[float]:
        return [getattr(t, "min", getattr(t, "max", 0.0)) for t in getattr(self.rule, "tiers", [])]

    def score(self, value: float | None) -> float:
        if value is None:
            return 0.0
        if isinstance(self.rule, Proportional):
            points = self.rule.points(value, self.max_points)
        else:
            points = self.rule.points(value)
        return float(Decimal(str(points)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class Rubric(Strict):
    code: str = Field(min_length=1, max_length=40)
    version: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1)
    example: bool = False
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> Rubric:
        codes = [c.code for c in self.criteria]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(gettext("mã tiêu chí bị trùng: %(codes)s", codes=", ".join(duplicates)))
        return self

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.criteria)


class RubricError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _TooDeep(yaml.MarkedYAMLError):
    pass


MAX_DEPTH = 20  # a rubric is four levels deep; thousands of nested "[" would exhaust the stack


class _NoAliasLoader(yaml.SafeLoader):
    """A rubric needs no anchors/aliases; refusing them rules out "billion laughs" documents.
    Nesting is bounded too, so a deeply nested document is a clear error, not a RecursionError."""

    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(None, None, "alias", self.peek_event().start_mark)
        if self.depth >= MAX_DEPTH:
            raise _TooDeep(None, None, "depth", self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def parse(text: str) -> Rubric:
    """Parse and validate a rubric; errors name the field in Vietnamese-readable form."""
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass  # noqa: S506  # nosec B506
    except _AliasRefused as error:
        raise RubricError([gettext("dòng %(line)s: không dùng tham chiếu YAML (*…/&…); hãy viết đầy đủ từng tiêu chí",
                                   line=error.problem_mark.line + 1)]) from None
    except _TooDeep as error:
        raise RubricError([gettext("dòng %(line)s: lồng nhau quá %(n)s cấp; tiêu chí đánh giá không cần sâu như vậy",
                                   line=error.problem_mark.line + 1, n=MAX_DEPTH)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RubricError([gettext("dòng %(line)s: YAML không hợp lệ", line=mark.line + 1) if mark
                           else gettext("YAML không hợp lệ")]) from None
    try:
        return Rubric.model_validate(data)
    except ValidationError as error:
        whole_file = gettext("tệp")  # where a problem is about the document itself
        raise RubricError([f"{'.'.join(str(p) for p in e['loc']) or whole_file}: {e['msg']}"
                           for e in error.errors()]) from None


def shipped() -> list[tuple[str, str]]:
    """The example rubric files shipped with the code: (file name, text)."""
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted(SHIPPED.glob("*.yaml"))]
