"""People over time: every new person gets an account and a first unit membership, however they were added.

People are added by the staff import and the demo seed in bulk (``insert(Person)``), by the CLI and the web
one by one. Rather than asking each path to remember, the session notes that people were inserted and, just
before the transaction commits, adds in two set-based statements what the new people lack: their first
``UnitMembership`` row here, and (through the ``people_added`` signal) their account in ``auth.receivers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from blinker import Namespace
from sqlalchemy import Select, and_, bindparam, case, event, exists, insert, literal, or_, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from learning.core.dates import local_today, utcnow
from learning.org.models import Person, Unit, UnitMembership

_signals = Namespace()

people_added = _signals.signal("people-added")
"""Sent with ``session=`` before a commit that inserted people; receivers add what a new person needs, set-based."""

_FLAG = "learning.people_inserted"


def _note_orm_people(session: Session, _context: object, _instances: object) -> None:
    if any(isinstance(obj, Person) for obj in session.new):
        session.info[_FLAG] = True


def _note_bulk_people(state: ORMExecuteState) -> None:
    if state.is_insert and state.bind_mapper is not None and state.bind_mapper.class_ is Person:
        state.session.info[_FLAG] = True


def _complete_new_people(session: Session) -> None:
    # A person added and committed without a flush is still pending here: before_flush has not seen them yet.
    pending = any(isinstance(obj, Person) for obj in session.new)
    if not session.info.pop(_FLAG, False) and not pending:
        return
    session.flush()  # objects still pending (an account made with its person) count as existing
    open_first_memberships(session)
    people_added.send(session=session)


def open_first_memberships(session: Session) -> None:
    """One open membership in the current unit, from the joining date, for every person who has none."""
    has_row = exists().where(UnitMembership.person_id == Person.id)
    rows = select(Person.id, Person.unit_id, Person.joined_on, literal(utcnow())).where(~has_row)
    session.execute(insert(UnitMembership).from_select(
        ["person_id", "unit_id", "valid_from", "created_at"], rows))


def record_move(session: Session, person: Person, unit: Unit, on: date | None = None) -> None:
    """Move a person to ``unit`` from ``on`` (today by default): the open membership ends the day before and a
    new one starts; ``person.unit`` becomes ``unit``. A move dated on or before the day the open membership
    started corrects that membership instead of leaving an empty one."""
    on = on or local_today()
    if person.unit_id == unit.id:
        return
    current = session.scalar(select(UnitMembership).where(
        UnitMembership.person_id == person.id, UnitMembership.valid_to.is_(None)))
    if current is not None and current.valid_from is not None and current.valid_from >= on:
        current.unit_id = unit.id
    else:
        if current is not None:
            current.valid_to = on - timedelta(days=1)
        session.add(UnitMembership(person_id=person.id, unit_id=unit.id, valid_from=on))
    person.unit = unit


def record_moves(session: Session, moves: Iterable[tuple[int, int, date]]) -> int:
    """``record_move`` for many people at once, as (person id, unit id, from) triples, in a few statements per
    5,000 people (the staff import, a merge of units). Returns how many people moved."""
    moves = list(moves)
    count = 0
    for start in range(0, len(moves), 5000):
        chunk = {person_id: (unit_id, on) for person_id, unit_id, on in moves[start:start + 5000]}
        current = {m.person_id: m for m in session.execute(select(
            UnitMembership.id, UnitMembership.person_id, UnitMembership.unit_id, UnitMembership.valid_from).where(
            UnitMembership.person_id.in_(chunk), UnitMembership.valid_to.is_(None)))}
        corrected, closed, opened = [], [], []
        now = utcnow()
        for person_id, (unit_id, on) in chunk.items():
            row = current.get(person_id)
            if row is not None and row.unit_id == unit_id:
                continue
            if row is not None and row.valid_from is not None and row.valid_from >= on:
                corrected.append({"row_id": row.id, "unit": unit_id})
                continue
            if row is not None:
                closed.append({"row_id": row.id, "until": on - timedelta(days=1)})
            opened.append({"person_id": person_id, "unit_id": unit_id, "valid_from": on, "created_at": now})
        table = UnitMembership.__table__
        by_id = table.c.id == bindparam("row_id")
        if corrected:
            session.execute(update(table).where(by_id).values(unit_id=bindparam("unit")), corrected)
        if closed:
            session.execute(update(table).where(by_id).values(valid_to=bindparam("until")), closed)
        if opened:
            session.execute(insert(UnitMembership), opened)
        person_table = Person.__table__
        session.execute(update(person_table).where(person_table.c.id == bindparam("pid")).values(
            unit_id=bindparam("uid"), updated_at=now), [{"pid": p, "uid": u} for p, (u, _on) in chunk.items()])
        count += len(chunk)
    return count


def membership_in_period(start: date, end: date) -> Select:
    """(person_id, unit_id, valid_from, valid_to): each stretch of a person's time in a unit that overlaps
    ``start``..``end`` inclusive, cut to the person's joining and leaving dates (NULL = open-ended). A person who
    moved during the period has one row per unit; one who joined after ``end`` or left before ``start`` has none.
    Use it as a subquery: ``membership_in_period(s, e).subquery()``."""
    joined = Person.joined_on
    left = Person.left_on
    begins = case((and_(joined.is_not(None), or_(UnitMembership.valid_from.is_(None),
                                                  UnitMembership.valid_from < joined)), joined),
                  else_=UnitMembership.valid_from)
    ends = case((and_(left.is_not(None), or_(UnitMembership.valid_to.is_(None), UnitMembership.valid_to > left)),
                 left), else_=UnitMembership.valid_to)
    return (select(UnitMembership.person_id, UnitMembership.unit_id, begins.label("valid_from"),
                   ends.label("valid_to"))
            .join(Person, Person.id == UnitMembership.person_id)
            .where(or_(UnitMembership.valid_from.is_(None), UnitMembership.valid_from <= end),
                   or_(UnitMembership.valid_to.is_(None), UnitMembership.valid_to >= start),
                   or_(joined.is_(None), joined <= end), or_(left.is_(None), left >= start)))


def members_during(unit_path_prefix: str, start: date, end: date) -> Select:
    """The ids of the people who belonged to the subtree at ``unit_path_prefix`` (a ``Unit.path``) at some time
    between ``start`` and ``end`` (inclusive), each once."""
    period = membership_in_period(start, end).subquery()
    return (select(period.c.person_id).join(Unit, Unit.id == period.c.unit_id)
            .where(Unit.path.startswith(unit_path_prefix, autoescape=True)).distinct())


def unit_history(session: Session, person: Person) -> list[UnitMembership]:
    """The person's memberships, earliest first (the unit history of the person page)."""
    return list(session.scalars(select(UnitMembership).where(UnitMembership.person_id == person.id)
                                .order_by(UnitMembership.valid_from.is_not(None), UnitMembership.valid_from,
                                          UnitMembership.id)))


def init_app() -> None:
    for name, listener in (("before_flush", _note_orm_people), ("do_orm_execute", _note_bulk_people),
                           ("before_commit", _complete_new_people)):
        if not event.contains(Session, name, listener):  # once per process, however many apps are made
            event.listen(Session, name, listener)
