"""Every web export of personal data asks why first, with a plain form that works without JavaScript."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from learning.assignments import services as assignment_services
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db
from tests.factories import EXPORT_PURPOSE

# endpoint → URL of each web export of personal data (the certificate ZIP is a POST from its list page)
EXPORTS = {
    "staff.export": "/can-bo/xuat.csv",
    "assignments.export_units": "/tuan-thu/xuat.xlsx?nam=2026&don-vi={unit}",
    "assignments.export_people": "/tuan-thu/can-bo/xuat.csv?nam=2026&don-vi={unit}&trang-thai=overdue",
    "assignments.report_pdf": "/tuan-thu/bao-cao.pdf?nam=2026&don-vi={unit}",
    "par.evidence_file": "/cchc/2026/don-vi/{unit}/minh-chung.pdf",
}


@pytest.fixture
def hr(client, login, create_account, province, create_unit, create_person, create_course_version):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    create_person("Lê Văn An", unit=dept)
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 12, 31))
    db.session.commit()
    login(create_account((Role.HR, None)))
    return {"unit": dept.id}


def _exports_logged() -> int:
    return len(list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("%export%")))))


@pytest.mark.parametrize("endpoint", sorted(EXPORTS))
def test_an_export_link_opens_the_purpose_form_and_keeps_the_filters(client, hr, endpoint):
    url = EXPORTS[endpoint].format(**hr)
    page = client.get(url)
    assert page.status_code == 200 and "Mục đích xuất dữ liệu" in page.text
    assert 'method="post"' in page.text and f'action="{url}"'.replace("&", "&amp;") in page.text
    assert 'name="purpose"' in page.text and 'name="note"' in page.text and 'name="csrf_token"' in page.text
    assert "Báo cáo cấp trên, cơ quan quản lý" in page.text and "Khác (ghi rõ bên dưới)" in page.text
    assert page.headers["Content-Type"].startswith("text/html") and _exports_logged() == 0


@pytest.mark.parametrize("endpoint", sorted(EXPORTS))
def test_an_export_without_a_purpose_sends_nothing_and_says_what_is_missing(client, hr, endpoint):
    url = EXPORTS[endpoint].format(**hr)
    missing = client.post(url, data={})
    assert missing.status_code == 400 and "Hãy chọn mục đích xuất dữ liệu." in missing.text
    vague = client.post(url, data={"purpose": "khac", "note": "abc"})
    assert vague.status_code == 400 and "ít nhất 5 ký tự" in vague.text
    forged = client.post(url, data={"purpose": "vi-sao-cung-duoc"})
    assert forged.status_code == 400
    assert _exports_logged() == 0
    done = client.post(url, data={"purpose": "khac", "note": "Thanh tra Sở Nội vụ yêu cầu"})
    assert done.status_code == 200 and "attachment" in done.headers["Content-Disposition"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("%export%")))
    assert event.detail["purpose"] == "Khác (ghi rõ bên dưới)"
    assert event.detail["purpose_note"] == "Thanh tra Sở Nội vụ yêu cầu"


def test_the_certificate_zip_asks_its_purpose_on_the_list_page_and_keeps_the_filters(client, hr):
    page = client.get("/quan-ly/chung-nhan?don-vi=STP").text
    assert 'name="purpose"' in page and 'name="note"' in page
    missing = client.post("/quan-ly/chung-nhan/xuat", data={"don-vi": "STP", "nam": "2026"})
    assert missing.status_code == 400 and "Hãy chọn mục đích xuất dữ liệu." in missing.text
    assert 'name="don-vi" value="STP"' in missing.text and 'name="nam" value="2026"' in missing.text
    done = client.post("/quan-ly/chung-nhan/xuat", data={"don-vi": "STP", **EXPORT_PURPOSE})
    assert done.status_code == 302 and "/cong-viec/" in done.location


def test_an_api_token_declares_its_purpose(client, login, create_account):
    login(create_account((Role.ADMIN, None)))
    refused = client.post("/quan-tri/api", data={"name": "Phần mềm CCHC"})
    assert refused.status_code == 400 and "Hãy ghi mục đích" in refused.text
    issued = client.post("/quan-tri/api", data={"name": "Phần mềm CCHC", "purpose": "Đồng bộ kết quả bồi dưỡng"})
    assert issued.status_code == 200 and "hcv_" in issued.text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.token_issued"))
    assert event.detail["purpose"] == "Đồng bộ kết quả bồi dưỡng"
