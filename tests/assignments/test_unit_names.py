"""Two units with the same name ("Văn phòng Sở") are told apart by their parent on every list that shows units
(issue 18, item 13): the people list, the home dashboard, assignments, compliance, exemptions."""

from datetime import timedelta

import pytest

from learning.assignments import exemptions
from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db

BOTH = ("Văn phòng Sở, Sở Tư pháp", "Văn phòng Sở, Sở Y tế")


@pytest.fixture
def twins(province, create_unit, create_person, create_account, create_assignment, create_course_version):
    today = local_today()
    offices = [create_unit("Văn phòng Sở", parent=create_unit(name, parent=province, kind="so_nganh"), kind="phong_ban")
               for name in ("Sở Tư pháp", "Sở Y tế")]
    version = create_course_version(title="Ứng xử trên mạng")
    hr = create_account((Role.HR, None), full_name="Hoàng Thị Nhân")
    for n, office in enumerate(offices):
        person = create_person(f"Nguyễn Văn Số{n}", unit=office)
        assignment = create_assignment(office, version, period=today.year, starts_on=today - timedelta(days=60),
                                       due_on=today - timedelta(days=2))
        exemptions.submit(person, assignment, kind="exempt", reason="maternity", by=hr)
    # HR of the two offices only: the home page lists both offices (its units, and those not yet activated).
    both = create_account(*((Role.HR, office) for office in offices), full_name="Đỗ Thị Hai")
    db.session.commit()
    return {"hr": hr, "both": both, "offices": offices}


@pytest.mark.parametrize(("who", "url"), [("hr", "/can-bo"), ("both", "/"), ("hr", "/giao-hoc"),
                                          ("hr", "/tuan-thu/can-bo"), ("hr", "/tuan-thu"), ("hr", "/ngoai-le")])
def test_same_named_units_are_shown_with_their_parents(client, login, twins, who, url):
    login(twins[who])
    page = client.get(url)
    assert page.status_code == 200
    for name in BOTH:
        assert name in page.text, (url, name)


def test_a_unit_page_of_people_names_the_parent_too(client, login, twins):
    login(twins["hr"])
    page = client.get("/can-bo", query_string={"don-vi": twins["offices"][1].code})
    assert "<h1>Cán bộ — Văn phòng Sở, Sở Y tế</h1>" in page.text
