"""People over time: a move is a new membership row, never an overwrite; a period counts people where they were."""

from datetime import date, timedelta

from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db
from learning.org import importer
from learning.org.history import members_during, membership_in_period, record_move
from learning.org.models import Person, UnitMembership
from tests.org.test_import import xlsx

HEADERS = ["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Loại", "Ngày vào đơn vị", "Ngày thôi việc", "Ngày chuyển đơn vị"]


def _units(province, create_unit):
    return (create_unit("Sở Tư pháp", parent=province, code="STP"),
            create_unit("Sở Y tế", parent=province, code="SYT"))


def _rows(person_id):
    return [(m.unit.code, m.valid_from, m.valid_to) for m in db.session.scalars(
        select(UnitMembership).where(UnitMembership.person_id == person_id).order_by(UnitMembership.id))]


def test_a_move_adds_a_row_and_the_old_period_still_resolves_to_the_old_unit(app, province, create_unit,
                                                                             create_person):
    stp, syt = _units(province, create_unit)
    person = create_person(unit=stp, joined_on=date(2020, 3, 1))
    db.session.commit()
    record_move(db.session, person, syt, on=date(2025, 7, 1))
    db.session.commit()
    assert _rows(person.id) == [("STP", date(2020, 3, 1), date(2025, 6, 30)), ("SYT", date(2025, 7, 1), None)]
    in_2024 = set(db.session.execute(select(members_during(stp.path, date(2024, 1, 1), date(2024, 12, 31))
                                            .subquery())).scalars())
    assert person.id in in_2024
    assert person.id not in set(db.session.scalars(members_during(syt.path, date(2024, 1, 1), date(2024, 12, 31))))
    assert person.id in set(db.session.scalars(members_during(syt.path, date(2026, 1, 1), date(2026, 12, 31))))
    # In 2025 the person belonged to both, one row each, cut at the move.
    rows = db.session.execute(membership_in_period(date(2025, 1, 1), date(2025, 12, 31))).all()
    assert sorted((r.unit_id, r.valid_from, r.valid_to) for r in rows) == [
        (stp.id, date(2020, 3, 1), date(2025, 6, 30)), (syt.id, date(2025, 7, 1), None)]


def test_joiners_after_and_leavers_before_a_period_are_not_in_it(app, province, create_unit, create_person):
    stp, _ = _units(province, create_unit)
    joiner = create_person(unit=stp, joined_on=date(2026, 2, 1))
    leaver = create_person(unit=stp, joined_on=date(2010, 1, 1), left_on=date(2024, 12, 31), active=False)
    db.session.commit()
    in_2025 = set(db.session.scalars(members_during(stp.path, date(2025, 1, 1), date(2025, 12, 31))))
    assert joiner.id not in in_2025 and leaver.id not in in_2025
    rows = {r.person_id: r for r in db.session.execute(membership_in_period(date(2024, 1, 1), date(2026, 12, 31)))}
    assert rows[leaver.id].valid_to == date(2024, 12, 31) and rows[joiner.id].valid_from == date(2026, 2, 1)


def test_staff_import_records_a_move_as_a_new_row_with_its_date(app, province, create_unit):
    _units(province, create_unit)
    first = importer.plan(xlsx([["CB9", "Lê Văn Chuyển", "STP", "công chức", "01/03/2019", "", ""]], HEADERS),
                          "a.xlsx")
    assert first.errors == []
    importer.apply(first)
    db.session.commit()
    person = db.session.scalar(select(Person).where(Person.employee_code == "CB9"))
    assert person.joined_on == date(2019, 3, 1)
    moved = importer.plan(xlsx([["CB9", "Lê Văn Chuyển", "SYT", "công chức", "01/03/2019", "", "01/09/2025"]],
                               HEADERS), "b.xlsx")
    assert moved.summary()["moved"] == 1
    importer.apply(moved)
    db.session.commit()
    assert _rows(person.id) == [("STP", date(2019, 3, 1), date(2025, 8, 31)), ("SYT", date(2025, 9, 1), None)]
    assert db.session.get(Person, person.id).unit.code == "SYT"


def test_a_file_without_the_date_columns_keeps_the_dates(app, province, create_unit, create_person):
    stp, _ = _units(province, create_unit)
    create_person("Lê Văn Giữ", unit=stp, code="CB8", joined_on=date(2018, 5, 2))
    db.session.commit()
    result = importer.plan(xlsx([["CB8", "Lê Văn Giữ", "STP", "công chức"]], HEADERS[:4]), "a.xlsx")
    assert result.summary()["unchanged"] == 1
    importer.apply(result)
    assert db.session.scalar(select(Person.joined_on).where(Person.employee_code == "CB8")) == date(2018, 5, 2)


