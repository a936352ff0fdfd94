"""Evidence behind a unit's PAR points: who was assigned what, and what proves completion.

Rows, the workbook and the PDF are Vietnamese whatever the page's language: rows are frozen with a period
and matched against the status labels again when the workbook is built."""

from __future__ import annotations

import io
from datetime import date

from flask import current_app, render_template
from sqlalchemy import and_, func, select

from learning.assignments.models import Assignment
from learning.auth.permissions import Reach, par_reach
from learning.certification.models import Certificate, StoredStatus
from learning.certification.services import verify_url
from learning.core.dates import local_today, to_local
from learning.core.i18n import vietnamese
from learning.core.pdf import render_pdf
from learning.core.spreadsheet import add_sheet, new_workbook
from learning.extensions import db
from learning.org.models import Person, Unit
from learning.org.units import names_on
from learning.par.rubric import INDICATORS, Rubric
from learning.progress.engine import status_rows
from learning.progress.labels import Status

HEADERS = ["Mã cán bộ", "Họ và tên", "Đơn vị", "Khóa học", "Hạn", "Trạng thái", "Ngày đạt", "Điểm",
           "Đúng hạn", "Có chứng nhận còn hiệu lực", "Số hiệu chứng nhận", "Đường dẫn xác thực"]
# Which evidence rows count toward each indicator's numerator.
COUNTS_FOR = {
    "on_time_rate": lambda r: r[8] == "có",
    "completion_rate": lambda r: r[5] == Status.PASSED.label,
    "certified_rate": lambda r: r[9] == "có",
    "average_score": lambda r: r[7] is not None,
    "overdue_rate": lambda r: r[5] == Status.OVERDUE.label,
    "training_hours": lambda r: r[5] == Status.PASSED.label,
}


@vietnamese()
def rows_for(period: int, unit_id: int, today: date | None = None) -> list[list]:
    """JSON-safe evidence rows for one assessed unit (its subtree) and period."""
    today = today or local_today()
    unit = db.session.get(Unit, unit_id)
    assignments = list(db.session.scalars(select(Assignment).where(
        Assignment.active.is_(True), Assignment.period == period)))
    if not assignments or unit is None:
        return []
    reference = min(today, date(period, 12, 31))
    rows = status_rows(assignments, today, Unit.path.startswith(unit.path, autoescape=True), reference).subquery()
    latest = (select(Certificate.person_id, Certificate.course_id, func.max(Certificate.id).label("id"))
              .where(Certificate.stored_status == StoredStatus.VALID)
              .group_by(Certificate.person_id, Certificate.course_id).subquery())
    by_id = {a.id: a for a in assignments}
    query = (select(rows, Person, Certificate.serial, Certificate.code)
             .join(Person, Person.id == rows.c.person_id)
             .outerjoin(latest, and_(latest.c.person_id == rows.c.person_id,
                                     latest.c.course_id == select(Assignment.course_id)
                                     .where(Assignment.id == rows.c.assignment_id).scalar_subquery()))
             .outerjoin(Certificate, Certificate.id == latest.c.id)
             .order_by(Person.given_name.collate("vi"), Person.middle_name.collate("vi"), rows.c.assignment_id))
    base = current_app.config["BASE_URL"]
    found = db.session.execute(query).all()
    # Each row names the unit the person counted in during the period, by its name then (not where they are
    # today), and the person's own due date (a joiner's, an extension's), as the figures count them.
    names = names_on({row.unit_id for row in found}, reference)
    result = []
    for row in found:
        assignment = by_id[row.assignment_id]
        completed = to_local(row.completed_at).date().isoformat() if row.completed_at else None
        result.append([row.Person.employee_code, row.Person.full_name, names[row.unit_id],
                       assignment.course.title, row.due_on.isoformat(), Status(row.status).label,
                       completed, None if row.score is None else round(row.score, 1),
                       "có" if row.on_time else "không", "có" if row.certified else "không",
                       row.serial or "", verify_url(base, row.code) if row.code else ""])
    return result


def rows_for_viewer(account, period: int, unit_id: int, snapshot=None) -> list[list]:  # noqa: ANN001
    """The person rows of one unit's evidence for a viewer, frozen (``snapshot``) or live.

    Refused (PermissionError) unless the unit lies inside the viewer's PAR scope: the totals of a unit
    containing the scope may be shown, its people may not (permissions.par_reach)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or par_reach(account, unit.path) is not Reach.PEOPLE:
        raise PermissionError(unit_id)
    if snapshot is not None:
        return snapshot.data["evidence"].get(str(unit_id), [])
    return rows_for(period, unit_id)


def _dates(row: list) -> list:
    out = list(row)
    for i in (4, 6):
        out[i] = date.fromisoformat(out[i]) if out[i] else None
    return out


def _counted(row: list, marker) -> str:  # noqa: ANN001
    """The last column of a criterion sheet: an exempt person is in neither the numerator nor the
    denominator, and says so."""
    if row[5] == Status.EXEMPT.label:
        return "không (được miễn, không tính vào mẫu số)"
    return "có" if marker(row) else "không"


@vietnamese()
def workbook(period: int, score, rubric: Rubric, rows: list[list]) -> bytes:
    """Summary sheet (the assessors' table) plus one sheet per criterion with its people."""
    book = new_workbook()
    summary = []
    for criterion in rubric.criteria:
        value = score.indicators[criterion.indicator]
        summary.append([criterion.code, criterion.title, INDICATORS[criterion.indicator],
                        None if value is None else round(value * 100, 2) if criterion.indicator.endswith("_rate")
                        else round(value, 2), criterion.max_points, score.points[criterion.code],
                        score.verified.get(criterion.code), score.notes.get(criterion.code, "")])
    summary.append(["", "Tổng", "", None, rubric.max_points, score.total, score.verified_total, ""])
    add_sheet(book, "Tổng hợp", ["Mã", "Tiêu chí", "Chỉ số", "Giá trị (tỷ lệ tính %)", "Điểm tối đa",
                                 "Điểm tính từ số liệu", "Điểm thẩm định", "Ghi chú"], summary,
              widths=[8, 60, 30, 16, 12, 14, 14, 30])
    counts = score.counts
    add_sheet(book, "Số liệu", ["Đơn vị", "Kỳ", "Lượt phải học", "Đã đạt", "Đúng hạn", "Quá hạn",
                                "Có chứng nhận còn hiệu lực", "Số người", "Được miễn"],
              [[score.name, period, counts.assigned, counts.passed, counts.on_time, counts.overdue,
                counts.certified, counts.people, counts.exempt]], widths=[40, 8, 14, 10, 10, 10, 16, 10, 10])
    for criterion in rubric.criteria:
        marker = COUNTS_FOR[criterion.indicator]
        add_sheet(book, f"TC {criterion.code}", [*HEADERS, "Tính vào tử số"],
                  ([*_dates(r), _counted(r, marker)] for r in rows),
                  widths=[12, 26, 28, 36, 11, 14, 11, 7, 9, 12, 16, 44, 12])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@vietnamese()
def summary_pdf(period: int, score, rubric: Rubric, frozen: bool, prepared_by: str | None = None) -> bytes:
    html = render_template("par/summary_pdf.html", period=period, score=score, rubric=rubric,
                           frozen=frozen, today=local_today(), indicators=INDICATORS, prepared_by=prepared_by,
                           place=current_app.config["ORG_PLACE"])
    return render_pdf(html)
