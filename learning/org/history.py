"""People over time: every new person gets an account and a first unit membership, however they were added.

People are added by the staff import and the demo seed in bulk (``insert(Person)``), by the CLI and the web
one by one. Rather than asking each path to remember, the session notes that people were inserted and, just
before the transaction commits, adds in two set-based statements what the new people lack: their first
``UnitMembership`` row here, and (through the ``people_added`` signal) their account in ``auth.receivers``.
"""

from __future__ import annotations

from datetime import date, timedelta

from blinker import Namespace
from sqlalchemy import event, exists, insert, literal, select
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
    if not session.info.pop(_FLAG, False):
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


def init_app() -> None:
    for name, listener in (("before_flush", _note_orm_people), ("do_orm_execute", _note_bulk_people),
                           ("before_commit", _complete_new_people)):
        if not event.contains(Session, name, listener):  # once per process, however many apps are made
            event.listen(Session, name, listener)
