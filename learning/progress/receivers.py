"""Progress listens to assessment: a passed attempt becomes a completion here, not inside assessment."""

from __future__ import annotations

from typing import Any

from learning.assessment.models import Attempt
from learning.assessment.signals import attempt_passed
from learning.progress.completions import complete_if_ready


def on_attempt_passed(_sender: Any, attempt: Attempt, **_extra: Any) -> None:
    complete_if_ready(attempt)


def init_app() -> None:
    attempt_passed.connect(on_attempt_passed, weak=False)
