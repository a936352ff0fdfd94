"""Moved: the status of a person for an assignment is owned by ``learning.progress``.

Kept as a re-export for code written against the old place; new code imports ``learning.progress``.
"""

from learning.progress.audience import all_targets, roomy_aggregates, targets, window_start
from learning.progress.engine import current_certificates, last_completions, overdue_rows, status_rows, withdrawn
from learning.progress.labels import LABELS, STATUS_ORDER, Status, Tally

__all__ = ["LABELS", "STATUS_ORDER", "Status", "Tally", "all_targets", "current_certificates", "last_completions",
           "overdue_rows", "roomy_aggregates", "status_rows", "targets", "window_start", "withdrawn"]
