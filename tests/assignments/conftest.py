from datetime import date

import pytest

from learning.assignments import services
from learning.extensions import db


@pytest.fixture
def create_assignment(app, create_course_version):
    def factory(unit, version=None, *, period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30),
                categories=(), positions=(), recert_months=None):
        version = version or create_course_version()
        assignment = services.create(by=None, course_id=version.course_id, unit_id=unit.id,
                                     categories=list(categories), positions=list(positions), period=period,
                                     starts_on=starts_on, due_on=due_on, recert_months=recert_months)
        db.session.flush()
        return assignment

    return factory


@pytest.fixture
def org(province, create_unit):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept, code="STP-2")
    other = create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh")
    return {"province": province, "dept": dept, "office": office, "other": other}
