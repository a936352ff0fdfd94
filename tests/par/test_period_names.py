"""A past period's PAR table and compliance dashboard name the units as they were named in that period."""

from datetime import date

from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.extensions import db
from learning.org import units
from learning.par import queries

OLD, NEW = "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"


def _renamed_department(province, create_unit, create_course_version):
    dept = create_unit(OLD, parent=province, code="STTTT", kind="so_nganh", valid_from=date(2008, 1, 1))
    office = create_unit("Phòng Bưu chính", parent=dept, code="STTTT-1")
    version = create_course_version()
    for period in (2024, 2026):
        assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                                   positions=[], period=period, starts_on=date(period, 1, 1),
                                   due_on=date(period, 6, 30))
    units.rename_unit(dept, NEW, date(2025, 3, 1), None)
    units.rename_unit(office, "Phòng Chuyển đổi số", date(2025, 3, 1), None)
    db.session.commit()
    return dept


def test_the_par_table_of_2024_shows_the_2024_name(app, province, create_unit, create_course_version, client,
                                                    login, create_account):
    dept = _renamed_department(province, create_unit, create_course_version)
    assert next(s for s in queries.table_for(2024).scores if s.code == "STTTT").name == OLD
    assert next(s for s in queries.table_for(2026).scores if s.code == "STTTT").name == NEW
    login(create_account((Role.PAR_ASSESSOR, None)))
    page = client.get(f"/cchc/2024/don-vi/{dept.id}").text
    assert f"<h1>{OLD}" in page and NEW not in page
    assert f"<h1>{NEW}" in client.get(f"/cchc/2026/don-vi/{dept.id}").text


def test_the_compliance_dashboard_of_2024_shows_the_2024_names(app, province, create_unit, create_course_version,
                                                                client, login, create_account):
    dept = _renamed_department(province, create_unit, create_course_version)
    login(create_account((Role.HR, None)))
    page = client.get(f"/tuan-thu?don-vi={dept.id}&nam=2024").text
    assert f"{OLD}</h1>" in page and "Phòng Bưu chính" in page and "Phòng Chuyển đổi số" not in page
    page = client.get(f"/tuan-thu?don-vi={dept.id}&nam=2026").text
    assert f"{NEW}</h1>" in page and "Phòng Chuyển đổi số" in page
    province_page = client.get(f"/tuan-thu?don-vi={province.id}&nam=2024").text
    assert OLD in province_page and NEW not in province_page
