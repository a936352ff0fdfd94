"""Changes to the unit tree and to people. Callers own the transaction."""

from __future__ import annotations

from datetime import date

from learning.extensions import db
from learning.org.models import Unit


def place_unit(unit: Unit, parent: Unit | None) -> Unit:
    """Attach ``unit`` under ``parent`` and compute its materialised path."""
    unit.parent = parent
    if unit.id is None:
        db.session.add(unit)
        db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.depth = (parent.depth + 1) if parent else 0
    return unit


def upsert_unit(by_code: dict[str, Unit], code: str, name: str, kind: str, parent: Unit | None,
                valid_from: date | None = None, valid_to: date | None = None) -> Unit:
    unit = by_code.get(code)
    if unit is None:
        unit = Unit(code=code, name=name, kind=kind, valid_from=valid_from, valid_to=valid_to)
        by_code[code] = unit
    else:
        unit.name, unit.kind, unit.valid_from, unit.valid_to = name, kind, valid_from, valid_to
    return place_unit(unit, parent)
