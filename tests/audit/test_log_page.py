"""The audit log read by an administrator: names, Vietnamese labels, readable details, filters, pages, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from learning.assessment.models import Attempt
from learning.audit.models import AuditEvent
from learning.audit.services import record
from learning.auth.models import Account, Role
from learning.certification.models import Certificate
from learning.core.dates import utcnow
from learning.extensions import db
from tests.factories import EXPORT_PURPOSE


def table(page: str) -> str:
    """The log's table only (the event picker lists every label and code)."""
    match = re.search(r"<table class=\"audit-log\">.*?</table>", page, re.S)
    return match.group(0) if match else ""


def rows(page: str) -> list[str]:
    return re.findall(r"<tr><td.*?</tr>", table(page), re.S)


def account_of(person) -> Account:
    return db.session.scalar(select(Account).where(Account.person_id == person.id))


@pytest.fixture
def world(client, login, province, create_unit, create_person, create_account):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    office = create_unit("Văn phòng Sở", parent=dept, code="STP-VP")
    other = create_unit("Sở Y tế", parent=province, code="SYT")
    admin = create_account((Role.ADMIN, None), full_name="Đào Thị Mận", code="QT001")
    binh = create_person("Lê Văn Bình", unit=office, code="CB100")
    chi = create_person("Trần Thị Chi", unit=other, code="CB200")
    db.session.commit()
    login(admin)
    return {"admin": admin, "binh": binh, "chi": chi, "dept": dept, "office": office, "other": other}


def test_actor_target_event_and_details_are_shown_by_name_in_vietnamese(client, world):
    binh = account_of(world["binh"])
    record("auth.role_granted", actor_id=world["admin"].id, obj=binh, role="hr", unit="STP", person="CB100")
    record("person.updated", actor_id=world["admin"].id, obj=world["chi"], changed=["position", "category"],
           before={"position": "Chuyên viên", "category": "vien_chuc"},
           after={"position": "Trưởng phòng", "category": "cong_chuc"})
    record("unit.renamed", obj=world["office"], before="Văn phòng", after="Văn phòng Sở", on="2026-12-03")
    db.session.commit()
    page = client.get("/quan-tri/nhat-ky").text
    shown = table(page)
    assert "Cấp quyền" in shown and "Sửa thông tin cán bộ" in shown and "Đổi tên đơn vị" in shown
    assert "Đào Thị Mận (QT001)" in shown and "Lê Văn Bình (CB100)" in shown and "Trần Thị Chi (CB200)" in shown
    assert "Văn phòng Sở (STP-VP)" in shown and "Hệ thống" in shown
    assert re.search(r"<dt>Quyền:</dt> <dd>Tổ chức cán bộ</dd>", shown)
    assert re.search(r"<dt>Thông tin đã sửa:</dt> <dd>Chức vụ, Loại cán bộ</dd>", shown)
    assert re.search(r"<dt>Trước:</dt> <dd>Chức vụ: Chuyên viên; Loại cán bộ: Viên chức</dd>", shown)
    assert re.search(r"<dt>Sau:</dt> <dd>Chức vụ: Trưởng phòng; Loại cán bộ: Công chức</dd>", shown)
    assert re.search(r"<dt>Từ ngày:</dt> <dd>03/12/2026</dd>", shown)
    assert "auth.role_granted" not in shown and "account " not in shown and "\\u" not in shown and "{" not in shown


def test_filter_by_person_code_or_name_matches_what_they_did_and_what_was_done_to_them(client, world):
    binh, chi = account_of(world["binh"]), account_of(world["chi"])
    record("auth.login", actor_id=binh.id, obj=binh)
    record("auth.mfa_reset", actor_id=world["admin"].id, obj=binh)
    record("person.updated", actor_id=world["admin"].id, obj=world["binh"], changed=["email"])
    record("auth.login", actor_id=chi.id, obj=chi)
    db.session.commit()
    for query in ("CB100", "cb100", "Lê Văn Bình", "Bình"):
        found = rows(client.get("/quan-tri/nhat-ky", query_string={"nguoi": query}).text)
        assert len(found) == 3, query
        assert not any("Trần Thị Chi" in row for row in found)
    assert 'value="Bình"' in client.get("/quan-tri/nhat-ky?nguoi=Bình").text


