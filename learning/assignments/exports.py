"""Compliance tables as Excel/CSV, and the per-unit PDF report for the leadership (in Vietnamese, whatever
the language of the page they are downloaded from)."""

from __future__ import annotations

import io
from datetime import date

from flask import current_app, render_template

from learning.assignments.queries import PersonStatus, UnitRow
from learning.core.dates import to_local
from learning.core.i18n import vietnamese
from learning.core.pdf import layout_pdf
from learning.core.spreadsheet import add_sheet, new_workbook, to_csv
from learning.core.text import vi_sort_key
from learning.org.models import Unit
from learning.progress.labels import Tally

UNIT_HEADERS = ["Mã đơn vị", "Đơn vị", "Lượt phải học", "Đã đạt", "Tỷ lệ hoàn thành (%)", "Đúng hạn",
                "Quá hạn", "Chưa học", "Đang học", "Hết hạn chứng nhận", "Điểm trung bình", "Được miễn"]
PEOPLE_HEADERS = ["Mã cán bộ", "Họ đệm", "Tên", "Đơn vị", "Loại", "Khóa học", "Hạn hoàn thành",
                  "Trạng thái", "Ngày đạt", "Điểm"]
SORTS = {
    "ten": lambda r: vi_sort_key(r.unit.name),
    "ty-le": lambda r: (-(r.tally.completion_rate or 0), vi_sort_key(r.unit.name)),
    "ty-le-tang": lambda r: (r.tally.completion_rate if r.tally.completion_rate is not None else 2,
                             vi_sort_key(r.unit.name)),
    "qua-han": lambda r: (-r.tally.overdue, vi_sort_key(r.unit.name)),
}


def sort_unit_rows(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    return sorted(rows, key=SORTS.get(sort, SORTS["ten"]))


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _unit_line(unit: Unit, tally: Tally, label: str | None = None) -> list[object]:
    return [unit.code, label or unit.name, tally.total, tally.passed, _pct(tally.completion_rate), tally.on_time,
            tally.overdue, tally.not_started, tally.in_progress, tally.expired,
            None if tally.average_score is None else round(tally.average_score, 1), tally.exempt]


def unit_table(node: Unit, total: Tally, rows: list[UnitRow], fmt: str) -> bytes:
    lines = [_unit_line(node, total)] + [_unit_line(r.unit, r.tally, r.label) for r in rows]
    if fmt == "csv":
        return to_csv(UNIT_HEADERS, lines)
    workbook = new_workbook()
    add_sheet(workbook, "Tuân thủ theo đơn vị", UNIT_HEADERS, lines,
              widths=[12, 40, 10, 10, 12, 10, 10, 10, 10, 12, 12, 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _person_line(item: PersonStatus) -> list[object]:
    completed = to_local(item.completed_at).date() if item.completed_at else None
    return [item.person.employee_code, item.person.middle_name, item.person.given_name,
            item.person.unit.name, item.person.category_label, item.assignment.course.title,
            item.own_due, item.status.label, completed,
            None if item.score is None else round(item.score, 1)]


@vietnamese()
def people_table(items: list[PersonStatus], fmt: str) -> bytes:
    lines = [_person_line(item) for item in items]
    if fmt == "csv":
        return to_csv(PEOPLE_HEADERS, lines)
    workbook = new_workbook()
    add_sheet(workbook, "Cán bộ", PEOPLE_HEADERS, lines, widths=[12, 20, 10, 30, 14, 40, 14, 16, 12, 8])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@vietnamese()
def report_html(view, found, late, today: date, prepared_by: str | None = None) -> str:
    """``found``: the unit's ``queries.Summary`` (every section is the unit's subtree); ``prepared_by``: the name
    printed under "Người lập biểu"."""
    return render_template("assignments/report_pdf.html", view=view, total=found.total, rows=found.rows,
                           by_course=found.by_course, people_counts=found.people, expiring=found.expiring,
                           late=late, today=today, prepared_by=prepared_by,
                           place=current_app.config["ORG_PLACE"])


def pdf_document(html: str):  # noqa: ANN201 - a weasyprint Document (its pages are laid out)
    return layout_pdf(html)


def report_pdf(view, found, late, today: date, prepared_by: str | None = None) -> bytes:
    return pdf_document(report_html(view, found, late, today, prepared_by)).write_pdf()
