"""Changes to the unit tree from Excel or CSV: one change per row, in file order, all or nothing.

The file is read like a staff list (``org.table_files``), each row is checked on its own ("dòng N, cột X: …"),
then the rows are run through the very services the unit pages use (``org.units``) inside a savepoint that is
rolled back: the preview reports exactly what the confirmation will do, including a row that refers to a
unit created a few rows above, and a row the tree cannot take ("dòng N: …") fails the whole file.

Columns (headers as in the template, in any order; see docs/unit-import.md):

- Mã đơn vị (always), Thao tác (always): tạo | đổi tên | chuyển | sáp nhập vào | giải thể
- Tên đơn vị (tạo, đổi tên), Loại đơn vị (tạo), Mã đơn vị cấp trên (tạo: blank = top level; chuyển)
- Mã đơn vị tiếp nhận (sáp nhập vào)
- Ngày hiệu lực, dd/mm/yyyy, the first day of the new state: tạo (optional: the unit works from that day),
  đổi tên (the new name from that day), sáp nhập vào (people belong to the receiving unit from that day; the
  merged unit's last day is the day before), giải thể (the unit's last day is the day before). Not used by
  chuyển: the tree keeps only where a unit is now.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from flask_babel import gettext
from sqlalchemy import func, select

from learning.auth.models import Account
from learning.auth.permissions import Action, can, has_province_scope, may_restructure
from learning.core.spreadsheet import add_sheet, new_workbook
from learning.core.text import clean
from learning.extensions import db
from learning.org import units
from learning.org.importer import _date, _key, _located, _text
from learning.org.models import UNIT_KIND_LABELS, Unit, UnitKind
from learning.org.table_files import Headers, ImportRejected, read_table

COLUMNS = {
    "code": "Mã đơn vị",
    "action": "Thao tác",
    "name": "Tên đơn vị",
    "kind": "Loại đơn vị",
    "parent": "Mã đơn vị cấp trên",
    "target": "Mã đơn vị tiếp nhận",
    "on": "Ngày hiệu lực",
}
TEMPLATE_HEADERS = list(COLUMNS.values())
# The words of the "Thao tác" column → the change, and (as written in the template) its label.
ACTIONS = {"tạo": "create", "tạo mới": "create", "đổi tên": "rename", "chuyển": "move", "chuyển đơn vị": "move",
           "sáp nhập vào": "merge", "sáp nhập": "merge", "giải thể": "dissolve"}
ACTION_WORDS = {"create": "tạo", "rename": "đổi tên", "move": "chuyển", "merge": "sáp nhập vào",
                "dissolve": "giải thể"}
# Which columns each change needs.
NEEDS = {"create": ("name", "kind"), "rename": ("name", "on"), "move": ("parent",), "merge": ("target", "on"),
         "dissolve": ("on",)}
SUMMARY_KEYS = {"create": "created", "rename": "renamed", "move": "moved", "merge": "merged",
                "dissolve": "dissolved"}


def _plain(text: object) -> str:
    """A kind as people write it: case, commas and the historical note in brackets do not matter."""
    return _key(re.sub(r"\(.*?\)|[,;]", " ", str(text)))


_KINDS = {**{_plain(label): kind.value for kind, label in UNIT_KIND_LABELS.items()},
          **{kind.value: kind.value for kind in UnitKind}}
_HEADERS = {_key(header): name for name, header in COLUMNS.items()}
_ACTIONS = {_key(word): action for word, action in ACTIONS.items()}


@dataclass
class UnitRow:
    line: int
    action: str
    code: str
    name: str = ""
    kind: str = ""
    parent: str = ""
    target: str = ""
    on: date | None = None

    @property
    def action_word(self) -> str:
        return ACTION_WORDS[self.action]


@dataclass
class UnitPlan:
    rows: list[UnitRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(SUMMARY_KEYS.values(), 0)
        for row in self.rows:
            counts[SUMMARY_KEYS[row.action]] += 1
        return counts | {"errors": len(self.errors)}


def _missing(found: set[str]) -> list[str]:
    return [COLUMNS[c] for c in ("code", "action") if c not in found]


HEADERS = Headers(_HEADERS, _missing, ", ".join(_missing(set())))


def parse(frame: pd.DataFrame) -> tuple[list[UnitRow], list[str]]:
    """Each row checked on its own: the columns its change needs, dates, lengths."""
    columns: dict[str, object] = {}
    for header in frame.columns:
        name = _HEADERS.get(_key(header))
        if name and name not in columns:
            columns[name] = header
    missing = _missing(set(columns))
    if missing:
        raise ImportRejected(gettext("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.", columns=", ".join(missing)))
    rows, errors = [], []
    limits = {"code": 40, "parent": 40, "target": 40, "name": 255}
    for line, record in zip(frame.index, frame.to_dict("records"), strict=True):
        if all(_text(v) == "" for v in record.values()):
            continue

        def err(column: str, reason: str, line: int = line) -> None:
            errors.append(_located(line, clean(str(columns.get(column, COLUMNS[column]))), reason))

        values = {name: _text(record.get(header)) for name, header in columns.items() if name != "on"}
        action = _ACTIONS.get(_key(values.get("action", "")))
        if action is None:
            err("action", gettext("phải là một trong: tạo, đổi tên, chuyển, sáp nhập vào, giải thể"))
        if not values.get("code"):
            err("code", gettext("bắt buộc, không được để trống"))
        row = UnitRow(line, action or "", values.get("code", ""), values.get("name", ""), "",
                      values.get("parent", ""), values.get("target", ""))
        try:
            row.on = _date(record.get(columns["on"])) if "on" in columns else None
        except ValueError as error:
            err("on", str(error))
            row.on = date.min  # present but unreadable: not "missing" as well
        if values.get("kind"):
            row.kind = _KINDS.get(_plain(values["kind"]), "")
            if not row.kind:
                err("kind", gettext("phải là một trong: %(kinds)s",
                                    kinds="; ".join(gettext(label) for label in UNIT_KIND_LABELS.values())))
        for column in NEEDS.get(action, ()):
            present = row.on is not None if column == "on" else bool(values.get(column))
            if not present:
                err(column, gettext("bắt buộc với thao tác “%(action)s”", action=ACTION_WORDS[action]))
        for column, limit in limits.items():
            if len(values.get(column, "")) > limit:
                err(column, gettext("dài quá %(n)s ký tự", n=limit))
        if action is not None:
            rows.append(row)
    return rows, errors


def _find(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower())) if code else None


class _Refused(Exception):
    pass


def _unit(code: str, account: Account | None, restructure: bool = False) -> Unit:
    """The unit of a code, in the account's scope (None: the operator CLI, the whole province)."""
    unit = _find(code)
    if unit is None:
        raise _Refused(gettext("không có đơn vị mã “%(code)s”", code=code))
    if account is not None:
        allowed = may_restructure(account, unit) if restructure else can(account, Action.MANAGE_UNITS, unit)
        if not allowed:
            raise _Refused(gettext("đơn vị “%(code)s” ngoài phạm vi bạn được quản lý", code=unit.code)
                           if not can(account, Action.MANAGE_UNITS, unit) else
                           gettext("chỉ người quản lý đơn vị cấp trên của “%(code)s” mới được chuyển, sáp nhập "
                                   "hoặc giải thể đơn vị này", code=unit.code))
    return unit


