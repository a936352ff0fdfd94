"""The audit log as administrators read it: filters, names for actors and targets, rows for the CSV.

A page costs a fixed number of queries whatever its rows: the count, the page (actor, their person and
unit joined), and one query per kind of target named on the page (accounts, people, units, certificates).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext
from sqlalchemy import Select, String, cast, false, func, or_, select
from sqlalchemy.orm import joinedload

from learning.assessment.models import Attempt
from learning.audit.labels import detail_text, event_label, object_type_label
from learning.audit.models import AuditEvent
from learning.auth.models import Account
from learning.certification.models import Certificate
from learning.core.dates import LOCAL_TZ, to_local
from learning.core.i18n import N_
from learning.core.text import clean
from learning.extensions import db
from learning.org.models import Person, Unit

PER_PAGE = 50
EXPORT_LIMIT = 50_000  # newest first; a narrower filter gets the rest
CHUNK = 1000
MAX_UNITS = 50  # a unit text matching more units than this is too vague to filter on
_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_day(text: str) -> date | None:
    """dd/mm/yyyy (also d/m/yyyy, with - or . between, and yyyy-mm-dd); ValueError for anything else."""
    text = clean(text)
    if not text:
        return None
    if match := _DAY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DAY.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return date(year, month, day)


def _utc_start(day: date) -> datetime:
    """The UTC instant a local (province) day starts, in the naive form the database stores."""
    return datetime.combine(day, time(), LOCAL_TZ).astimezone(UTC).replace(tzinfo=None)


@dataclass
class LogFilter:
    person: str = ""
    unit: str = ""
    action: str = ""
    date_from: str = ""
    date_to: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None

    ARGS = {"nguoi": "person", "don-vi": "unit", "hanh-dong": "action", "tu-ngay": "date_from",
            "den-ngay": "date_to"}

    @classmethod
    def from_args(cls, args) -> LogFilter:
        found = cls(**{name: clean(args.get(arg, ""))[:120] for arg, name in cls.ARGS.items()})
        for name, attr in (("date_from", "start"), ("date_to", "end")):
            try:
                setattr(found, attr, parse_day(getattr(found, name)))
            except ValueError:
                found.errors[name] = gettext("Ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy (ví dụ 03/12/2026).")
        if found.start and found.end and found.end < found.start:
            found.errors["date_to"] = gettext("“Đến ngày” phải sau hoặc trùng “Từ ngày”.")
            found.end = None
        return found

    def as_args(self) -> dict[str, str]:
        """The query arguments that give this filter again (for the export link)."""
        return {arg: getattr(self, name) for arg, name in self.ARGS.items() if getattr(self, name)}

    def as_detail(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.ARGS.values() if getattr(self, name)}


def _about_people(people: Select) -> object:
    """Events done by the people ``people`` selects, or done to their account, person record, quiz attempts or
    certificates."""
    def about(kind: str, ids: Select) -> object:
        return (AuditEvent.object_type == kind) & AuditEvent.object_id.in_(ids)

    return or_(
        AuditEvent.actor_id.in_(select(Account.id).where(Account.person_id.in_(people))),
        about("account", select(cast(Account.id, String)).where(Account.person_id.in_(people))),
        about("person", select(cast(Person.id, String)).where(Person.id.in_(people))),
        about("attempt", select(cast(Attempt.id, String)).where(Attempt.person_id.in_(people))),
        about("certificate", select(cast(Certificate.id, String)).where(Certificate.person_id.in_(people))),
    )


def _matching_people(text: str) -> Select:
    like = f"%{text.lower()}%"
    full = func.lower(Person.middle_name + " " + Person.given_name)
    as_typed = Person.middle_name + " " + Person.given_name  # SQLite lowers ASCII letters only ("Đ" stays)
    return select(Person.id).where(or_(full.like(like), as_typed.like(f"%{text}%"),
                                       func.lower(Person.employee_code).like(like)))


def _matching_units(text: str) -> list[Unit]:
    """The unit whose code is ``text`` (any case), else the units whose name contains it."""
    exact = db.session.scalars(select(Unit).where(func.lower(Unit.code) == text.lower())).first()
    if exact is not None:
        return [exact]
    like = f"%{text.lower()}%"
    named = or_(func.lower(Unit.name).like(like), Unit.name.like(f"%{text}%"))
    return list(db.session.scalars(select(Unit).where(named).order_by(Unit.depth).limit(MAX_UNITS + 1)))


def build_query(found: LogFilter) -> Select:
    """The filtered events, newest first, with the actor, their person and unit loaded in the same query."""
    # The actor's person and unit come joined with it; their role grants are not needed here.
    query = (select(AuditEvent).options(joinedload(AuditEvent.actor).lazyload(Account.grants))
             .order_by(AuditEvent.id.desc()))
    if found.action:
        code = found.action
        query = query.where(AuditEvent.action == code if "." in code.rstrip(".")
                            else AuditEvent.action.startswith(code.rstrip(".") + ".", autoescape=True))
    if found.person:
        query = query.where(_about_people(_matching_people(found.person)))
    if found.unit:
        units = _matching_units(found.unit)
        if not units:
            found.errors["unit"] = gettext("Không tìm thấy đơn vị nào có mã hoặc tên này.")
            return query.where(false())
        if len(units) > MAX_UNITS:
            found.errors["unit"] = gettext("Quá nhiều đơn vị khớp; hãy ghi mã đơn vị hoặc tên đầy đủ hơn.")
            return query.where(false())
        inside = or_(*(Unit.path.startswith(u.path, autoescape=True) for u in units))
        people = select(Person.id).join(Unit, Unit.id == Person.unit_id).where(inside)
        unit_ids = select(cast(Unit.id, String)).where(inside)
        query = query.where(or_(_about_people(people),
                                (AuditEvent.object_type == "unit") & AuditEvent.object_id.in_(unit_ids)))
    if found.start:
        query = query.where(AuditEvent.at >= _utc_start(found.start))
    if found.end:
        query = query.where(AuditEvent.at < _utc_start(found.end + timedelta(days=1)))
    return query


def person_text(person: Person | None) -> str:
    return f"{person.full_name} ({person.employee_code})" if person is not None else ""


def actor_text(event: AuditEvent) -> str:
    if event.actor is None:
        return gettext("Hệ thống")
    return person_text(event.actor.person)


def _ids(events: Iterable[AuditEvent], kind: str) -> list[int]:
    return sorted({int(e.object_id) for e in events if e.object_type == kind and e.object_id.isdigit()})


def targets(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """A name for each event's object: a person's full name and code, a unit's name and code, a certificate's
    serial; at most one query per kind of object."""
    names: dict[tuple[str, str], str] = {}
    if ids := _ids(events, "account"):
        query = select(Account.id, Person).join(Person, Person.id == Account.person_id).where(Account.id.in_(ids))
        for account_id, person in db.session.execute(query):
            names["account", str(account_id)] = person_text(person)
    if ids := _ids(events, "person"):
        for person in db.session.scalars(select(Person).where(Person.id.in_(ids))):
            names["person", str(person.id)] = person_text(person)
    if ids := _ids(events, "unit"):
        for unit in db.session.scalars(select(Unit).where(Unit.id.in_(ids))):
            names["unit", str(unit.id)] = f"{unit.name} ({unit.code})"
    if ids := _ids(events, "certificate"):
        for cert_id, serial in db.session.execute(select(Certificate.id, Certificate.serial)
                                                  .where(Certificate.id.in_(ids))):
            names["certificate", str(cert_id)] = gettext("Chứng nhận %(serial)s", serial=serial)
    return names


def target_text(event: AuditEvent, names: dict[tuple[str, str], str]) -> str:
    if not event.object_type:
        return ""
    if event.object_type == "account" and event.actor_id is not None and event.object_id == str(event.actor_id):
        return gettext("Chính người thực hiện")
    known = names.get((event.object_type, event.object_id))
    if known:
        return known
    kind = object_type_label(event.object_type)
    return f"{kind} #{event.object_id}" if event.object_id else kind


CSV_HEADERS = (N_("Thời điểm"), N_("Người thực hiện"), N_("Sự kiện"), N_("Mã sự kiện"), N_("Đối tượng"),
               N_("Địa chỉ IP"), N_("Chi tiết"))


def csv_headers() -> list[str]:
    return [gettext(h) for h in CSV_HEADERS]


def csv_rows(query: Select) -> Iterator[list[object]]:
    """The export's rows, newest first, read and named a chunk at a time (at most EXPORT_LIMIT)."""
    last_id = None
    sent = 0
    while sent < EXPORT_LIMIT:
        chunk_query = query.limit(min(CHUNK, EXPORT_LIMIT - sent))
        if last_id is not None:
            chunk_query = chunk_query.where(AuditEvent.id < last_id)
        events = list(db.session.scalars(chunk_query).unique())
        if not events:
            return
        names = targets(events)
        for event in events:
            yield [to_local(event.at).replace(tzinfo=None), actor_text(event), event_label(event.action),
                   event.action, target_text(event, names), event.ip, detail_text(event.detail)]
        sent += len(events)
        last_id = events[-1].id
