"""The unit pages: HR creates, renames, moves, merges and dissolves units; merge and dissolve ask first."""

from datetime import date

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db
from learning.org.models import Person, Unit


@pytest.fixture
def tree(province, create_unit, create_person):
    dept = create_unit("Sở Kế hoạch và Đầu tư", parent=province, kind="so_nganh", code="SKHDT",
                       valid_from=date(2000, 1, 1))
    office = create_unit("Phòng Đăng ký kinh doanh", parent=dept, code="SKHDT-1")
    other = create_unit("Sở Tài chính", parent=province, kind="so_nganh", code="STC")
    worker = create_person("Lê Văn An", unit=dept)
    db.session.commit()
    return {"province": province, "dept": dept, "office": office, "other": other, "worker": worker}


def _unit(code):
    db.session.expire_all()
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("unit.")]


def test_hr_creates_renames_and_moves_a_unit_and_the_page_shows_its_names_over_time(client, login, create_account,
                                                                                   tree):
    login(create_account((Role.HR, None)))
    assert client.get("/don-vi").text.count("/don-vi/moi") == 1
    response = client.post("/don-vi/moi", data={"code": "STC-9", "name": "Phòng Giá", "kind": "phong_ban",
                                                 "parent_code": "stc", "valid_from": "2020-01-01"})
    assert response.status_code == 302
    unit = _unit("STC-9")
    assert unit.parent_id == tree["other"].id
    response = client.post(f"/don-vi/{unit.id}/doi-ten", data={"name": "Phòng Quản lý giá", "on": "2025-03-01"})
    assert response.status_code == 302
    page = client.get(f"/don-vi/{unit.id}").text
    assert "Phòng Giá" in page and "Phòng Quản lý giá" in page and "28/02/2025" in page
    response = client.post(f"/don-vi/{unit.id}/chuyen", data={"parent_code": "SKHDT"})
    assert response.status_code == 302 and _unit("STC-9").parent_id == tree["dept"].id
    assert _actions() == ["unit.created", "unit.renamed", "unit.moved"]


def test_refusals_are_clear_and_write_nothing(client, login, create_account, tree):
    login(create_account((Role.HR, None)))
    response = client.post("/don-vi/moi", data={"code": "SKHDT", "name": "Trùng", "kind": "phong_ban",
                                                 "parent_code": "TN"})
    assert response.status_code == 400 and "Đã có đơn vị mã “SKHDT”" in response.text
    response = client.post("/don-vi/moi", data={"code": "X", "name": "X", "kind": "phong_ban", "parent_code": "KHONG"})
    assert response.status_code == 400 and "Không có đơn vị mã “KHONG”" in response.text
    dept = tree["dept"]
    response = client.post(f"/don-vi/{dept.id}/chuyen", data={"parent_code": "SKHDT-1"})
    assert response.status_code == 400 and "chính nó hoặc vào một đơn vị trực thuộc" in response.text
    response = client.post(f"/don-vi/{dept.id}/doi-ten", data={"name": "Mới", "on": "31/02/2024"})
    assert response.status_code == 400 and "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm" in response.text
    assert _unit("SKHDT").name == "Sở Kế hoạch và Đầu tư" and _actions() == []


def test_merge_shows_what_will_happen_and_applies_only_once_confirmed(client, login, create_account, tree):
    login(create_account((Role.HR, None)))
    dept = tree["dept"]
    form = {"target_code": "STC", "on": "2025-03-01"}
    page = client.post(f"/don-vi/{dept.id}/sap-nhap", data=form)
    assert page.status_code == 200 and "không hoàn tác được" in page.text
    assert "1 cán bộ đang làm việc chuyển sang" in page.text and "28/02/2025" in page.text
    assert _unit("SKHDT").valid_to is None
    unticked = client.post(f"/don-vi/{dept.id}/sap-nhap", data=form | {"step": "confirm"})
    assert unticked.status_code == 400 and "Hãy đánh dấu ô xác nhận" in unticked.text
    assert _unit("SKHDT").valid_to is None
    done = client.post(f"/don-vi/{dept.id}/sap-nhap", data=form | {"step": "confirm", "confirmed": "y"})
    assert done.status_code == 302
    merged = _unit("SKHDT")
    assert (merged.valid_to, merged.successor_id) == (date(2025, 2, 28), tree["other"].id)
    assert db.session.get(Person, tree["worker"].id).unit_id == tree["other"].id
    target_page = client.get(f"/don-vi/{tree['other'].id}").text
    assert "Sở Kế hoạch và Đầu tư" in target_page  # listed as merged into it
    assert "Đơn vị tiếp nhận" in client.get(f"/don-vi/{merged.id}").text


def test_dissolve_is_refused_with_the_reason_then_confirmed(client, login, create_account, tree):
    login(create_account((Role.HR, None)))
    dept = tree["dept"]
    refused = client.post(f"/don-vi/{dept.id}/giai-the", data={"on": "2025-06-30"})
    assert refused.status_code == 400 and "SKHDT-1" in refused.text and "trực thuộc" in refused.text
    office = tree["office"]
    asked = client.post(f"/don-vi/{office.id}/giai-the", data={"on": "2025-06-30"})
    assert asked.status_code == 200 and "Xác nhận giải thể" in asked.text and _unit("SKHDT-1").valid_to is None
    done = client.post(f"/don-vi/{office.id}/giai-the", data={"on": "2025-06-30", "step": "confirm",
                                                             "confirmed": "y"})
    assert done.status_code == 302 and _unit("SKHDT-1").valid_to == date(2025, 6, 30)
    refused = client.post(f"/don-vi/{dept.id}/giai-the", data={"on": "2025-06-30"})
    assert refused.status_code == 400 and "còn 1 cán bộ làm việc sau 30/06/2025" in refused.text


def test_hr_of_a_subtree_changes_units_inside_it_but_not_its_own_top_unit_or_others(client, login, create_account,
                                                                                   tree):
    login(create_account((Role.HR, tree["dept"]), unit=tree["dept"]))
    dept, office, other = tree["dept"], tree["office"], tree["other"]
    assert client.get(f"/don-vi/{office.id}/doi-ten").status_code == 200
    assert client.get(f"/don-vi/{office.id}/giai-the").status_code == 200
    assert client.get(f"/don-vi/{dept.id}/doi-ten").status_code == 200
    for path in ("chuyen", "sap-nhap", "giai-the"):
        assert client.get(f"/don-vi/{dept.id}/{path}").status_code == 403
    assert client.get(f"/don-vi/{other.id}/doi-ten").status_code == 403
    outside = client.post(f"/don-vi/{office.id}/sap-nhap", data={"target_code": "STC", "on": "2025-03-01"})
    assert outside.status_code == 400 and "ngoài phạm vi" in outside.text
    top = client.post("/don-vi/moi", data={"code": "NEW", "name": "Mới", "kind": "so_nganh", "parent_code": ""})
    assert top.status_code == 400 and "Hãy nhập mã đơn vị cấp trên" in top.text
    assert client.post("/don-vi/moi", data={"code": "NEW", "name": "Mới", "kind": "phong_ban",
                                            "parent_code": "SKHDT"}).status_code == 302


def test_unit_heads_and_assessors_cannot_change_units(client, login, create_account, tree):
    login(create_account((Role.UNIT_HEAD, tree["dept"]), (Role.PAR_ASSESSOR, None), unit=tree["dept"]))
    assert client.get("/don-vi/moi").status_code == 403
    assert client.get(f"/don-vi/{tree['office'].id}/doi-ten").status_code == 403
    assert "/doi-ten" not in client.get(f"/don-vi/{tree['office'].id}").text
