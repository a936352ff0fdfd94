"""PAR evidence: totals of a unit containing the viewer's scope may be shown, person rows only inside it."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from learning.api import services as api_services
from learning.assessment.models import Attempt
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.core.dates import utcnow
from learning.extensions import db
from learning.par import services
from tests.factories import EXPORT_PURPOSE


@pytest.fixture
def org(province, create_unit, create_person, create_completion, create_course_version):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept, code="STP-1")
    other_office = create_unit("Phòng Bổ trợ tư pháp", parent=dept, code="STP-2")
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    inside = create_person("Lê Văn Trong", unit=office)
    outside = create_person("Vũ Thị Bênngoài", unit=other_office)
    create_completion(inside, version, completed_at=datetime(2026, 3, 1))
    create_completion(outside, version, completed_at=datetime(2026, 3, 1))
    db.session.commit()
    return {"dept": dept, "office": office, "inside": inside, "outside": outside, "version": version}


def _workbook_names(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data))
    return {row[1] for row in book["TC 4.1"].iter_rows(min_row=2, values_only=True)}


def test_office_head_sees_department_totals_but_not_its_people(app, client, login, create_account, org):
    login(create_account((Role.UNIT_HEAD, org["office"]), unit=org["office"]))
    dept_id = org["dept"].id
    assert "Sở Tư pháp" in client.get("/cchc?nam=2026").text
    page = client.get(f"/cchc/2026/don-vi/{dept_id}")
    assert page.status_code == 200 and "minh-chung.xlsx" not in page.text
    assert "không xem được danh sách từng cán bộ" in page.text
    assert client.get(f"/cchc/2026/don-vi/{dept_id}/minh-chung.xlsx").status_code == 403
    refused = client.post(f"/cchc/2026/don-vi/{dept_id}/minh-chung.xlsx", data=EXPORT_PURPOSE)
    assert refused.status_code == 403 and "Bênngoài" not in refused.text
    summary = client.post(f"/cchc/2026/don-vi/{dept_id}/minh-chung.pdf", data=EXPORT_PURPOSE)
    assert summary.status_code == 200 and summary.data.startswith(b"%PDF")


def test_frozen_evidence_of_an_ancestor_is_refused_too(app, client, login, create_account, org):
    services.freeze(2026, None)
    db.session.commit()
    login(create_account((Role.UNIT_HEAD, org["office"]), unit=org["office"]))
    assert client.post(f"/cchc/2026/don-vi/{org['dept'].id}/minh-chung.xlsx",
                       data=EXPORT_PURPOSE).status_code == 403


def test_department_head_and_assessor_get_the_person_rows(app, client, login, create_account, org):
    for account in (create_account((Role.UNIT_HEAD, org["dept"]), unit=org["dept"]),
                    create_account((Role.PAR_ASSESSOR, None))):
        login(account)
        page = client.get(f"/cchc/2026/don-vi/{org['dept'].id}")
        assert "minh-chung.xlsx" in page.text
        data = client.post(f"/cchc/2026/don-vi/{org['dept'].id}/minh-chung.xlsx", data=EXPORT_PURPOSE).data
        assert {"Lê Văn Trong", "Vũ Thị Bênngoài"} <= _workbook_names(data)
        client.post("/dang-xuat")


def test_api_token_of_an_office_gets_department_totals_marked_out_of_scope(app, client, create_account, org):
    admin = create_account((Role.ADMIN, None))
    _, office_token = api_services.issue("Phòng", org["office"], admin)
    _, dept_token = api_services.issue("Sở", org["dept"], admin)
    db.session.commit()
    office = client.get("/api/v1/par/2026", headers={"Authorization": f"Bearer {office_token}"}).json
    dept = client.get("/api/v1/par/2026", headers={"Authorization": f"Bearer {dept_token}"}).json
    stp_office = next(u for u in office["units"] if u["unit_code"] == "STP")
    stp_dept = next(u for u in dept["units"] if u["unit_code"] == "STP")
    assert stp_office["in_scope"] is False and stp_dept["in_scope"] is True
    assert stp_office["counts"] == stp_dept["counts"]  # the totals, the same for both
    body = str(office)
    assert "Trong" not in body and "Bênngoài" not in body


def test_par_assessor_does_not_read_quiz_reviews(app, client, login, create_account, org):
    version = org["version"]
    now = utcnow()
    attempt = Attempt(person_id=org["inside"].id, course_id=version.course_id, course_version_id=version.id,
                      seed=2, pages=[[]], option_order={}, answers={}, started_at=now, submitted_at=now,
                      score=0.0, passed=False, results={})
    db.session.add(attempt)
    db.session.commit()
    login(create_account((Role.PAR_ASSESSOR, None)))
    assert client.get(f"/bai-lam/{attempt.id}/ket-qua").status_code == 403
    client.post("/dang-xuat")
    login(create_account((Role.UNIT_HEAD, org["office"]), unit=org["office"]))
    assert client.get(f"/bai-lam/{attempt.id}/ket-qua").status_code == 200
