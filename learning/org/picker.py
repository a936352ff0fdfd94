"""A unit picker that works without JavaScript: a text box with a ``<datalist>`` of the units in scope.

Each suggestion reads "CODE — name (parent)", so typing part of a code or of a name finds it (the browser filters
the list); the server accepts the code alone, a chosen suggestion, or a unit's exact name when only one unit in
scope has it, and checks the scope itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select

from learning.core.text import clean
from learning.extensions import db
from learning.org.models import Unit

SEPARATOR = " — "


def entry(unit: Unit) -> str:
    """"STP-3 — Văn phòng Sở (Sở Tư pháp)": the parent tells apart the many "Văn phòng Sở"."""
    text = f"{unit.code}{SEPARATOR}{unit.name}"
    return f"{text} ({unit.parent.name})" if unit.parent is not None else text


def _working(today: date) -> ColumnElement[bool]:
    return or_(Unit.valid_to.is_(None), Unit.valid_to >= today)


def entries(scope: ColumnElement[bool], today: date) -> list[str]:
    """The suggestions: the units in scope still working today, in tree order (a unit, then the units under it)."""
    units = db.session.scalars(select(Unit).where(scope, _working(today)).order_by(Unit.path))
    return [entry(unit) for unit in units]


@dataclass(frozen=True)
class Picked:
    typed: str  # what the box held, cleaned: for the messages
    unit: Unit | None  # None: no unit reads so


def pick(text: str | None, scope: ColumnElement[bool], today: date) -> Picked:
    """The unit meant by what the box holds: a suggestion, a code (exact, else the one matching without regard to
    case) or an exact name held by exactly one working unit in ``scope``. A code is found wherever its unit is:
    whether it is in scope is the caller's check (and message)."""
    typed = clean(text)
    code = typed.split(SEPARATOR, 1)[0].strip()
    if not code:
        return Picked(typed, None)
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        found = list(db.session.scalars(select(Unit).where(func.upper(Unit.code) == code.upper()).limit(2)))
        unit = found[0] if len(found) == 1 else None
    if unit is None:
        found = list(db.session.scalars(select(Unit).where(scope, _working(today), Unit.name == typed).limit(2)))
        unit = found[0] if len(found) == 1 else None
    return Picked(typed, unit)
