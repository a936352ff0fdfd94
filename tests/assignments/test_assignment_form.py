"""The assignment form: dates typed dd/mm/yyyy (issue 18 item 10), the unit picker limited to the HR's scope and
the plainly worded validity field (item 11)."""

from datetime import date

from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db


def _post(client, version, **fields):
    data = {"course_id": version.course_id, "unit_code": "STP", "period": 2027, "starts_on": "05/03/2027",
            "due_on": "30/06/2027", **fields}
    return client.post("/giao-hoc/moi", data=data)


def test_dates_are_shown_and_read_dd_mm_yyyy(client, login, create_account, org, create_course_version):
    version = create_course_version()
    login(create_account((Role.HR, None)))
    page = client.get("/giao-hoc/moi").text
    assert 'type="date"' not in page and 'id="starts_on-hint">dd/mm/yyyy<' in page
    assert 'aria-describedby="starts_on-hint"' in page
    assert f'value="{local_today():%d/%m/%Y}"' in page  # the default start, today
    assert _post(client, version).status_code == 302
    stored = db.session.scalar(select(Assignment))
    assert (stored.starts_on, stored.due_on) == (date(2027, 3, 5), date(2027, 6, 30))


def test_a_wrong_date_is_explained_and_kept(client, login, create_account, org, create_course_version):
    version = create_course_version()
    login(create_account((Role.HR, None)))
    response = _post(client, version, due_on="31/02/2027")
    assert response.status_code == 400
    assert "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 03/12/2026" in response.text
    assert 'value="31/02/2027"' in response.text and 'value="05/03/2027"' in response.text
    assert db.session.scalar(select(Assignment)) is None


def test_the_unit_picker_lists_and_accepts_only_units_in_scope(client, login, create_account, org,
                                                              create_course_version):
    version = create_course_version()
    login(create_account((Role.HR, org["dept"]), unit=org["dept"]))
    page = client.get("/giao-hoc/moi").text
    assert 'list="unit-choices"' in page and '<datalist id="unit-choices">' in page
    assert '<option value="STP — Sở Tư pháp (' in page
    assert '<option value="STP-2 — Phòng Hành chính tư pháp (Sở Tư pháp)">' in page
    assert "SYT" not in page and "Sở Y tế" not in page
    for outside in ("SYT", "SYT — Sở Y tế (Tỉnh)", "syt"):
        refused = _post(client, version, unit_code=outside)
        assert refused.status_code == 403, outside
        assert "không thuộc phạm vi bạn quản lý" in refused.text
    assert db.session.scalar(select(Assignment)) is None
    chosen = _post(client, version, unit_code="STP-2 — Phòng Hành chính tư pháp (Sở Tư pháp)")
    assert chosen.status_code == 302
    assert db.session.scalar(select(Assignment)).unit_id == org["office"].id


def test_the_unit_can_be_typed_as_a_code_in_any_case_or_as_its_name(client, login, create_account, org,
                                                                     create_course_version):
    version = create_course_version()
    login(create_account((Role.HR, None)))
    assert _post(client, version, unit_code="stp", period=2027).status_code == 302
    assert _post(client, version, unit_code="Sở Y tế", period=2028).status_code == 302
    units = {a.period: a.unit_id for a in db.session.scalars(select(Assignment))}
    assert units == {2027: org["dept"].id, 2028: org["other"].id}
    missing = _post(client, version, unit_code="Sở Không Có")
    assert missing.status_code == 400 and "Không có đơn vị mã “Sở Không Có”" in missing.text


def test_the_validity_field_says_plainly_what_it_does(client, login, create_account, org, create_course_version):
    create_course_version()
    login(create_account((Role.HR, None)))
    page = client.get("/giao-hoc/moi").text
    assert '<label for="recert_months">Công nhận chứng nhận đã có (số tháng)</label>' in page
    assert 'aria-describedby="recert_months-hint"' in page
    assert "thì không phải học lại" in page and "Bỏ trống: chỉ tính người hoàn thành từ ngày bắt đầu." in page