def test_import_date_errors_name_row_and_column(app, province, create_unit):
    _units(province, create_unit)
    tomorrow = (local_today() + timedelta(days=1)).strftime("%d/%m/%Y")
    result = importer.plan(xlsx([
        ["CB1", "Lê Văn A", "STP", "công chức", "01/03/2020", "01/01/2019", ""],
        ["CB2", "Lê Văn B", "STP", "công chức", "32/01/2020", "", tomorrow],
    ], HEADERS), "a.xlsx")
    assert result.errors == [
        "dòng 2, cột Ngày thôi việc: ngày thôi việc trước ngày vào đơn vị",
        "dòng 3, cột Ngày vào đơn vị: ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1988)",
        "dòng 3, cột Ngày chuyển đơn vị: không được sau hôm nay: hãy nhập việc chuyển đơn vị khi đã có hiệu lực",
    ]


def test_a_leaving_date_in_the_past_makes_the_person_inactive(app, province, create_unit):
    _units(province, create_unit)
    result = importer.plan(xlsx([["CB3", "Lê Văn C", "STP", "công chức", "", "31/12/2024", ""]], HEADERS),
                           "a.xlsx")
    importer.apply(result)
    person = db.session.scalar(select(Person).where(Person.employee_code == "CB3"))
    assert (person.active, person.left_on) == (False, date(2024, 12, 31))


def test_moving_a_person_on_the_web_keeps_the_history(app, client, login, province, create_unit, create_account,
                                                      create_person):
    stp, syt = _units(province, create_unit)
    person = create_person("Đỗ Thị Mai", unit=stp, joined_on=date(2021, 1, 4))
    login(create_account((Role.HR, None)))
    edit = client.get(f"/can-bo/{person.id}/sua").text
    assert 'type="date"' not in edit and 'value="04/01/2021"' in edit  # dd/mm/yyyy, not the browser's locale
    form = {"middle_name": "Đỗ Thị", "given_name": "Mai", "email": "", "position": "Chuyên viên",
            "category": "cong_chuc", "unit_code": "SYT", "moved_on": "1/7/2025", "joined_on": "2021-01-04",
            "left_on": "", "active": "y"}
    response = client.post(f"/can-bo/{person.id}/sua", data=form)
    assert response.status_code == 302, response.text
    assert _rows(person.id) == [("STP", date(2021, 1, 4), date(2025, 6, 30)), ("SYT", date(2025, 7, 1), None)]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.updated"))
    assert event.detail["before"]["unit"] == "STP" and event.detail["after"]["unit"] == "SYT"
    page = client.get(f"/can-bo/{person.id}").text
    assert "Quá trình công tác" in page and "30/06/2025" in page and "01/07/2025" in page


def test_the_person_form_refuses_a_unit_out_of_scope_and_bad_dates(app, client, login, province, create_unit,
                                                                    create_account, create_person):
    stp, syt = _units(province, create_unit)
    person = create_person("Đỗ Thị Mai", unit=stp)
    login(create_account((Role.HR, stp), unit=stp))
    form = {"given_name": "Mai", "category": "cong_chuc", "unit_code": "SYT", "active": "y"}
    response = client.post(f"/can-bo/{person.id}/sua", data=form)
    assert response.status_code == 400 and "ngoài phạm vi" in response.text
    response = client.post(f"/can-bo/{person.id}/sua", data=form | {
        "unit_code": "STP", "joined_on": "2022-01-01", "left_on": "2021-01-01"})
    assert response.status_code == 400 and "Ngày thôi việc phải sau ngày vào đơn vị" in response.text
    assert _rows(person.id) == [("STP", None, None)]


def test_a_person_added_and_committed_without_a_flush_gets_an_account_and_a_membership(app, province):
    from learning.auth.models import Account, AccountStatus

    person = Person(employee_code="CB-NOFLUSH", middle_name="Trần Thị", given_name="Mai", unit=province,
                    category="cong_chuc")
    db.session.add(person)
    db.session.commit()  # no flush before: the commit's own flush is the first to see the person
    account = db.session.scalar(select(Account).where(Account.person_id == person.id))
    assert account is not None and account.status == AccountStatus.INVITED
    assert db.session.scalar(select(UnitMembership).where(UnitMembership.person_id == person.id)) is not None
