"""The Excel list of certificates that goes with a ZIP of PDFs (in Vietnamese, like the certificates)."""

from __future__ import annotations

from flask import current_app
from openpyxl import Workbook
from sqlalchemy import select

from learning.certification.models import Certificate
from learning.certification.services import verify_url
from learning.core.dates import local_today, to_local
from learning.core.i18n import vietnamese
from learning.core.spreadsheet import add_sheet, new_workbook
from learning.extensions import db

HEADERS = ["Số hiệu", "Họ và tên", "Mã cán bộ", "Đơn vị (khi cấp)", "Khóa học", "Phiên bản",
           "Điểm", "Ngày cấp", "Có giá trị đến", "Trạng thái", "Lý do thu hồi", "Mã xác thực",
           "Đường dẫn xác thực", "SHA-256 của PDF"]


def certificate_rows(ids: list[int]):
    today = local_today()
    expiring = current_app.config.get("CERT_EXPIRING_DAYS", 30)
    base = current_app.config["BASE_URL"]
    for start in range(0, len(ids), 1000):
        for cert in db.session.scalars(select(Certificate).where(Certificate.id.in_(ids[start:start + 1000]))
                                       .order_by(Certificate.serial)):
            yield [cert.serial, cert.person_name, cert.person.employee_code, cert.unit_name,
                   cert.course_title, cert.course_version_number, round(cert.score, 1),
                   to_local(cert.issued_at).date(), cert.valid_until,
                   cert.status_on(today, expiring).label, cert.revoke_reason, cert.code,
                   verify_url(base, cert.code), cert.pdf_sha256]


@vietnamese()
def certificate_workbook(ids: list[int]) -> Workbook:
    workbook = new_workbook()
    add_sheet(workbook, "Chứng nhận", HEADERS, certificate_rows(ids),
              widths=[18, 26, 12, 30, 40, 9, 8, 12, 13, 16, 24, 20, 44, 30])
    return workbook
