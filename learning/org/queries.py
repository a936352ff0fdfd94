"""Read models for unit and people pages: one round of queries per page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from learning.core.pagination import Page, paginate
from learning.core.text import clean
from learning.extensions import db
from learning.org.models import Person, Unit


@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    people: int
    children: int


def name_order() -> tuple[ColumnElement, ...]:
    """Sort people by tên, then họ đệm, with Vietnamese collation, then by code."""
    return (
        Person.given_name.collate("vi"),
        Person.middle_name.collate("vi"),
        Person.employee_code,
    )


def summaries(units: list[Unit]) -> list[UnitSummary]:
    """Active headcount of each unit's subtree and its number of child units, in 2 queries."""
    if not units:
        return []
    ids = [u.id for u in units]
    top = aliased(Unit)
    sub = aliased(Unit)
    people = dict(
        db.session.execute(
            select(top.id, func.count(Person.id))
            .join(sub, sub.path.startswith(top.path))
            .join(Person, and_(Person.unit_id == sub.id, Person.active.is_(True)))
            .where(top.id.in_(ids))
            .group_by(top.id)
        ).all()
    )
    children = dict(
        db.session.execute(
            select(Unit.parent_id, func.count(Unit.id))
            .where(Unit.parent_id.in_(ids))
            .group_by(Unit.parent_id)
        ).all()
    )
    return [UnitSummary(u, people.get(u.id, 0), children.get(u.id, 0)) for u in units]


def unit_summaries(scope: list[Unit] | None) -> list[UnitSummary]:
    """The units a home page lists: the scope's units, or the province's first level."""
    if scope is None:
        root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        scope = [root] if root else []
    return summaries(sorted(scope, key=lambda u: u.path))


def child_units(unit: Unit) -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name.collate("vi"))
        )
    )


def ancestors(unit: Unit) -> list[Unit]:
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    if not ids:
        return []
    found = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def search_units(scope_clause: ColumnElement[bool], q: str, include_historical: bool,
                 today: date, page: int, per_page: int) -> Page:
    query = select(Unit).where(scope_clause)
    text = clean(q)
    if text:
        like = f"%{text.lower()}%"
        query = query.where(or_(func.lower(Unit.name).like(like), func.lower(Unit.code).like(like)))
    if not include_historical:
        query = query.where(or_(Unit.valid_to.is_(None), Unit.valid_to >= today))
    query = query.order_by(Unit.depth, Unit.name.collate("vi"))
    return paginate(query, page, per_page)


def search_people(scope_clause: ColumnElement[bool], *, q: str = "", unit: Unit | None = None,
                  category: str = "", active: bool | None = True, page: int = 1,
                  per_page: int = 50) -> Page:
    # The parent comes with each unit: the list names a unit with it (``Unit.qualified_name``).
    query = (select(Person).join(Person.unit).where(scope_clause)
             .options(joinedload(Person.unit).joinedload(Unit.parent)))
    text = clean(q)
    if text:
        like = f"%{text.lower()}%"
        full = func.lower(Person.middle_name + " " + Person.given_name)
        query = query.where(
            or_(full.like(like), func.lower(Person.employee_code).like(like),
                func.lower(Person.email).like(like))
        )
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    if category:
        query = query.where(Person.category == category)
    if active is not None:
        query = query.where(Person.active.is_(active))
    return paginate(query.order_by(*name_order()), page, per_page)