def test_filter_by_person_finds_their_quiz_attempts_and_certificates(client, world, create_course_version,
                                                                       create_completion):
    version = create_course_version(code="ung-xu")
    attempt = Attempt(person_id=world["binh"].id, course_id=version.course_id, course_version_id=version.id, seed=1,
                      pages=[[1]], option_order={}, answers={}, started_at=utcnow())
    db.session.add(attempt)
    create_completion(world["chi"], version)  # Chi's certificate: not Bình's
    db.session.commit()
    record("quiz.started", obj=attempt, person="CB100", course="ung-xu")
    cert = db.session.scalar(select(Certificate).where(Certificate.person_id == world["chi"].id))
    record("certificate.downloaded", actor_id=world["admin"].id, obj=cert, serial=cert.serial)
    db.session.commit()
    found = rows(client.get("/quan-tri/nhat-ky?nguoi=CB100").text)
    assert len(found) == 1 and "Bắt đầu bài kiểm tra" in found[0] and f"Bài làm #{attempt.id}" in found[0]
    theirs = rows(client.get("/quan-tri/nhat-ky?nguoi=CB200&hanh-dong=certificate.downloaded").text)
    assert len(theirs) == 1 and f"Chứng nhận {cert.serial}" in theirs[0]


def test_filter_by_unit_takes_its_subunits_and_events_about_the_unit(client, world):
    binh, chi = account_of(world["binh"]), account_of(world["chi"])
    record("auth.login", actor_id=binh.id, obj=binh)
    record("auth.login", actor_id=chi.id, obj=chi)
    record("unit.renamed", actor_id=world["admin"].id, obj=world["dept"], before="Sở TP", after="Sở Tư pháp")
    db.session.commit()
    for query in ("STP", "stp", "Sở Tư pháp"):
        found = rows(client.get("/quan-tri/nhat-ky", query_string={"don-vi": query}).text)
        assert len(found) == 2, query
        assert any("Lê Văn Bình" in r for r in found) and any("Đổi tên đơn vị" in r for r in found)
    missing = client.get("/quan-tri/nhat-ky?don-vi=KHONG-CO").text
    assert "Không tìm thấy đơn vị nào" in missing and not rows(missing)


def test_filter_by_event(client, world):
    admin = world["admin"]
    record("auth.login_failed", obj=admin, identifier="qt001")
    db.session.commit()
    page = client.get("/quan-tri/nhat-ky?hanh-dong=auth.login").text
    assert rows(page) and all("<th scope=\"row\">Đăng nhập</th>" in r for r in rows(page))
    assert '<option value="auth.login" selected>Đăng nhập</option>' in page
    failed = rows(client.get("/quan-tri/nhat-ky?hanh-dong=auth.login_failed").text)
    assert len(failed) == 1 and "Đăng nhập sai" in failed[0]
    assert re.search(r"<dt>Tên đăng nhập đã nhập:</dt> <dd>qt001</dd>", failed[0])


def test_filter_by_local_date_range_in_dd_mm_yyyy(client, world):
    binh = account_of(world["binh"])
    # 17:30 UTC on 2 December is 00:30 on 3 December in Vietnam.
    for at in (datetime(2026, 12, 2, 17, 30), datetime(2026, 12, 2, 16, 30), datetime(2026, 11, 20, 3, 0)):
        db.session.add(AuditEvent(at=at, action="quiz.started", actor_id=binh.id, object_type="", detail={}))
    db.session.commit()
    args = {"hanh-dong": "quiz.started"}
    on_third = rows(client.get("/quan-tri/nhat-ky", query_string=args | {"tu-ngay": "03/12/2026"}).text)
    assert len(on_third) == 1 and "00:30 ngày 03/12/2026" in on_third[0]
    up_to_second = rows(client.get("/quan-tri/nhat-ky", query_string=args | {"den-ngay": "2/12/2026"}).text)
    assert len(up_to_second) == 2
    november = rows(client.get("/quan-tri/nhat-ky",
                               query_string=args | {"tu-ngay": "01/11/2026", "den-ngay": "30/11/2026"}).text)
    assert len(november) == 1 and "20/11/2026" in november[0]
    wrong = client.get("/quan-tri/nhat-ky", query_string=args | {"tu-ngay": "31/02/2026"}).text
    assert "Ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy" in wrong and 'aria-invalid="true"' in wrong
    backwards = client.get("/quan-tri/nhat-ky", query_string={"tu-ngay": "03/12/2026", "den-ngay": "01/12/2026"})
    assert "phải sau hoặc trùng" in backwards.text


def test_the_log_is_paginated_and_the_pages_keep_the_filter(client, world):
    binh = account_of(world["binh"])
    for _ in range(120):
        record("notice.read_all", actor_id=binh.id, object_type="account", object_id=binh.id, count=1)
    db.session.commit()
    first = client.get("/quan-tri/nhat-ky?hanh-dong=notice.read_all").text
    assert len(rows(first)) == 50 and "Trang 1 / 3" in first
    assert re.search(r'href="[^"]*hanh-dong=notice.read_all[^"]*page=2|href="[^"]*page=2[^"]*hanh-dong=notice.read_all',
                     first)
    assert len(rows(client.get("/quan-tri/nhat-ky?hanh-dong=notice.read_all&page=3").text)) == 20


