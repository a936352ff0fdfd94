"""Staff lists from Excel or CSV: parse, validate every row, then apply all or nothing.

Errors say where, the way the user sees the file: ``dòng N, cột <header>: <reason>`` with N the
row number in Excel. The header row may sit below a title block (``table_files.read_table``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import pandas as pd
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import ColumnElement, bindparam, insert, select, true, update

from learning.core.dates import local_today, utcnow
from learning.core.text import clean
from learning.extensions import db
from learning.org.history import record_moves
from learning.org.models import CATEGORY_LABELS, Category, Person, Unit
from learning.org.table_files import Headers, ImportRejected, header_key, read_table

# Canonical column → header as written in the template.
COLUMNS = {
    "code": "Mã cán bộ",
    "full_name": "Họ và tên",
    "middle_name": "Họ đệm",
    "given_name": "Tên",
    "birth_date": "Ngày sinh",
    "email": "Email",
    "unit_code": "Mã đơn vị",
    "position": "Vị trí việc làm",
    "category": "Loại",
    "status": "Trạng thái",
    "joined_on": "Ngày vào đơn vị",
    "left_on": "Ngày thôi việc",
    "moved_on": "Ngày chuyển đơn vị",
}
# Other headers people write for the same column.
ALIASES = {"Ngày nghỉ việc": "left_on", "Ngày nghỉ": "left_on"}
# A changed field of Person → the column of the file it came from (shown in the preview).
CHANGE_HEADERS = {**COLUMNS, "unit_id": COLUMNS["unit_code"], "active": COLUMNS["status"]}
TEMPLATE_HEADERS = ["Mã cán bộ", "Họ đệm", "Tên", "Ngày sinh", "Email", "Mã đơn vị",
                    "Vị trí việc làm", "Loại", "Trạng thái", "Ngày vào đơn vị", "Ngày thôi việc",
                    "Ngày chuyển đơn vị"]
STATUS_VALUES = {"đang làm việc": True, "nghỉ việc": False}


_key = header_key


_HEADER_KEYS = {**{_key(header): name for name, header in COLUMNS.items()},
                **{_key(header): name for header, name in ALIASES.items()}}
_CATEGORY_KEYS = {_key(label): Category(value) for value, label in CATEGORY_LABELS.items()}


@dataclass
class Row:
    line: int
    code: str
    middle_name: str
    given_name: str
    birth_date: date | None
    email: str | None
    unit_code: str
    position: str
    category: str
    active: bool
    # Ngày vào đơn vị / ngày thôi việc, only for the columns the file has: a file without them changes neither.
    dates: dict[str, date | None] = field(default_factory=dict)
    moved_on: date | None = None  # when a changed unit takes effect (default: the day of the import)

    @property
    def category_label(self) -> str:
        """"Công chức", as the preview shows it (``category`` is the stored value, cong_chuc)."""
        return Category(self.category).label if self.category else ""


@dataclass
class ImportPlan:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: list[Row] = field(default_factory=list)
    updated: list[tuple[Row, Person, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    deactivated: int = 0
    moved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes_nothing(self) -> bool:
        """A valid file whose every row is already as the database has it (a re-upload)."""
        return self.ok and not self.created and not self.updated

    def summary(self) -> dict[str, int]:
        return {"created": len(self.created), "updated": len(self.updated),
                "unchanged": self.unchanged, "deactivated": self.deactivated, "moved": self.moved,
                "errors": len(self.errors)}


def _missing(found: set[str]) -> list[str]:
    """The required columns a header row lacks."""
    missing = [COLUMNS[c] for c in ("code", "unit_code", "category") if c not in found]
    if "full_name" not in found and not {"middle_name", "given_name"} <= found:
        missing.append(gettext("Họ và tên (hoặc Họ đệm và Tên)"))
    return missing


def headers() -> Headers:
    return Headers(_HEADER_KEYS, _missing, ", ".join(_missing(set())))


def _columns(frame: pd.DataFrame) -> dict[str, object]:
    """Canonical name → the column label as it is in this file."""
    found: dict[str, object] = {}
    for header in frame.columns:
        name = _HEADER_KEYS.get(_key(header))
        if name and name not in found:
            found[name] = header
    missing = _missing(set(found))
    if missing:
        raise ImportRejected(gettext("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.", columns=", ".join(missing)))
    return found


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores a numeric code like 12345 as 12345.0
    text = clean(str(value))
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]  # undo the apostrophe our CSV exports add to formula-like text
    return text


def _date(value: object) -> date | None:
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(gettext("ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1988)"))


# dd/mm/yyyy as people write it; ISO 1991-03-04 as other systems (and a CSV saved from them) give it.
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


_PLAIN_EMAIL = re.compile(r"([a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*)@([a-z0-9.-]+)")


@lru_cache(maxsize=512)
def _plain_domain_ok(domain: str) -> bool:
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain == domain
    except EmailNotValidError:
        return False


def normal_email(email: str) -> str:
    """The address lower-cased as ``validate_email`` normalises it; raises EmailNotValidError.

    A plain ASCII address (dot-atom local part) is checked here with its domain validated once per
    import, not once per row: the domain check is most of ``validate_email``'s cost, and a province's
    staff share a handful of domains. Anything else goes through ``validate_email`` itself.
    """
    lowered = email.lower()
    plain = _PLAIN_EMAIL.fullmatch(lowered)
    if plain and len(plain.group(1)) <= 64 and len(lowered) <= 254 and _plain_domain_ok(plain.group(2)):
        return lowered
    return validate_email(email, check_deliverability=False).normalized.lower()


_LINE = re.compile(r"\D*(\d+)")  # the row number that starts every located error, in either language


def _located(line: int, column: object, reason: str) -> str:
    return gettext("dòng %(line)s, cột %(column)s: %(reason)s", line=line, column=column, reason=reason)


def _limit(column) -> int:
    """The length the database allows for a column (varchar(n)): checked at preview, not at confirm."""
    return column.property.columns[0].type.length


def parse(frame: pd.DataFrame) -> tuple[list[Row], list[str]]:
    columns = _columns(frame)
    rows: list[Row] = []
    errors: list[str] = []
    today = local_today()
    for line, record in zip(frame.index, frame.to_dict("records"), strict=True):
        values = {name: record.get(header) for name, header in columns.items()}
        if all(_text(v) == "" for v in record.values()):
            continue  # blank rows are skipped

        def err(column: str, reason: str, line: int = line) -> None:
            header = clean(str(columns.get(column, COLUMNS[column])))
            errors.append(_located(line, header, reason))

        code = _text(values.get("code"))
        if not code:
            err("code", gettext("bắt buộc, không được để trống"))
        if "full_name" in columns and _text(values.get("full_name")):
            parts = _text(values.get("full_name")).split(" ")
            middle, given = " ".join(parts[:-1]), parts[-1]
        else:
            middle, given = _text(values.get("middle_name")), _text(values.get("given_name"))
        if not given:
            err("full_name" if "full_name" in columns else "given_name", gettext("bắt buộc, không được để trống"))
        try:
            birth = _date(values.get("birth_date"))
            if birth and not date(1930, 1, 1) <= birth <= today:
                err("birth_date", gettext("ngày sinh nằm ngoài khoảng hợp lý"))
        except ValueError as error:
            birth = None
            err("birth_date", str(error))
        email = _text(values.get("email")) or None
        if email:
            try:
                email = normal_email(email)
            except EmailNotValidError:
                err("email", gettext("“%(email)s” không phải địa chỉ e-mail hợp lệ", email=email))
        unit_code = _text(values.get("unit_code"))
        if not unit_code:
            err("unit_code", gettext("bắt buộc, không được để trống"))
        category = _CATEGORY_KEYS.get(_key(_text(values.get("category"))))
        if category is None:
            err("category", gettext("phải là một trong: cán bộ, công chức, viên chức, người lao động"))
        status_text = _key(_text(values.get("status")))
        if status_text and status_text not in STATUS_VALUES:
            err("status", gettext("phải là “đang làm việc” hoặc “nghỉ việc”"))
        active = STATUS_VALUES.get(status_text, True)
        dates: dict[str, date | None] = {}
        for name in ("joined_on", "left_on", "moved_on"):
            if name in columns:
                try:
                    dates[name] = _date(values.get(name))
                except ValueError as error:
                    err(name, str(error))
        joined, left, moved = dates.get("joined_on"), dates.get("left_on"), dates.pop("moved_on", None)
        if joined and left and left < joined:
            err("left_on", gettext("ngày thôi việc trước ngày vào đơn vị"))
        if left and left <= today:
            if status_text and active:
                err("left_on", gettext("đã thôi việc từ %(d)s nhưng cột Trạng thái ghi “đang làm việc”",
                                       d=left.strftime("%d/%m/%Y")))
            active = False
        if moved and moved > today:
            err("moved_on", gettext("không được sau hôm nay: hãy nhập việc chuyển đơn vị khi đã có hiệu lực"))
        position = _text(values.get("position"))
        name_column = "full_name" if "full_name" in columns else None
        for column, value, limit in (("code", code, _limit(Person.employee_code)),
                                     (name_column or "middle_name", middle, _limit(Person.middle_name)),
                                     (name_column or "given_name", given, _limit(Person.given_name)),
                                     ("email", email or "", _limit(Person.email)),
                                     ("unit_code", unit_code, _limit(Unit.code)),
                                     ("position", position, _limit(Person.position))):
            if len(value) > limit:
                err(column, gettext("dài quá %(n)s ký tự", n=limit))
        rows.append(Row(line, code, middle, given, birth, email, unit_code, position,
                        category.value if category else "", active, dates, moved))
    return rows, errors


def plan(data: bytes, filename: str, scope: ColumnElement[bool] | None = None) -> ImportPlan:
    """Read, validate against the database and work out what would change. Writes nothing."""
    result = ImportPlan()
    rows, result.errors = parse(read_table(data, filename, headers()))
    if not rows and not result.errors:
        raise ImportRejected(gettext("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    result.rows = rows
    scope = scope if scope is not None else true()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    # Codes match whatever their case ("x-baichay" is X-BAICHAY); an exact match wins over a folded one.
    folded = {code.casefold(): u for code, u in sorted(units.items(), reverse=True)}
    in_scope = set(db.session.scalars(select(Unit.id).where(scope)))
    # Plain rows, not ORM objects: comparing 60,000 people needs their values only.
    people = {p.employee_code: p for p in db.session.execute(select(
        Person.id, Person.employee_code, *(getattr(Person, name) for name in _FIELDS)))}
    emails = {p.email: p.employee_code for p in people.values() if p.email}
    seen_codes: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    today = local_today()
    for row in rows:
        def err(column: str, reason: str, row: Row = row) -> None:
            result.errors.append(_located(row.line, COLUMNS[column], reason))

        if row.code:
            if row.code in seen_codes:
                err("code", gettext("mã “%(code)s” bị trùng với dòng %(line)s", code=row.code,
                                    line=seen_codes[row.code]))
            seen_codes.setdefault(row.code, row.line)
        if row.email:
            if row.email in seen_emails:
                err("email", gettext("e-mail bị trùng với dòng %(line)s", line=seen_emails[row.email]))
            elif emails.get(row.email, row.code) != row.code:
                err("email", gettext("e-mail đã được dùng cho cán bộ mã %(code)s", code=emails[row.email]))
            seen_emails.setdefault(row.email, row.line)
        unit = units.get(row.unit_code) or folded.get(row.unit_code.casefold())
        if unit is not None:
            row.unit_code = unit.code  # as the database writes it (the preview, ``apply``)
        existing = people.get(row.code)
        # A former employee of a dissolved unit may stay listed there (an exported list re-imported);
        # nobody can be placed in, or be active in, a unit that no longer exists.
        kept_history = existing is not None and unit is not None and existing.unit_id == unit.id and not row.active
        if row.unit_code and unit is None:
            err("unit_code", gettext("không có đơn vị mã “%(code)s”", code=row.unit_code))
        elif unit is not None and unit.valid_to is not None and unit.valid_to < today and not kept_history:
            err("unit_code", gettext("đơn vị “%(code)s” đã giải thể từ %(d)s", code=row.unit_code,
                                     d=unit.valid_to.strftime("%d/%m/%Y")))
        elif unit is not None and unit.id not in in_scope:
            err("unit_code", gettext("đơn vị “%(code)s” ngoài phạm vi bạn được quản lý", code=row.unit_code))
        if existing is not None and existing.unit_id not in in_scope:
            err("code", gettext("cán bộ “%(code)s” thuộc đơn vị ngoài phạm vi bạn được quản lý", code=row.code))
    result.errors.sort(key=lambda e: int(_LINE.match(e).group(1)))
    if result.errors:
        return result
    for row in rows:
        existing = people.get(row.code)
        if existing is None:
            result.created.append(row)
            continue
        changes = _changes(existing, row, units[row.unit_code].id)
        if changes:
            result.updated.append((row, existing, changes))
            if existing.active and not row.active:
                result.deactivated += 1
            result.moved += "unit_id" in changes
        else:
            result.unchanged += 1
    return result


_FIELDS = ("middle_name", "given_name", "birth_date", "email", "unit_id", "position", "category", "active",
           "joined_on", "left_on")
_DATES = ("joined_on", "left_on")


def _fields(row: Row, unit_id: int) -> dict[str, object]:
    return {"middle_name": row.middle_name, "given_name": row.given_name, "birth_date": row.birth_date,
            "email": row.email, "unit_id": unit_id, "position": row.position,
            "category": row.category, "active": row.active, **row.dates}


def _changes(person: Person, row: Row, unit_id: int) -> list[str]:
    return [name for name, value in _fields(row, unit_id).items() if getattr(person, name) != value]


def apply(result: ImportPlan) -> dict[str, int]:
    """Write a valid plan in bulk; the caller commits (or rolls back on any error)."""
    if not result.ok:
        raise ValueError("cannot apply a plan with errors")
    units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
    now = utcnow()
    new_rows = [{"employee_code": row.code, "created_at": now, "updated_at": now, **dict.fromkeys(_DATES),
                 **_fields(row, units[row.unit_code])} for row in result.created]
    for start in range(0, len(new_rows), 5000):
        db.session.execute(insert(Person), new_rows[start:start + 5000])
    # A date column the file lacks keeps the person's value; a move is a new membership row (org.history).
    changed = [{"person_id": person.id, "updated_at": now, **{name: getattr(person, name) for name in _DATES},
                **_fields(row, units[row.unit_code])} for row, person, _ in result.updated]
    today = local_today()
    moves = [(person.id, units[row.unit_code], row.moved_on or today)
             for row, person, changes in result.updated if "unit_id" in changes]
    if changed:
        table = Person.__table__
        # Emails move between people within one file: clear the changing ones first so no unique
        # check trips.
        moving = [{"person_id": person.id} for _row, person, changes in result.updated if "email" in changes]
        if moving:
            db.session.execute(update(table).where(table.c.id == bindparam("person_id")).values(email=None),
                               moving)
        statement = update(table).where(table.c.id == bindparam("person_id")).values(
            {name: bindparam(name) for name in ("updated_at", *_FIELDS)})
        for start in range(0, len(changed), 5000):
            db.session.execute(statement, changed[start:start + 5000])
    record_moves(db.session, moves)
    db.session.expire_all()
    return result.summary()


def template_rows() -> Iterable[list[object]]:
    yield ["CB000123", "Nguyễn Thị", "Lan", "05/09/1988", "lan.nt@example.gov.vn", "X-BAICHAY",
           "Công chức Văn phòng - Thống kê", "công chức", "đang làm việc", "01/07/2025", "", ""]
