"""Issue a certificate when a course is completed; its PDF is rendered in the background."""

from __future__ import annotations

from typing import Any

from learning.catalog.models import Completion
from learning.catalog.signals import course_completed
from learning.certification import services, tasks
from learning.jobs import after_commit


def on_course_completed(_sender: Any, completion: Completion, **_extra: Any) -> None:
    services.issue(completion, tasks.issue_settings(), render=False)
    after_commit("certificates.render_missing")


def init_app() -> None:
    course_completed.connect(on_course_completed, weak=False)
