"""The unit tree over time: create, rename, move, merge and dissolve, with history kept for past reports."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.core.dates import local_today
from learning.extensions import db
from learning.org import units
from learning.org.history import members_during
from learning.org.models import Person, Unit, UnitMembership, UnitName
from learning.org.units import UnitError

TODAY = local_today()


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _memberships(person_id):
    return [(m.unit.code, m.valid_from, m.valid_to) for m in db.session.scalars(
        select(UnitMembership).where(UnitMembership.person_id == person_id).order_by(UnitMembership.id))]


def _members(unit, start, end):
    return set(db.session.scalars(members_during(unit.path, start, end)))


def test_create_places_the_unit_under_its_parent_and_refuses_a_taken_code(app, province):
    unit = units.create_unit(" STP ", "Sở  Tư pháp", "so_nganh", province, date(2020, 1, 1), None)
    db.session.commit()
    assert (unit.code, unit.name, unit.parent_id, unit.depth) == ("STP", "Sở Tư pháp", province.id, 1)
    assert unit.path == f"{province.path}{unit.id}/"
    assert _events("unit.created")[0].detail["parent"] == "TN"
    with pytest.raises(UnitError, match="Đã có đơn vị mã “stp”"):
        units.create_unit("stp", "Khác", "so_nganh", province, None, None)
    with pytest.raises(UnitError, match="Loại đơn vị"):
        units.create_unit("X1", "Khác", "khong-co", province, None, None)


def test_create_refuses_a_parent_that_has_ended(app, province, create_unit):
    old = create_unit("Huyện cũ", parent=province, code="H1", kind="huyen", valid_to=date(2025, 6, 30))
    with pytest.raises(UnitError, match="không hoạt động"):
        units.create_unit("H1-X", "Phòng mới", "phong_ban", old, None, None)


def test_a_rename_keeps_the_old_name_for_the_reports_of_earlier_periods(app, province, create_unit):
    unit = create_unit("Sở Thông tin và Truyền thông", parent=province, code="STTTT", valid_from=date(2008, 1, 1))
    db.session.commit()
    units.rename_unit(unit, "Sở Khoa học và Công nghệ", date(2025, 3, 1), None)
    db.session.commit()
    assert unit.name == "Sở Khoa học và Công nghệ"
    assert units.unit_name_on(unit, date(2024, 12, 31)) == "Sở Thông tin và Truyền thông"
    assert units.unit_name_on(unit, date(2025, 2, 28)) == "Sở Thông tin và Truyền thông"
    assert units.unit_name_on(unit, date(2025, 3, 1)) == "Sở Khoa học và Công nghệ"
    in_2024 = dict((u.code, name) for u, name in units.units_as_of(date(2024, 6, 30)))
    assert in_2024["STTTT"] == "Sở Thông tin và Truyền thông"
    # A second rename chains on: each name keeps its own dates.
    units.rename_unit(unit, "Sở KH&CN", date(2025, 9, 1), None)
    db.session.commit()
    rows = [(r.name, r.valid_from, r.valid_to) for r in db.session.scalars(select(UnitName).order_by(UnitName.id))]
    assert rows == [("Sở Thông tin và Truyền thông", date(2008, 1, 1), date(2025, 2, 28)),
                    ("Sở Khoa học và Công nghệ", date(2025, 3, 1), date(2025, 8, 31))]
    assert units.names_on([unit.id], date(2025, 5, 1)) == {unit.id: "Sở Khoa học và Công nghệ"}
    event = _events("unit.renamed")[-1]
    assert (event.detail["before"], event.detail["after"]) == ("Sở Khoa học và Công nghệ", "Sở KH&CN")


def test_a_rename_refuses_a_future_date_a_date_before_the_current_name_and_the_same_name(app, province,
                                                                                        create_unit):
    unit = create_unit("Sở Tư pháp", parent=province, code="STP")
    with pytest.raises(UnitError, match="trùng với tên hiện tại"):
        units.rename_unit(unit, "Sở Tư pháp", date(2025, 1, 1), None)
    with pytest.raises(UnitError, match="không được sau hôm nay"):
        units.rename_unit(unit, "Sở mới", TODAY + timedelta(days=1), None)
    units.rename_unit(unit, "Sở mới", date(2025, 1, 1), None)
    with pytest.raises(UnitError, match="phải sau 01/01/2025"):
        units.rename_unit(unit, "Sở mới hơn", date(2024, 6, 1), None)


def test_a_move_rewrites_the_paths_of_the_whole_subtree(app, province, create_unit, create_person):
    a = create_unit("Sở A", parent=province, code="A", kind="so_nganh")
    b = create_unit("Sở B", parent=province, code="B", kind="so_nganh")
    office = create_unit("Phòng 1", parent=a, code="A-1")
    team = create_unit("Tổ 1", parent=office, code="A-1-1")
    person = create_person(unit=team)
    db.session.commit()
    assert units.move_unit(office, b, None) == 2
    db.session.commit()
    office, team = db.session.get(Unit, office.id), db.session.get(Unit, team.id)
    assert office.parent_id == b.id and office.path == f"{b.path}{office.id}/" and office.depth == 2
    assert team.path == f"{office.path}{team.id}/" and team.depth == 3
    assert person.id in _members(b, TODAY, TODAY) and person.id not in _members(a, TODAY, TODAY)
    assert _events("unit.moved")[0].detail == {"before": "A", "after": "B", "units": 2}


def test_a_move_into_itself_or_its_own_subtree_is_refused(app, province, create_unit):
    a = create_unit("Sở A", parent=province, code="A", kind="so_nganh")
    office = create_unit("Phòng 1", parent=a, code="A-1")
    for parent in (a, office):
        with pytest.raises(UnitError, match="chính nó hoặc vào một đơn vị trực thuộc"):
            units.move_unit(a, parent, None)
    with pytest.raises(UnitError, match="đã thuộc"):
        units.move_unit(office, a, None)
    assert db.session.get(Unit, a.id).parent_id == province.id


def test_a_merge_moves_people_and_sub_units_to_the_target_from_the_merge_date(app, province, create_unit,
                                                                               create_person):
    gone = create_unit("Sở Kế hoạch và Đầu tư", parent=province, code="SKHDT", kind="so_nganh")
    target = create_unit("Sở Tài chính", parent=province, code="STC", kind="so_nganh")
    office = create_unit("Phòng Đăng ký kinh doanh", parent=gone, code="SKHDT-1")
    worker = create_person(unit=gone, joined_on=date(2015, 1, 1))
    in_office = create_person(unit=office, joined_on=date(2016, 1, 1))
    leaver = create_person(unit=gone, joined_on=date(2010, 1, 1), left_on=date(2024, 12, 31), active=False)
    db.session.commit()
    on = date(2025, 3, 1)
    assert units.merge_preview(gone, on) == {"people": 1, "children": 1, "subtree_people": 2}
    assert units.merge_unit(gone, target, on, None) == {"people": 1, "children": 1}
    db.session.commit()
    gone, office = db.session.get(Unit, gone.id), db.session.get(Unit, office.id)
    assert (gone.valid_to, gone.successor_id) == (date(2025, 2, 28), target.id)
    assert office.parent_id == target.id and office.path.startswith(target.path)
    assert _memberships(worker.id) == [("SKHDT", date(2015, 1, 1), date(2025, 2, 28)), ("STC", on, None)]
    assert db.session.get(Person, worker.id).unit_id == target.id
    assert db.session.get(Person, leaver.id).unit_id == gone.id  # former staff stay where they were
    # 2024 counts the worker in the merged unit; after the merge date, in the target.
    assert worker.id in _members(gone, date(2024, 1, 1), date(2024, 12, 31))
    assert worker.id not in _members(target, date(2024, 1, 1), date(2024, 12, 31))
    assert worker.id in _members(target, on, TODAY) and worker.id not in _members(gone, on, TODAY)
    assert in_office.id in _members(target, TODAY, TODAY)
    assert [u.code for u, _ in units.units_as_of(date(2024, 12, 31))].count("SKHDT") == 1
    assert "SKHDT" not in [u.code for u, _ in units.units_as_of(TODAY)]
    event = _events("unit.merged")[0]
    assert event.detail == {"code": "SKHDT", "into": "STC", "on": "2025-03-01", "people": 1, "children": 1}


def test_a_merge_is_refused_into_itself_its_subtree_an_ended_unit_or_from_a_future_day(app, province,
                                                                                       create_unit):
    unit = create_unit("Sở A", parent=province, code="A", kind="so_nganh", valid_from=date(2020, 1, 1))
    office = create_unit("Phòng 1", parent=unit, code="A-1")
    ended = create_unit("Huyện cũ", parent=province, code="H", kind="huyen", valid_to=date(2025, 6, 30))
    other = create_unit("Sở B", parent=province, code="B", kind="so_nganh")
    for target in (unit, office):
        with pytest.raises(UnitError, match="chính nó"):
            units.merge_unit(unit, target, date(2025, 1, 1), None)
    with pytest.raises(UnitError, match="không hoạt động"):
        units.merge_unit(unit, ended, date(2025, 1, 1), None)
    with pytest.raises(UnitError, match="không được sau hôm nay"):
        units.merge_unit(unit, other, TODAY + timedelta(days=1), None)
    with pytest.raises(UnitError, match="sau ngày đơn vị bắt đầu"):
        units.merge_unit(unit, other, date(2019, 1, 1), None)
    assert db.session.get(Unit, unit.id).valid_to is None


def test_dissolve_is_refused_while_people_or_sub_units_remain_then_ends_the_unit(app, province, create_unit,
                                                                                 create_person):
    unit = create_unit("Huyện Hoành Bồ", parent=province, code="HB", kind="huyen")
    office = create_unit("Phòng Nội vụ", parent=unit, code="HB-NV")
    person = create_person(unit=unit)
    db.session.commit()
    with pytest.raises(UnitError, match=r"còn 1 đơn vị trực thuộc hoạt động sau 30/06/2025 \(HB-NV\)"):
        units.dissolve_unit(unit, date(2025, 6, 30), None)
    units.dissolve_unit(office, date(2025, 6, 30), None)
    with pytest.raises(UnitError, match="còn 1 cán bộ làm việc sau 30/06/2025"):
        units.dissolve_unit(unit, date(2025, 6, 30), None)
    person.left_on, person.active = date(2025, 6, 30), False
    units.dissolve_unit(unit, date(2025, 6, 30), None)
    db.session.commit()
    assert db.session.get(Unit, unit.id).valid_to == date(2025, 6, 30)
    assert {u.code for u, _ in units.units_as_of(date(2025, 6, 30))} >= {"HB", "HB-NV"}
    assert not {u.code for u, _ in units.units_as_of(date(2025, 7, 1))} & {"HB", "HB-NV"}
    assert person.id in _members(unit, date(2025, 1, 1), date(2025, 12, 31))
    assert [e.detail["code"] for e in _events("unit.dissolved")] == ["HB-NV", "HB"]
    with pytest.raises(UnitError, match="đã giải thể từ 30/06/2025"):
        units.dissolve_unit(unit, date(2025, 12, 31), None)


def test_dissolve_refuses_the_top_unit_and_a_day_before_the_unit_began(app, province, create_unit):
    with pytest.raises(UnitError, match="cấp cao nhất"):
        units.dissolve_unit(province, date(2025, 1, 1), None)
    unit = create_unit("Phòng mới", parent=province, code="PM", valid_from=date(2025, 1, 1))
    with pytest.raises(UnitError, match="sau ngày đơn vị bắt đầu"):
        units.dissolve_unit(unit, date(2024, 12, 31), None)
