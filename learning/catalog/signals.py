"""Domain events other packages subscribe to, so the learning flow does not import them."""

from blinker import Namespace

_signals = Namespace()

course_completed = _signals.signal("course-completed")
"""Sent with ``completion=`` (a ``Completion``, flushed) when a person completes a course version.

The certificates package connects a receiver that issues the certificate in the same transaction.
"""
