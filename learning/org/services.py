"""Changes to the unit tree and to people. Callers own the transaction."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from learning.audit.services import record
from learning.core.dates import local_today
from learning.extensions import db
from learning.org.history import record_move
from learning.org.models import Person, Unit

if TYPE_CHECKING:
    from learning.auth.models import Account


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


PERSON_FIELDS = ("middle_name", "given_name", "email", "position", "category", "joined_on", "left_on", "active")


def update_person(person: Person, values: dict[str, object], unit: Unit, moved_on: date | None,
                  by: Account) -> list[str]:
    """Edit a person from the person form; a new unit is a move (a new membership row from ``moved_on``, today
    by default), never an overwrite of the unit history. Returns the names of the changed fields (audited)."""
    before = {name: getattr(person, name) for name in PERSON_FIELDS}
    for name in PERSON_FIELDS:
        setattr(person, name, values[name])
    changed = [name for name in PERSON_FIELDS if before[name] != getattr(person, name)]
    old_unit = person.unit
    if unit.id != person.unit_id:
        record_move(db.session, person, unit, on=moved_on or local_today())
        changed.append("unit")
    if changed:
        def plain(value: object) -> object:
            return value.isoformat() if isinstance(value, date) else value
        record("person.updated", actor_id=by.id, obj=person, changed=changed,
               before={k: plain(before[k]) for k in changed if k in before}
               | ({"unit": old_unit.code} if "unit" in changed else {}),
               after={k: plain(getattr(person, k)) for k in changed if k in before}
               | ({"unit": unit.code, "moved_on": plain(moved_on or local_today())} if "unit" in changed else {}))
    return changed
