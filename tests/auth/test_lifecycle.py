"""Accounts follow their person (issue 14, item 1): leavers cannot sign in, returning people can again."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from learning.audit.models import AuditEvent
from learning.auth import lifecycle
from learning.auth.models import Account, AccountStatus, Role
from learning.core.dates import local_today
from learning.extensions import db
from learning.org import importer
from learning.org.models import Person
from tests.factories import PASSWORD

PROTECTED = "/doi-mat-khau"


pytestmark = pytest.mark.usefixtures("request_scoped_clients")  # tests/factories.py


def _sign_in(app, account):
    client = app.test_client()
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD,
                                               "remember": "y"})
    assert response.status_code == 302, response.text[:300]
    return client


def _replay(app, name, value) -> bool:
    """A fresh browser carrying only this cookie: is it signed in?"""
    other = app.test_client()
    other.set_cookie(name, value)
    return other.get(PROTECTED).status_code == 200


def _password_works(app, account) -> bool:
    response = app.test_client().post("/dang-nhap", data={"identifier": account.person.employee_code,
                                                          "password": PASSWORD})
    return response.status_code == 302


def _account(person_id: int) -> Account:
    db.session.expire_all()
    return db.session.scalar(select(Account).where(Account.person_id == person_id))


def _edit(hr_client, person, **changes):
    data = {"middle_name": person.middle_name, "given_name": person.given_name, "category": person.category,
            "unit_code": person.unit.code, "active": "y", **changes}
    data = {k: v for k, v in data.items() if v is not None}
    response = hr_client.post(f"/can-bo/{person.id}/sua", data=data)
    assert response.status_code == 302, response.text[:500]


def test_a_leaver_set_inactive_on_the_person_page_cannot_sign_in_and_comes_back(app, create_account):
    hr = create_account(Role.HR)
    learner = create_account()
    person_id = learner.person_id
    client = _sign_in(app, learner)
    session_cookie = client.get_cookie("session").value
    remember = client.get_cookie("remember_token").value
    version = learner.session_version
    _edit(_sign_in(app, hr), learner.person, active=None)  # the "Đang làm việc" box unticked
    account = _account(person_id)
    assert account.status == AccountStatus.DISABLED and account.disabled_reason == lifecycle.LEFT
    assert account.session_version == version + 1
    assert client.get(PROTECTED).status_code == 302  # the open session has ended
    assert not _replay(app, "session", session_cookie) and not _replay(app, "remember_token", remember)
    assert not _password_works(app, account)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.disabled"))
    assert event.actor_id == hr.id and event.detail["before"] == "active" and event.detail["reason"] == "left"

    _edit(_sign_in(app, hr), db.session.get(Person, person_id))  # active again
    account = _account(person_id)
    assert account.status == AccountStatus.ACTIVE and account.disabled_reason is None
    assert _password_works(app, account)
    assert not _replay(app, "remember_token", remember)  # the old cookie stays dead
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "account.enabled"))["after"] == \
        "active"


def test_a_leaving_date_in_the_past_disables_and_clearing_it_reenables_an_invited_account(app, create_account,
                                                                                       create_person):
    hr = create_account(Role.HR)
    person = create_person()
    db.session.commit()
    assert _account(person.id).status == AccountStatus.INVITED
    hr_client = _sign_in(app, hr)
    yesterday = local_today() - timedelta(days=1)
    _edit(hr_client, person, left_on=yesterday.isoformat(), active=None)
    assert _account(person.id).status == AccountStatus.DISABLED
    _edit(hr_client, db.session.get(Person, person.id), left_on=(local_today() + timedelta(days=30)).isoformat())
    assert _account(person.id).status == AccountStatus.INVITED  # no password yet: back to invited


def test_the_nightly_sweep_disables_accounts_whose_leaving_date_passed(app, create_account):
    learner = create_account(left_on=local_today() + timedelta(days=2))
    client = _sign_in(app, learner)
    # The date arrives on its own: written straight to the table, no person change goes through the session.
    db.session.connection().execute(update(Person.__table__).where(Person.__table__.c.id == learner.person_id)
                                    .values(left_on=local_today() - timedelta(days=1)))
    db.session.commit()
    assert client.get(PROTECTED).status_code == 302  # refused from that day, before any sweep
    assert _account(learner.person_id).status == AccountStatus.ACTIVE
    result = app.test_cli_runner().invoke(args=["accounts", "sweep"])
    assert result.exit_code == 0 and "Đã vô hiệu hóa 1 tài khoản" in result.output, result.output
    assert _account(learner.person_id).status == AccountStatus.DISABLED
    again = app.test_cli_runner().invoke(args=["accounts", "sweep"])
    assert "Đã vô hiệu hóa 0 tài khoản" in again.output


def test_an_account_disabled_by_hand_stays_disabled_when_the_person_changes(app, create_account):
    admin = create_account(Role.ADMIN)
    learner = create_account()
    lifecycle.disable(learner, by=admin)
    db.session.commit()
    learner.person.active = False
    db.session.commit()
    learner.person.active = True
    db.session.commit()
    account = _account(learner.person_id)
    assert account.status == AccountStatus.DISABLED and account.disabled_reason == lifecycle.BY_ADMIN


def test_the_staff_import_disables_leavers_and_reenables_returners(app, create_account, create_unit, province):
    create_unit("Sở Tư pháp", parent=province, code="STP")
    db.session.commit()
    header = "Mã cán bộ,Họ và tên,Mã đơn vị,Loại,Trạng thái\n"

    def run(rows: str) -> None:
        plan = importer.plan((header + rows).encode(), "ds.csv")
        assert plan.ok, plan.errors
        importer.apply(plan)
        db.session.commit()

    run("NV1,Trần Văn Một,STP,công chức,đang làm việc\nNV2,Lê Thị Hai,STP,công chức,nghỉ việc\n")
    one, two = (db.session.scalar(select(Person).where(Person.employee_code == c)) for c in ("NV1", "NV2"))
    assert _account(one.id).status == AccountStatus.INVITED
    assert _account(two.id).status == AccountStatus.DISABLED  # added already gone
    account = _account(one.id)
    account.set_password(PASSWORD)
    account.status = AccountStatus.ACTIVE.value
    db.session.commit()
    client = _sign_in(app, account)
    run("NV1,Trần Văn Một,STP,công chức,nghỉ việc\nNV2,Lê Thị Hai,STP,công chức,đang làm việc\n")
    assert _account(one.id).status == AccountStatus.DISABLED
    assert client.get(PROTECTED).status_code == 302
    assert _account(two.id).status == AccountStatus.INVITED
    run("NV1,Trần Văn Một,STP,công chức,đang làm việc\n")
    assert _account(one.id).status == AccountStatus.ACTIVE
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("account.%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["account.disabled", "account.enabled", "account.enabled"]
