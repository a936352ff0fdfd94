"""Moved to ``learning.progress.personal`` (kept as a re-export)."""

from learning.progress.personal import PersonalAssignment, for_person, notice

__all__ = ["PersonalAssignment", "for_person", "notice"]
