"""What assessment announces; it does not know who listens."""

from blinker import Namespace

_signals = Namespace()

attempt_passed = _signals.signal("attempt-passed")
"""Sent with ``attempt=`` (an ``Attempt``, submitted and passed) once, when it is scored.

``learning.progress.receivers`` records the completion (when the lessons it needs are read), which issues the
certificate through ``catalog.signals.course_completed``.
"""