def _run_row(row: UnitRow, account: Account | None) -> None:
    by = account
    if row.action == "create":
        parent = _unit(row.parent, account) if row.parent else None
        if parent is None and account is not None and not has_province_scope(account, Action.MANAGE_UNITS):
            raise _Refused(gettext("hãy ghi mã đơn vị cấp trên trong phạm vi bạn được quản lý"))
        units.create_unit(row.code, row.name, row.kind, parent, row.on, by)
    elif row.action == "rename":
        units.rename_unit(_unit(row.code, account), row.name, row.on, by)
    elif row.action == "move":
        unit = _unit(row.code, account, restructure=True)
        units.move_unit(unit, _unit(row.parent, account), by)
    elif row.action == "merge":
        unit = _unit(row.code, account, restructure=True)
        units.merge_unit(unit, _unit(row.target, account), row.on, by)
    else:
        units.dissolve_unit(_unit(row.code, account, restructure=True), row.on - timedelta(days=1), by)


def run(rows: Iterable[UnitRow], account: Account | None) -> list[str]:
    """Apply the rows in order; returns "dòng N: …" for each row the tree refused (the caller rolls back)."""
    errors = []
    for row in rows:
        try:
            _run_row(row, account)
        except (units.UnitError, _Refused) as error:
            errors.append(gettext("dòng %(line)s (%(action)s %(code)s): %(reason)s", line=row.line,
                                  action=row.action_word, code=row.code, reason=str(error)))
    return errors


def plan(data: bytes, filename: str, account: Account | None = None) -> UnitPlan:
    """Read and check the file, then try every row in a savepoint that is rolled back. Writes nothing."""
    result = UnitPlan()
    result.rows, result.errors = parse(read_table(data, filename, HEADERS))
    if not result.rows and not result.errors:
        raise ImportRejected(gettext("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if result.errors:
        return result
    savepoint = db.session.begin_nested()
    try:
        result.errors = run(result.rows, account)
    finally:
        savepoint.rollback()
    db.session.expire_all()
    return result


def apply(result: UnitPlan, account: Account | None = None) -> dict[str, int]:
    """Write a checked plan (each change audit-logged by ``org.units``); the caller commits. Raises
    ``ImportRejected`` if a row is refused now (the data changed since the preview): the caller rolls back."""
    if not result.ok:
        raise ValueError("cannot apply a plan with errors")
    errors = run(result.rows, account)
    if errors:
        raise ImportRejected("; ".join(errors))
    return result.summary()


def template_rows() -> Iterable[list[object]]:
    yield ["STP-PCTT", "tạo", "Phòng Phổ biến, giáo dục pháp luật", "Phòng, ban", "STP", "", "01/01/2026"]
    yield ["STTTT", "đổi tên", "Sở Khoa học và Công nghệ", "", "", "", "01/03/2025"]
    yield ["STP-PCTT", "chuyển", "", "", "SNV", "", ""]
    yield ["SKHDT", "sáp nhập vào", "", "", "", "STC", "01/03/2025"]
    yield ["H-HOANHBO", "giải thể", "", "", "", "", "01/07/2025"]


def template_xlsx() -> bytes:
    """The downloadable template: the headers and one example row of each change."""
    workbook = new_workbook()
    add_sheet(workbook, "Đơn vị", TEMPLATE_HEADERS, template_rows(), widths=[14, 14, 40, 20, 18, 20, 14])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
