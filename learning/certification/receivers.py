"""Issue a certificate when a course is completed; its PDF is rendered in the background."""

from __future__ import annotations

from typing import Any

from flask import current_app

from learning.catalog.models import Completion
from learning.catalog.signals import course_completed
from learning.certification import services
from learning.certification.settings import issue_settings
from learning.jobs import after_commit_debounced


def on_course_completed(_sender: Any, completion: Completion, **_extra: Any) -> None:
    services.issue(completion, issue_settings(), render=False)
    # One sweep renders the PDFs of a burst of submits (issue 19 item 7), not one queued task per submit.
    after_commit_debounced("certificates.render_missing", current_app.config.get("CERT_RENDER_DEBOUNCE_SECONDS", 2.0))


def init_app() -> None:
    course_completed.connect(on_course_completed, weak=False)
