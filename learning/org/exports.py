"""Everyone (in scope) with the import headers, as CSV or Excel."""

from __future__ import annotations

import io
from collections.abc import Iterator

from sqlalchemy import ColumnElement, select

from learning.core.spreadsheet import add_sheet, new_workbook, to_csv
from learning.extensions import db
from learning.org.importer import TEMPLATE_HEADERS
from learning.org.models import CATEGORY_LABELS, Person, Unit
from learning.org.queries import name_order


def staff_rows(scope: ColumnElement[bool]) -> Iterator[list[object]]:
    query = (select(Person, Unit.code).join(Unit, Unit.id == Person.unit_id).where(scope)
             .order_by(*name_order()).execution_options(yield_per=2000))
    for person, unit_code in db.session.execute(query):
        yield [person.employee_code, person.middle_name, person.given_name, person.birth_date,
               person.email or "", unit_code, person.position,
               CATEGORY_LABELS[person.category].lower(),
               "đang làm việc" if person.active else "nghỉ việc", person.joined_on, person.left_on, None]


def staff_csv(scope: ColumnElement[bool]) -> bytes:
    return to_csv(TEMPLATE_HEADERS, staff_rows(scope))


def staff_xlsx(scope: ColumnElement[bool], rows=None) -> bytes:
    workbook = new_workbook()
    add_sheet(workbook, "Cán bộ", TEMPLATE_HEADERS, rows if rows is not None else staff_rows(scope),
              widths=[12, 22, 10, 12, 30, 12, 30, 16, 16, 14, 14, 14])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
