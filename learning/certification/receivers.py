"""Issue a certificate when a course is completed; its PDF is rendered in the background."""

from __future__ import annotations

from typing import Any

from learning.catalog.models import Completion
from learning.catalog.signals import course_completed
from learning.certification import services
from learning.certification.settings import issue_settings
from learning.jobs import after_commit


def on_course_completed(_sender: Any, completion: Completion, **_extra: Any) -> None:
    services.issue(completion, issue_settings(), render=False)
    after_commit("certificates.render_missing")


def init_app() -> None:
    course_completed.connect(on_course_completed, weak=False)