def _csv(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_export_asks_why_then_sends_the_filtered_rows_formula_safe(client, world):
    binh, chi = account_of(world["binh"]), account_of(world["chi"])
    record("staff.imported", actor_id=binh.id, obj=binh, filename="=HYPERLINK(\"http://x\")", created=2)
    record("auth.login", actor_id=chi.id, obj=chi)
    db.session.commit()
    url = "/quan-tri/nhat-ky/xuat.csv?nguoi=CB100"
    page = client.get("/quan-tri/nhat-ky?nguoi=CB100").text
    assert 'href="/quan-tri/nhat-ky/xuat.csv?nguoi=CB100"' in page
    asked = client.get(url)
    assert asked.status_code == 200 and "Mục đích xuất dữ liệu" in asked.text
    assert client.post(url, data={}).status_code == 400
    sent = client.post(url, data=EXPORT_PURPOSE)
    assert sent.status_code == 200 and sent.mimetype == "text/csv"
    assert "attachment" in sent.headers["Content-Disposition"]
    header, *lines = _csv(sent)
    assert header == ["Thời điểm", "Người thực hiện", "Sự kiện", "Mã sự kiện", "Đối tượng", "Địa chỉ IP", "Chi tiết"]
    assert len(lines) == 1
    line = lines[0]
    assert line[1] == "Lê Văn Bình (CB100)" and line[2] == "Nhập danh sách cán bộ" and line[3] == "staff.imported"
    assert line[4] == "Chính người thực hiện"  # his own account
    assert "Tên tệp: =HYPERLINK" in line[6] and "Thêm mới: 2" in line[6]
    assert re.match(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}$", line[0])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
    assert event.actor_id == world["admin"].id and event.detail["filters"] == {"person": "CB100"}
    assert event.detail["purpose_code"] == "bao-cao"


def test_a_csv_cell_that_starts_like_a_formula_is_neutralised(client, world, create_person):
    evil = create_person("=cmd|' /C calc'!A0", code="CB300")
    db.session.commit()
    record("auth.login", actor_id=account_of(evil).id, obj=account_of(evil))
    record("person.updated", actor_id=world["admin"].id, obj=evil, changed=["position"],
           after={"position": "@SUM(A1)"})
    db.session.commit()
    sent = client.post("/quan-tri/nhat-ky/xuat.csv?nguoi=CB300", data=EXPORT_PURPOSE)
    edited, login = _csv(sent)[1:]
    assert login[1].startswith("'=cmd") and edited[4].startswith("'=cmd")
    assert "Chức vụ: @SUM" in edited[6] and not edited[6].startswith(("=", "+", "-", "@"))


def _add_events(world, create_person, n: int) -> None:
    """``n`` events of each kind of target, each by a different person."""
    for i in range(n):
        person = create_person(f"Phạm Văn Số{i}", unit=world["office"] if i % 2 else world["other"])
        db.session.commit()  # the person's account comes with the commit
        account = account_of(person)
        record("auth.login", actor_id=account.id, obj=account, method="password")
        record("person.updated", actor_id=account.id, obj=person, changed=["email"])
        record("unit.renamed", actor_id=account.id, obj=world["office"], before="A", after="B")
        record("certificate.downloaded", actor_id=account.id, object_type="certificate", object_id=900000 + i)
        record("quiz.started", object_type="attempt", object_id=i, person=person.employee_code)
    db.session.commit()


def _queries(app, client, url: str, method: str = "get", **kwargs) -> int:
    from tests.core.test_query_counts import QueryCounter

    with app.app_context(), QueryCounter(db.engine) as counter:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, response.text[:300]
    return counter.count


def test_a_page_and_an_export_cost_the_same_queries_whatever_the_rows(app, client, world, create_person):
    urls = ["/quan-tri/nhat-ky", "/quan-tri/nhat-ky?nguoi=Phạm&tu-ngay=01/01/2026",
            "/quan-tri/nhat-ky?don-vi=STP&hanh-dong=auth.login"]
    _add_events(world, create_person, 2)
    small = [_queries(app, client, url) for url in urls]
    small_csv = _queries(app, client, "/quan-tri/nhat-ky/xuat.csv", "post", data=EXPORT_PURPOSE)
    _add_events(world, create_person, 12)
    large = [_queries(app, client, url) for url in urls]
    large_csv = _queries(app, client, "/quan-tri/nhat-ky/xuat.csv", "post", data=EXPORT_PURPOSE)
    assert db.session.query(AuditEvent).count() > 70
    assert large == small and max(small) <= 12, small
    assert large_csv == small_csv
