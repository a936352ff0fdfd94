"""The registry of question kinds: what a kind is called, how its options must look, how it is scored.

Everything that depends on a question's ``kind`` asks this registry: the content loader
(``catalog/content_schema.py`` accepts the registered names, ``catalog/content.py`` asks
``option_problems``), the bank-quality report (``catalog/quality.py``), the quiz page (label, radio
or checkbox), the answer check and the scoring (``assessment/engine.py``). A new kind is one
subclass of ``Kind`` here and a ``register()`` call; nothing else repeats the rules.

This module imports nothing from the catalog or the database models, so the catalog may import it
without tying itself to the rest of the assessment package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from flask_babel import gettext, lazy_gettext

GROUPING = "scenario"  # the kind of a scenario in a quiz file: a group of questions, not a question
NAME = re.compile(r"^[a-z][a-z_]{0,19}$")  # fits Question.kind (String(20)) and a YAML key


class AnswerError(ValueError):
    """An answer the learner (or a forged request) sent that cannot be accepted."""


class Answerable(Protocol):
    """What scoring needs of a question: its options (``{"id": …}``) and the ids of the correct ones."""

    options: list[dict]

    @property
    def correct_ids(self) -> set[str]: ...


class Kind:
    """A question kind. Subclass it, set the class attributes and override what differs."""

    name: str = ""
    label: str = ""  # shown after every stem on the quiz page: how to answer
    multiple: bool = False  # the learner may choose several options (checkboxes rather than radios)
    choices: tuple[str, ...] | None = None  # the only option texts allowed (in any order), if fixed
    shuffle: bool = True  # options are shuffled for each attempt

    def option_problems(self, options: Sequence[tuple[str, bool]]) -> list[str]:
        """What is wrong with a question's options (text, correct) in a content file; [] when fine."""
        return []

    def check(self, question: Answerable, chosen: list[str]) -> None:
        """Refuse an answer that cannot come from the quiz page."""
        valid = {o["id"] for o in question.options}
        unknown = [c for c in chosen if c not in valid]
        if unknown:
            raise AnswerError(gettext("Câu trả lời chứa lựa chọn không có trong câu hỏi; hãy tải lại trang."))
        if not self.multiple and len(chosen) > 1:
            raise AnswerError(gettext("Câu hỏi này chỉ được chọn một đáp án."))
        if len(set(chosen)) != len(chosen):
            raise AnswerError(gettext("Một lựa chọn bị gửi hai lần; hãy tải lại trang."))

    def is_correct(self, question: Answerable, chosen: list[str]) -> bool:
        # Exactly the set of correct options (no partial credit), so guessing every box never pays.
        return bool(chosen) and set(chosen) == question.correct_ids


def _correct(options: Sequence[tuple[str, bool]]) -> int:
    return sum(1 for _, is_correct in options if is_correct)


class Single(Kind):
    name = "single"
    label = lazy_gettext("Chọn một đáp án")

    def option_problems(self, options: Sequence[tuple[str, bool]]) -> list[str]:
        correct = _correct(options)
        if correct != 1:
            return [f"câu một lựa chọn phải có đúng 1 đáp án đúng (đang có {correct})"]
        return []


class TrueFalse(Single):
    name = "true_false"
    label = lazy_gettext("Đúng hay sai")
    choices = ("Đúng", "Sai")
    shuffle = False  # "Đúng" before "Sai" reads naturally; keep the file's order

    def option_problems(self, options: Sequence[tuple[str, bool]]) -> list[str]:
        found = super().option_problems(options)
        if not found and sorted(text for text, _ in options) != sorted(self.choices or ()):
            found.append("câu đúng/sai phải có đúng hai lựa chọn “Đúng” và “Sai”")
        return found


class Multiple(Kind):
    name = "multiple"
    label = lazy_gettext("Chọn tất cả đáp án đúng")
    multiple = True

    def option_problems(self, options: Sequence[tuple[str, bool]]) -> list[str]:
        if not 1 <= _correct(options) < len(options):
            return ["câu nhiều lựa chọn phải có ít nhất 1 đáp án đúng và 1 đáp án sai"]
        return []


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make ``kind`` known to the loader, the quiz page and the scoring."""
    if not NAME.match(kind.name) or kind.name == GROUPING:
        raise ValueError(f"invalid question kind name: {kind.name!r}")
    if kind.name in KINDS:
        raise ValueError(f"question kind {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    KINDS.pop(name)


for _kind in (Single(), Multiple(), TrueFalse()):
    register(_kind)
