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
