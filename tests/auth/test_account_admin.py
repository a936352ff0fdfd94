"""Account administration on the person page, HR's not-activated counts, ``flask accounts list`` (issue 14)."""

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth import lifecycle
from learning.auth.models import Account, AccountStatus, AccountToken, Role, TokenPurpose
from learning.extensions import db
from tests.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("request_scoped_clients")  # tests/factories.py


@pytest.fixture
def org(province, create_unit):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    return {"dept": dept, "office": create_unit("Văn phòng Sở", parent=dept, code="STP-VP"),
            "other": create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh")}


def _status(account: Account) -> str:
    db.session.expire_all()
    return db.session.get(Account, account.id).status


def test_the_panel_shows_status_sign_in_invitation_and_sso(client, login, create_account, create_person, org):
    hr = create_account(Role.HR)
    person = create_person(unit=org["office"])
    db.session.commit()
    account = db.session.scalar(select(Account).where(Account.person_id == person.id))
    login(hr)
    page = client.get(f"/can-bo/{person.id}").get_data(as_text=True)
    assert "Tài khoản đăng nhập" in page and "Chưa kích hoạt" in page and "chưa đăng nhập" in page
    assert f"/tai-khoan/{account.id}/vo-hieu-hoa" in page and f"/tai-khoan/{account.id}/khoa" in page
    db.session.add(AccountToken(account_id=account.id, purpose=TokenPurpose.INVITATION.value, token_hash="a" * 64,
                                created_at=datetime(2026, 11, 30, 1, 0), expires_at=datetime(2026, 12, 7, 1, 0)))
    account.sso_provider, account.sso_subject = "oidc", "sub-123"
    db.session.commit()
    page = client.get(f"/can-bo/{person.id}").get_data(as_text=True)
    assert "08:00 ngày 30/11/2026" in page and "hết hạn ngày 07/12/2026" in page  # local time
    assert "OIDC: sub-123" in page


def test_disable_asks_first_then_ends_sessions_and_enable_brings_it_back(app, client, login, create_account, org):
    hr = create_account((Role.HR, org["dept"]), unit=org["dept"])
    learner = create_account(unit=org["office"])
    other = app.test_client()
    assert other.post("/dang-nhap", data={"identifier": learner.person.employee_code,
                                          "password": PASSWORD}).status_code == 302
    login(hr)
    confirm = client.get(f"/tai-khoan/{learner.id}/vo-hieu-hoa")
    assert confirm.status_code == 200 and "Vô hiệu hóa tài khoản của" in confirm.get_data(as_text=True)
    assert _status(learner) == AccountStatus.ACTIVE  # asking changes nothing
    response = client.post(f"/tai-khoan/{learner.id}/vo-hieu-hoa", data={"note": "Nghi lộ mật khẩu"})
    assert response.status_code == 302
    db.session.expire_all()
    account = db.session.get(Account, learner.id)
    assert (account.status, account.disabled_reason) == (AccountStatus.DISABLED, lifecycle.BY_ADMIN)
    assert other.get("/doi-mat-khau").status_code == 302  # the learner's open session ended
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.disabled"))
    assert event.actor_id == hr.id and event.detail["note"] == "Nghi lộ mật khẩu"
    refused = other.post("/dang-nhap", data={"identifier": learner.person.employee_code, "password": PASSWORD})
    assert refused.status_code == 401 and "vô hiệu hóa" in refused.get_data(as_text=True)
    assert client.post(f"/tai-khoan/{learner.id}/mo-lai").status_code == 302
    assert _status(learner) == AccountStatus.ACTIVE
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "account.enabled"))["after"] == \
        "active"


def test_lock_and_unlock(app, client, login, create_account, org):
    admin = create_account(Role.ADMIN)
    learner = create_account(unit=org["office"])
    login(admin)
    client.post(f"/tai-khoan/{learner.id}/khoa")
    assert _status(learner) == AccountStatus.LOCKED
    refused = app.test_client().post("/dang-nhap", data={"identifier": learner.person.employee_code,
                                                         "password": PASSWORD})
    assert refused.status_code == 401 and "đang bị khóa" in refused.get_data(as_text=True)
    again = client.post(f"/tai-khoan/{learner.id}/khoa", follow_redirects=True)
    assert "Chỉ khóa được tài khoản" in again.get_data(as_text=True)
    client.post(f"/tai-khoan/{learner.id}/mo-khoa")
    assert _status(learner) == AccountStatus.ACTIVE
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("account.%"))).all()
    assert sorted(actions) == ["account.locked", "account.unlocked"]


