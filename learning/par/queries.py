"""The PAR table of a period, as the pages, the API and the CLI read it."""

from __future__ import annotations

from dataclasses import dataclass

from learning.par import scoring, services
from learning.par.models import RubricVersion, Snapshot


@dataclass
class Table:
    period: int
    version: RubricVersion
    scores: list[scoring.UnitScore]
    snapshot: Snapshot | None


def table_for(period: int) -> Table:
    """The frozen table when the period is frozen, otherwise computed now."""
    snapshot = scoring.snapshot_of(period)
    if snapshot is not None:
        return Table(period, snapshot.rubric, scoring.from_data(snapshot.data["units"]), snapshot)
    version = scoring.active_rubric() or services.ensure_shipped_rubric()
    return Table(period, version, services.live_scores(period, version), None)
