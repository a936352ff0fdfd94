"""Freezing a PAR period ("Chốt số liệu") asks first; an administrator unfreezes with a reason, and the
earlier snapshot stays viewable."""

from datetime import date, datetime

from sqlalchemy import select

from learning.assignments import services as assignment_services
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db
from learning.par import scoring
from learning.par.models import Snapshot


def _setup(province, create_unit, create_person, create_completion, create_course_version):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh")
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    for i in range(3):
        person = create_person(f"Nguyễn Văn Người{i}", unit=dept)
        if i == 0:
            create_completion(person, version, completed_at=datetime(2026, 3, 1))
    db.session.commit()
    return dept, version


def test_freezing_shows_what_will_be_frozen_and_waits_for_confirmation(
        app, client, login, create_account, province, create_unit, create_person, create_completion,
        create_course_version):
    _setup(province, create_unit, create_person, create_completion, create_course_version)
    login(create_account((Role.PAR_ASSESSOR, None)))
    index = client.get("/cchc?nam=2026").text
    assert "Chốt số liệu kỳ 2026" in index and "/cchc/2026/dong-bang" in index
    page = client.get("/cchc/2026/dong-bang")
    assert page.status_code == 200
    assert "Số đơn vị được chốt" in page.text and "Chốt số liệu 2 đơn vị, kỳ 2026" in page.text
    assert "Kết thúc đợt giao" in page.text  # told apart from ending an assignment
    assert scoring.snapshot_of(2026) is None  # the page only asks
    client.post("/cchc/2026/dong-bang")
    assert scoring.snapshot_of(2026) is not None


def test_admin_unfreezes_with_a_reason_and_the_old_snapshot_stays_viewable(
        app, client, login, create_account, province, create_unit, create_person, create_completion,
        create_course_version):
    dept, version = _setup(province, create_unit, create_person, create_completion, create_course_version)
    login(create_account((Role.PAR_ASSESSOR, None)))
    client.post("/cchc/2026/dong-bang")
    frozen = scoring.snapshot_of(2026)
    client.post("/dang-xuat")
    admin = create_account((Role.ADMIN, None))
    login(admin)
    assert client.get("/cchc/2026/mo-chot").status_code == 200
    refused = client.post("/cchc/2026/mo-chot", data={"ly-do": "  "})
    assert refused.status_code == 400 and "Hãy ghi lý do mở chốt" in refused.text
    assert scoring.snapshot_of(2026) is not None
    client.post("/cchc/2026/mo-chot", data={"ly-do": "Sai số liệu Sở Tư pháp, công văn 45/SNV"})
    db.session.expire_all()
    assert scoring.snapshot_of(2026) is None
    old = db.session.get(Snapshot, frozen.id)
    assert old.unfrozen_by_id == admin.id and old.unfreeze_reason.startswith("Sai số liệu")
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "par.unfrozen"))
    assert event.actor_id == admin.id and event.detail["reason"].startswith("Sai số liệu")
    # The table is live again: a new certificate counts; the old snapshot still shows the old number.
    create_completion(create_person("Trần Thị Mới", unit=dept), version, completed_at=datetime(2026, 4, 1))
    db.session.commit()
    index = client.get("/cchc?nam=2026").text
    assert "Các bản chốt đã mở chốt" in index and f"/cchc/2026/ban-chot/{frozen.id}" in index
    old_page = client.get(f"/cchc/2026/ban-chot/{frozen.id}")
    assert old_page.status_code == 200 and "Không còn hiệu lực" in old_page.text
    assert [u["counts"]["passed"] for u in old.data["units"] if u["code"] == "STP"] == [1]
    live = next(s for s in scoring.compute(2026, scoring.active_rubric().rubric, date(2026, 12, 1))
                if s.code == "STP")
    assert live.counts.passed == 2


def test_only_administrators_unfreeze(app, client, login, create_account, province, create_unit, create_person,
                                      create_completion, create_course_version):
    _setup(province, create_unit, create_person, create_completion, create_course_version)
    assessor = create_account((Role.PAR_ASSESSOR, None))
    login(assessor)
    client.post("/cchc/2026/dong-bang")
    assert client.get("/cchc/2026/mo-chot").status_code == 403
    assert client.post("/cchc/2026/mo-chot", data={"ly-do": "Tôi muốn sửa"}).status_code == 403
    assert scoring.snapshot_of(2026) is not None
