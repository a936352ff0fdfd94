"""The unit tree over time: create, rename, move, merge and dissolve units, and name them as they were.

History is kept, never overwritten: a rename keeps the former name as a ``UnitName`` row (so a 2024 report names
the unit as it was in 2024, ``unit_name_on``/``names_on``/``units_as_of``); a dissolved or merged unit keeps its
row with ``valid_to`` (a merged one points to its ``successor``), and the people of a merged unit move with a new
membership row each (``org.history.record_moves``). Moving a unit rewrites the materialised path of its whole
subtree in one statement. Callers own the transaction; every change is audit-logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext
from sqlalchemy import String, func, literal, or_, select, update

from learning.audit.services import record
from learning.auth import principal
from learning.core.dates import local_today
from learning.core.text import clean
from learning.extensions import db
from learning.org.history import record_moves
from learning.org.models import Person, Unit, UnitKind, UnitName
from learning.org.services import place_unit

if TYPE_CHECKING:
    from learning.auth.models import Account


class UnitError(ValueError):
    """A change the tree cannot take, with a message saying what to do instead."""


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _actor(by: Account | None) -> int | None:
    return by.id if by is not None else None


# --- names over time -------------------------------------------------------------------------------------

def names_at(pairs: Iterable[tuple[int, date | None]]) -> dict[tuple[int, date | None], str]:
    """The name of each (unit id, day) — the current name for day None — in two queries."""
    pairs = list(pairs)
    ids = {unit_id for unit_id, _day in pairs}
    if not ids:
        return {}
    current = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())
    former: dict[int, list[UnitName]] = {}
    for row in db.session.scalars(select(UnitName).where(UnitName.unit_id.in_(ids))):
        former.setdefault(row.unit_id, []).append(row)
    names = {}
    for unit_id, day in pairs:
        name = current.get(unit_id, "")
        if day is not None:
            name = next((r.name for r in former.get(unit_id, ())
                         if (r.valid_from is None or r.valid_from <= day) and day <= r.valid_to), name)
        names[(unit_id, day)] = name
    return names


def names_on(unit_ids: Iterable[int], day: date) -> dict[int, str]:
    """Unit id → its name on ``day``."""
    return {unit_id: name for (unit_id, _day), name in names_at((i, day) for i in unit_ids).items()}


def unit_name_on(unit: Unit, day: date) -> str:
    return names_on([unit.id], day)[unit.id]


def units_as_of(day: date) -> list[tuple[Unit, str]]:
    """The units that existed on ``day``, in tree order, each with the name it had then."""
    units = list(db.session.scalars(select(Unit).where(
        or_(Unit.valid_from.is_(None), Unit.valid_from <= day),
        or_(Unit.valid_to.is_(None), Unit.valid_to >= day)).order_by(Unit.path)))
    names = names_on([u.id for u in units], day)
    return [(u, names[u.id]) for u in units]


# --- changes ---------------------------------------------------------------------------------------------

def _active(unit: Unit, day: date, what: str) -> None:
    if not unit.is_valid_on(day):
        raise UnitError(gettext("Đơn vị “%(code)s” không hoạt động vào ngày %(d)s nên không thể %(what)s.",
                                code=unit.code, d=_d(day), what=what))


def create_unit(code: str, name: str, kind: str, parent: Unit | None, valid_from: date | None,
                by: Account | None) -> Unit:
    """A new unit under ``parent`` (None: a top-level unit), working from ``valid_from`` (None: always)."""
    code, name = clean(code), clean(name)
    if not code or not name:
        raise UnitError(gettext("Mã và tên đơn vị không được để trống."))
    if kind not in set(UnitKind):
        raise UnitError(gettext("Loại đơn vị “%(kind)s” không hợp lệ.", kind=kind))
    if db.session.scalar(select(Unit.id).where(func.lower(Unit.code) == code.lower())) is not None:
        raise UnitError(gettext("Đã có đơn vị mã “%(code)s”.", code=code))
    if parent is not None:
        _active(parent, valid_from or local_today(), gettext("nhận đơn vị trực thuộc mới"))
    unit = place_unit(Unit(code=code, name=name, kind=kind, valid_from=valid_from), parent)
    record("unit.created", actor_id=_actor(by), obj=unit, code=code, name=name, kind=kind,
           parent=parent.code if parent else None, valid_from=valid_from.isoformat() if valid_from else None)
    return unit


def rename_unit(unit: Unit, name: str, on: date, by: Account | None) -> None:
    """The unit is called ``name`` from ``on``; the former name is kept for the days before."""
    name = clean(name)
    if not name:
        raise UnitError(gettext("Tên mới không được để trống."))
    if name == unit.name:
        raise UnitError(gettext("Tên mới trùng với tên hiện tại."))
    if on > local_today():
        raise UnitError(gettext("Ngày đổi tên không được sau hôm nay: hãy đổi tên khi quyết định đã có hiệu lực."))
    last = db.session.scalar(select(func.max(UnitName.valid_to)).where(UnitName.unit_id == unit.id))
    since = last + timedelta(days=1) if last else unit.valid_from
    if since is not None and on <= since:
        raise UnitError(gettext("Ngày đổi tên phải sau %(d)s (ngày tên hiện tại bắt đầu được dùng).", d=_d(since)))
    _active(unit, on, gettext("đổi tên"))
    db.session.add(UnitName(unit_id=unit.id, name=unit.name, valid_from=since, valid_to=on - timedelta(days=1)))
    record("unit.renamed", actor_id=_actor(by), obj=unit, before=unit.name, after=name, on=on.isoformat())
    unit.name = name


def _expire_units() -> None:
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Unit):
            db.session.expire(obj)


def move_unit(unit: Unit, parent: Unit, by: Account | None) -> int:
    """Put ``unit`` (with its subtree) under ``parent``: every descendant's path and depth change in one
    statement. Returns the number of units whose path changed."""
    if parent.id == unit.id or parent.path.startswith(unit.path):
        raise UnitError(gettext("Không thể chuyển đơn vị vào chính nó hoặc vào một đơn vị trực thuộc của nó."))
    if parent.id == unit.parent_id:
        raise UnitError(gettext("Đơn vị đã thuộc “%(name)s”.", name=parent.name))
    today = local_today()
    _active(unit, today, gettext("chuyển"))
    _active(parent, today, gettext("nhận đơn vị trực thuộc"))
    old_path, new_path = unit.path, f"{parent.path}{unit.id}/"
    old_parent = unit.parent.code if unit.parent else None
    depth_change = parent.depth + 1 - unit.depth
    unit_id, parent_id = unit.id, parent.id
    moved = db.session.execute(
        update(Unit).where(Unit.path.startswith(old_path, autoescape=True))
        .values(path=literal(new_path, String).concat(func.substr(Unit.path, len(old_path) + 1)),
                depth=Unit.depth + depth_change),
        execution_options={"synchronize_session": False}).rowcount
    db.session.execute(update(Unit).where(Unit.id == unit_id).values(parent_id=parent_id),
                       execution_options={"synchronize_session": False})
    # The principals of people and role grants in the moved subtree carry its old path (``auth.principal``).
    principal.bump_stamps(db.session, unit_path=new_path)
    _expire_units()
    record("unit.moved", actor_id=_actor(by), object_type="unit", object_id=unit_id, before=old_parent,
           after=parent.code, units=moved)
    return moved


def active_people(unit: Unit, after: date) -> int:
    """People of the subtree still working after ``after`` (they must move before the unit can end)."""
    return db.session.scalar(select(func.count(Person.id)).join(Unit, Unit.id == Person.unit_id).where(
        Unit.path.startswith(unit.path, autoescape=True), Person.active.is_(True),
        or_(Person.left_on.is_(None), Person.left_on > after))) or 0


def _movers(unit: Unit, on: date) -> list[int]:
    return list(db.session.scalars(select(Person.id).where(
        Person.unit_id == unit.id, Person.active.is_(True), or_(Person.left_on.is_(None), Person.left_on >= on))))


def _working_children(unit: Unit, on: date) -> list[Unit]:
    """The sub-units of ``unit`` still working on ``on``."""
    return list(db.session.scalars(select(Unit).where(
        Unit.parent_id == unit.id, or_(Unit.valid_to.is_(None), Unit.valid_to >= on)).order_by(Unit.code)))


def merge_preview(unit: Unit, on: date) -> dict[str, int]:
    """What a merge from ``on`` would carry over (shown before the confirmation): the people who move, the
    sub-units that move with their own people, and everyone of the subtree."""
    return {"people": len(_movers(unit, on)), "children": len(_working_children(unit, on)),
            "subtree_people": active_people(unit, on - timedelta(days=1))}


def check_merge(unit: Unit, target: Unit, on: date) -> None:
    """Raise ``UnitError`` if ``unit`` cannot be merged into ``target`` from ``on`` (checked before asking for
    confirmation, and again by ``merge_unit``)."""
    if target.id == unit.id or target.path.startswith(unit.path):
        raise UnitError(gettext("Không thể sáp nhập đơn vị vào chính nó hoặc vào đơn vị trực thuộc của nó."))
    if on > local_today():
        raise UnitError(gettext("Ngày sáp nhập không được sau hôm nay: hãy sáp nhập khi quyết định đã có hiệu lực."))
    if unit.valid_from is not None and on <= unit.valid_from:
        raise UnitError(gettext("Ngày sáp nhập phải sau ngày đơn vị bắt đầu hoạt động (%(d)s).",
                                d=_d(unit.valid_from)))
    _active(unit, on, gettext("sáp nhập"))
    _active(target, on, gettext("nhận sáp nhập"))
    _active(target, local_today(), gettext("nhận sáp nhập"))
    for child in _working_children(unit, on):
        _active(child, local_today(), gettext("chuyển"))


def merge_unit(unit: Unit, target: Unit, on: date, by: Account | None) -> dict[str, int]:
    """Merge ``unit`` into ``target`` from ``on``: its working people move to ``target`` (a new membership each,
    from ``on``), its working sub-units move under ``target``, and ``unit`` ends the day before, pointing to
    ``target`` as its successor. Former staff stay listed in ``unit`` for the reports of earlier periods."""
    check_merge(unit, target, on)
    children = _working_children(unit, on)
    unit_id, target_id, code, target_code = unit.id, target.id, unit.code, target.code
    for child in children:
        move_unit(child, db.session.get(Unit, target_id), by)
    people = record_moves(db.session, [(pid, target_id, on) for pid in _movers(unit, on)])
    unit = db.session.get(Unit, unit_id)
    unit.valid_to, unit.successor_id = on - timedelta(days=1), target_id
    db.session.flush()  # before expiring: expire_all would discard the unflushed end of the unit
    db.session.expire_all()
    summary = {"people": people, "children": len(children)}
    record("unit.merged", actor_id=_actor(by), object_type="unit", object_id=unit_id, code=code,
           into=target_code, on=on.isoformat(), **summary)
    return summary


def check_dissolve(unit: Unit, last_day: date) -> None:
    """Raise ``UnitError`` if ``unit`` cannot end after ``last_day`` (see ``dissolve_unit``)."""
    if unit.parent_id is None:
        raise UnitError(gettext("Không thể giải thể đơn vị cấp cao nhất (cấp tỉnh)."))
    if unit.valid_to is not None and unit.valid_to <= last_day:
        raise UnitError(gettext("Đơn vị đã giải thể từ %(d)s.", d=_d(unit.valid_to)))
    if unit.valid_from is not None and last_day < unit.valid_from:
        raise UnitError(gettext("Ngày giải thể phải sau ngày đơn vị bắt đầu hoạt động (%(d)s).",
                                d=_d(unit.valid_from)))
    children = _working_children(unit, last_day + timedelta(days=1))
    if children:
        raise UnitError(gettext("Đơn vị còn %(n)s đơn vị trực thuộc hoạt động sau %(d)s (%(codes)s): hãy chuyển, "
                                "sáp nhập hoặc giải thể các đơn vị đó trước.", n=len(children), d=_d(last_day),
                                codes=", ".join(c.code for c in children[:5]) + ("…" if len(children) > 5 else "")))
    working = active_people(unit, last_day)
    if working:
        raise UnitError(gettext("Đơn vị còn %(n)s cán bộ làm việc sau %(d)s: hãy chuyển họ sang đơn vị khác, "
                                "ghi ngày thôi việc, hoặc sáp nhập đơn vị thay vì giải thể.",
                                n=working, d=_d(last_day)))


def dissolve_unit(unit: Unit, last_day: date, by: Account | None) -> None:
    """End ``unit`` after ``last_day`` (its last working day). Refused while it still has sub-units working
    after that day or people working there after it: they must be moved, dissolved or given a leaving date
    first, or the unit merged instead, so that nobody is left in a unit that no longer exists."""
    check_dissolve(unit, last_day)
    before = unit.valid_to
    unit.valid_to = last_day
    record("unit.dissolved", actor_id=_actor(by), obj=unit, code=unit.code, last_day=last_day.isoformat(),
           before=before.isoformat() if before else None)


def name_history(unit: Unit) -> list[tuple[str, date | None, date | None]]:
    """Every name of the unit, earliest first, as (name, from, to), the current one last (to = its end)."""
    rows = list(db.session.scalars(select(UnitName).where(UnitName.unit_id == unit.id).order_by(UnitName.valid_to)))
    since = rows[-1].valid_to + timedelta(days=1) if rows else unit.valid_from
    return [(r.name, r.valid_from, r.valid_to) for r in rows] + [(unit.name, since, unit.valid_to)]


def predecessors(unit: Unit) -> list[Unit]:
    """The units merged into ``unit``."""
    return list(db.session.scalars(select(Unit).where(Unit.successor_id == unit.id).order_by(Unit.valid_to)))
