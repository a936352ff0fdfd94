import pytest

from learning.auth.models import Role


@pytest.fixture
def org(province, create_unit, create_person):
    dept = create_unit("Sở Tư pháp", parent=province, kind="so_nganh", code="STP")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept, code="STP-2")
    other = create_unit("Sở Y tế", parent=province, kind="so_nganh", code="SYT")
    people = {
        name: create_person(name, unit=office)
        for name in ["Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An", "Phạm Thị Dũng", "Vũ Minh Bình"]
    }
    outsider = create_person("Hồ Thị Yến", unit=other)
    return {"dept": dept, "office": office, "other": other, "people": people, "outsider": outsider}


def test_unit_head_cannot_open_units_or_people_outside_their_subtree(client, login, create_account, org):
    head = create_account((Role.UNIT_HEAD, org["dept"]), unit=org["dept"])
    login(head)
    assert client.get(f"/don-vi/{org['office'].id}").status_code == 200
    assert client.get(f"/can-bo/{org['people']['Lê Văn An'].id}").status_code == 200
    assert client.get(f"/don-vi/{org['other'].id}").status_code == 403
    assert client.get(f"/can-bo/{org['outsider'].id}").status_code == 403
    assert client.get("/can-bo?don-vi=SYT").status_code == 403
    listing = client.get("/can-bo").text
    assert "Hồ Thị Yến" not in listing and "Lê Văn An" in listing


def test_learner_cannot_browse_people(client, login, create_account, org):
    login(create_account(unit=org["office"]))
    assert client.get("/can-bo").status_code == 403
    assert client.get("/don-vi").status_code == 403
    assert client.get(f"/can-bo/{org['outsider'].id}").status_code == 403


def test_people_are_sorted_by_ten_with_vietnamese_collation(client, login, create_account, org):
    login(create_account((Role.HR, None), full_name="Zô Văn Zu"))
    text = client.get("/can-bo?don-vi=STP-2").text
    order = [text.index(name) for name in
             ["Lê Văn An", "Trần Thị Ánh", "Vũ Minh Bình", "Phạm Thị Dũng", "Nguyễn Văn Đức"]]
    assert order == sorted(order)


def test_people_list_is_paginated_and_searchable(client, login, create_account, create_person, org):
    for i in range(55):
        create_person(f"Đặng Văn Thử{i:02d}", unit=org["office"])
    login(create_account((Role.HR, None)))
    first = client.get("/can-bo?don-vi=STP-2")
    assert "Trang 1 / 2" in first.text
    assert "Trang sau" in client.get("/can-bo?don-vi=STP-2&page=1").text
    assert client.get("/can-bo?page=abc").status_code == 200
    found = client.get("/can-bo?q=tr%E1%BA%A7n+th%E1%BB%8B").text
    assert "Trần Thị Ánh" in found and "Lê Văn An" not in found


def test_unknown_unit_filter_is_explained(client, login, create_account, org):
    login(create_account((Role.HR, None)))
    response = client.get("/can-bo?don-vi=KHONGCO")
    assert response.status_code == 200
    assert "Không có đơn vị mã “KHONGCO”" in response.text


def test_historical_units_are_hidden_unless_asked(client, login, create_account, create_unit, province):
    from datetime import date

    create_unit("Huyện Tiên Yên", parent=province, kind="huyen", valid_to=date(2025, 6, 30))
    login(create_account((Role.HR, None)))
    assert "Huyện Tiên Yên" not in client.get("/don-vi").text
    assert "Huyện Tiên Yên" in client.get("/don-vi?lich-su=1").text


def test_home_page_per_role(client, login, create_account, org):
    head = create_account((Role.UNIT_HEAD, org["dept"]))
    login(head)
    home = client.get("/").text
    assert "Đơn vị của tôi" in home and "Sở Tư pháp" in home and "Sở Y tế" not in home


def test_unknown_ids_are_404_not_500(client, login, create_account, org):
    login(create_account((Role.ADMIN, None)))
    assert client.get("/don-vi/999999").status_code == 404
    assert client.get("/can-bo/999999").status_code == 404
    assert client.get("/don-vi/abc").status_code == 404
