"""The shape of Microsoft Presidio's analyzer, without its spaCy dependency.

A ``Recognizer`` has a ``supported_entity`` (our type name), regex ``patterns`` with a base score,
``context`` words that raise the score when they stand shortly before a match (Presidio's
LemmaContextAwareEnhancer, done on the raw text: Vietnamese needs no lemmatiser for this) and an optional
``validate`` that rejects a match (checksums, structure). ``analyze`` runs every recognizer and keeps, of
overlapping results, the one with the higher score (then the longer), like Presidio's
``EntityRecognizer.remove_duplicates`` + the anonymizer's conflict handling.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

THRESHOLD = 0.5
CONTEXT_BOOST = 0.35
CONTEXT_WINDOW = 48  # characters before a match, on the same line


@dataclass(frozen=True, slots=True)
class Result:
    """Presidio's RecognizerResult: a type, a span in code points of the NFC text, a score."""

    type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern
    score: float
    group: int | str = 0  # the group whose span is the finding (a value after its label)


@dataclass
class Recognizer:
    supported_entity: str
    patterns: list[Pattern]
    context: tuple[str, ...] = ()
    context_required: bool = False  # without a context word the match is dropped
    validate: Callable[[str], bool] | None = None
    reject_after: re.Pattern | None = None  # e.g. a currency after a number: not an identifier
    window: int = CONTEXT_WINDOW
    _context_re: re.Pattern | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.context:
            words = sorted(self.context, key=len, reverse=True)
            self._context_re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                                          re.IGNORECASE)

    def has_context(self, text: str, start: int) -> bool:
        if self._context_re is None:
            return False
        line_start = text.rfind("\n", 0, start) + 1
        window = text[max(line_start, start - self.window):start]
        if self._context_re.search(window) is not None:
            return True
        header = column_header(text, start, line_start)
        return bool(header) and self._context_re.search(header) is not None

    def analyze(self, text: str) -> Iterable[Result]:
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                start, end = match.span(pattern.group)
                if start == end:
                    continue
                value = text[start:end]
                if self.validate is not None and not self.validate(value):
                    continue
                if self.reject_after is not None and self.reject_after.match(text, end):
                    continue
                score = pattern.score
                if self.has_context(text, start):
                    score = min(1.0, score + CONTEXT_BOOST)
                elif self.context_required:
                    continue
                if score >= THRESHOLD:
                    yield Result(self.supported_entity, start, end, score)


def column_header(text: str, start: int, line_start: int, lookback: int = 200) -> str:
    """In a tab-separated table (an Excel list pasted as text), the header of the cell at ``start``: the same
    column of the nearest line above with tabs whose cell there has no digit. "" outside a table."""
    line_end = text.find("\n", start)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if "\t" not in line:
        return ""
    column = text.count("\t", line_start, start)
    end = line_start - 1
    for _ in range(lookback):
        if end <= 0:
            return ""
        begin = text.rfind("\n", 0, end) + 1
        cells = text[begin:end].split("\t")
        if len(cells) > column and cells[column].strip() and not any(c.isdigit() for c in cells[column]):
            return cells[column]
        end = begin - 1
    return ""


class FunctionRecognizer:
    """A recognizer written as a function over the text (names, addresses: a small scanner, not a regex)."""

    def __init__(self, supported_entity: str, scan: Callable[[str], Iterable[tuple[int, int, float]]]):
        self.supported_entity = supported_entity
        self.scan = scan

    def analyze(self, text: str) -> Iterable[Result]:
        for start, end, score in self.scan(text):
            if score >= THRESHOLD and end > start:
                yield Result(self.supported_entity, start, end, score)


def resolve(results: Iterable[Result]) -> list[Result]:
    """Of overlapping results keep the higher score, then the longer span; sorted by position."""
    kept: list[Result] = []
    for result in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)