def test_who_may_change_an_account(client, login, create_account, org):
    hr_sub = create_account((Role.HR, org["dept"]), unit=org["dept"])
    admin = create_account(Role.ADMIN, unit=org["office"])
    outsider = create_account(unit=org["other"])
    login(hr_sub)
    assert client.post(f"/tai-khoan/{outsider.id}/khoa").status_code == 403  # out of scope
    assert client.post(f"/tai-khoan/{admin.id}/khoa").status_code == 403  # an administrator's account
    assert client.post(f"/tai-khoan/{hr_sub.id}/khoa").status_code == 403  # one's own
    assert client.get(f"/tai-khoan/{admin.id}/vo-hieu-hoa").status_code == 403
    assert client.post("/tai-khoan/999999/khoa").status_code == 404
    assert {_status(a) for a in (outsider, admin, hr_sub)} == {AccountStatus.ACTIVE}


def test_enable_is_refused_while_the_person_has_left(client, login, create_account, org):
    admin = create_account(Role.ADMIN)
    learner = create_account(unit=org["office"])
    lifecycle.disable(learner, by=admin)
    db.session.commit()
    learner.person.active = False
    db.session.commit()
    login(admin)
    page = client.post(f"/tai-khoan/{learner.id}/mo-lai", follow_redirects=True).get_data(as_text=True)
    assert "Hãy sửa thông tin cán bộ" in page
    assert _status(learner) == AccountStatus.DISABLED


def test_hr_home_shows_per_unit_who_has_not_activated(client, login, create_account, create_person, org):
    hr = create_account(Role.HR)
    for _ in range(3):
        create_person(unit=org["office"])
    create_person(unit=org["other"])
    create_person(unit=org["other"], active=False)  # gone: not counted
    db.session.commit()
    login(hr)
    page = client.get("/").get_data(as_text=True)
    section = page.split("Tài khoản chưa kích hoạt", 1)[1]
    rows = {name: section.split(name, 1)[1].split('class="num">', 1)[1].split("<", 1)[0]
            for name in ("Sở Tư pháp", "Sở Y tế")}
    assert rows == {"Sở Tư pháp": "3", "Sở Y tế": "1"}


def test_accounts_list_json_and_unit_subtree(app, create_account, create_person, org):
    learner = create_account(unit=org["office"], email="a@stp.gov.vn")
    learner.last_login_at = datetime(2026, 12, 1, 17, 30)
    db.session.add(AccountToken(account_id=learner.id, purpose=TokenPurpose.INVITATION.value, token_hash="b" * 64,
                                created_at=datetime(2026, 11, 30, 1, 0), expires_at=datetime(2026, 12, 7)))
    create_person(unit=org["other"], code="SYT1")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "list", "--unit", "STP", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows == [{"code": learner.person.employee_code, "email": "a@stp.gov.vn", "status": "active",
                     "sso": None, "last_login": "2026-12-02T00:30:00+07:00",
                     "invited_at": "2026-11-30T08:00:00+07:00"}]
    everyone = json.loads(runner.invoke(args=["accounts", "list", "--json"]).output)
    assert {r["code"] for r in everyone} >= {learner.person.employee_code, "SYT1"}
    assert next(r for r in everyone if r["code"] == "SYT1")["status"] == "invited"
    table = runner.invoke(args=["accounts", "list", "--unit", "SYT"])
    assert table.output.startswith("SYT1\t—\tinvited")
    unknown = runner.invoke(args=["accounts", "list", "--unit", "KHONG"])
    assert unknown.exit_code != 0 and "không có đơn vị mã" in unknown.output
    assert json.loads(runner.invoke(args=["accounts", "list", "--unit", "STP-VP", "--json"]).output)[0]["code"] == \
        learner.person.employee_code
