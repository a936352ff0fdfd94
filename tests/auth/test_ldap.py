"""LDAP / Active Directory sign-in against a real OpenLDAP (tests/ldap_server.py), and the LOCAL_LOGIN switch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth import throttle
from learning.auth.models import Account, AccountStatus, Role
from learning.extensions import db
from tests.factories import PASSWORD
from tests.ldap_server import LDAP_USERS, free_port

GENERIC = "Mã cán bộ/e-mail hoặc mật khẩu không đúng."
DOWN = "Hiện không kết nối được máy chủ tài khoản công vụ của tỉnh (LDAP)"
NO_PERSON = "chưa có hồ sơ cán bộ nào trên hệ thống khớp"
LOCAL_OFF = "Đăng nhập bằng mật khẩu riêng của hệ thống đã được tắt."
AN, BINH, CHI, QUANTRI = ((code, mail, password) for _uid, code, mail, password in LDAP_USERS)


@pytest.fixture
def configure(app):
    """Set config keys for one test; restored afterwards (the app is shared by the session)."""
    saved: dict[str, object] = {}

    def apply(**values: object) -> None:
        for key, value in values.items():
            saved.setdefault(key, app.config.get(key))
            app.config[key] = value

    yield apply
    app.config.update(saved)


@pytest.fixture
def directory(slapd, configure):
    configure(**slapd.config())
    return slapd


def _post(client, identifier, password, **extra):
    return client.post("/dang-nhap", data={"identifier": identifier, "password": password, **extra})


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _last(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id.desc())).first()


def test_ldap_password_signs_in_and_links_the_account(app, client, directory, create_account):
    code, mail, password = AN
    account = create_account(code=code, email=mail)
    account.status = AccountStatus.INVITED.value  # never signed in: SSO may sign in an invited account
    account.password_hash = None
    db.session.commit()
    response = _post(client, code.lower(), password, next="/khoa-hoc")
    assert response.status_code == 302 and response.location == "/khoa-hoc"
    db.session.expire_all()
    account = db.session.get(Account, account.id)
    assert (account.sso_provider, account.sso_subject) == ("ldap", "uid=an,ou=can-bo,dc=tinh,dc=test")
    assert account.status == AccountStatus.ACTIVE and account.last_login_at is not None
    assert _last("auth.login").detail["method"] == "ldap"
    assert "auth.sso_linked" in _actions()
    assert "Xin chào" in client.get("/").text
    client.post("/dang-xuat")
    # The e-mail works as well, and a second sign-in does not link again.
    assert _post(client, mail.upper(), password).status_code == 302
    assert _actions().count("auth.sso_linked") == 1


def test_entry_found_by_email_attribute(app, client, directory, configure, create_account):
    code, mail, password = CHI
    configure(LDAP_USER_ATTR="mail")
    account = create_account(code=code, email=mail)
    assert _post(client, code, password).status_code == 302  # typed the code; the entry is found by its e-mail
    assert db.session.get(Account, account.id).sso_subject == "uid=chi,ou=can-bo,dc=tinh,dc=test"


def test_wrong_ldap_password_fails_like_any_wrong_password_and_is_throttled(app, client, directory, create_account):
    code, mail, password = AN
    create_account(code=code, email=mail)
    answers = [_post(client, code, "sai-mat-khau") for _ in range(throttle.PAIR.free + 1)]
    assert {r.status_code for r in answers} == {401}
    assert all(GENERIC in r.text for r in answers)
    throttled = _post(client, code, password)  # even the right directory password waits now
    assert throttled.status_code == 429 and "Vui lòng thử lại sau" in throttled.text
    assert _actions().count("auth.login_failed") == throttle.PAIR.free + 1


def test_a_local_password_still_works_while_local_login_is_on(app, client, directory, create_account):
    code, mail, _password = AN
    create_account(code=code, email=mail)
    response = _post(client, code, PASSWORD)
    assert response.status_code == 302
    assert _last("auth.login").detail["method"] == "password"


@pytest.mark.parametrize("identifier", ["CB-LDAP-1*", "*", "*)(uid=an", "CB-LDAP-1)(|(uid=*", "\\2a", "an*)(%00"])
def test_ldap_filter_characters_in_the_identifier_are_only_text(app, client, directory, create_account,
                                                                 identifier):
    code, mail, password = AN
    create_account(code=code, email=mail)
    response = _post(client, identifier, password)
    assert response.status_code == 401 and GENERIC in response.text
    assert "auth.login" not in _actions()


def test_directory_user_without_a_person_gets_a_clear_message(app, client, directory):
    code, _mail, password = BINH
    response = _post(client, code, password)
    assert response.status_code == 401 and NO_PERSON in response.text
    assert "liên hệ bộ phận tổ chức cán bộ" in response.text
    assert db.session.scalar(select(Account)) is None  # LDAP never creates a person or an account
    assert "auth.ldap_no_person" in _actions()
    wrong = _post(app.test_client(), code, "sai-mat-khau")  # the message needs the right password
    assert wrong.status_code == 401 and NO_PERSON not in wrong.text and GENERIC in wrong.text


def test_disabled_person_cannot_sign_in_through_ldap(app, client, directory, create_account):
    code, mail, password = AN
    account = create_account(code=code, email=mail)
    account.person.active = False
    db.session.commit()
    response = _post(client, code, password)
    assert response.status_code == 401 and "vô hiệu hóa" in response.text


def test_directory_down_gives_a_clear_message_and_local_fallback(app, client, configure, create_account):
    code, mail, password = AN
    create_account(code=code, email=mail)
    configure(LDAP_URL=f"ldap://127.0.0.1:{free_port()}", LDAP_BASE_DN="dc=tinh,dc=test", LDAP_TIMEOUT=2,
              LDAP_USER_ATTR="employeeNumber", LDAP_STARTTLS=False)
    down = _post(client, code, password)
    assert down.status_code == 503 and DOWN in down.text
    assert "auth.login" not in _actions()
    # Local log-in allowed for the account: its own password still signs in during the outage.
    assert _post(client, code, PASSWORD).status_code == 302
    client.post("/dang-xuat")
    configure(LOCAL_LOGIN=False)
    off = _post(client, code, PASSWORD)
    assert off.status_code == 503 and DOWN in off.text


def test_starttls_with_the_configured_ca(app, client, slapd, configure, create_account):
    code, mail, password = CHI
    create_account(code=code, email=mail)
    configure(**slapd.config(LDAP_STARTTLS=True, LDAP_CA_FILE=slapd.ca_file))
    assert _post(client, code, password).status_code == 302
    client.post("/dang-xuat")
    configure(**slapd.config(LDAP_URL=slapd.ldaps_url, LDAP_CA_FILE=slapd.ca_file))
    assert _post(client, code, password).status_code == 302


def test_untrusted_directory_certificate_is_refused_as_down(app, client, slapd, configure, create_account):
    code, mail, password = CHI
    create_account(code=code, email=mail)
    configure(**slapd.config(LDAP_URL=slapd.ldaps_url, LDAP_CA_FILE=""))  # the system CAs do not know it
    response = _post(client, code, password)
    assert response.status_code == 503 and DOWN in response.text


def test_service_account_refused_is_reported_as_down(app, client, slapd, configure, create_account):
    code, mail, password = AN
    create_account(code=code, email=mail)
    configure(**slapd.config(LDAP_BIND_PASSWORD="khong-dung"))
    response = _post(client, code, password)
    assert response.status_code == 503 and DOWN in response.text


def test_local_login_off_refuses_a_normal_accounts_correct_password_only(app, client, configure, create_account):
    configure(LOCAL_LOGIN=False, LOCAL_LOGIN_BREAK_GLASS="")
    account = create_account()
    code = account.person.employee_code
    wrong = _post(client, code, "sai-mat-khau")
    unknown = _post(client, "KHONG-CO", "sai-mat-khau")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC in wrong.text and GENERIC in unknown.text and LOCAL_OFF not in wrong.text
    right = _post(client, code, PASSWORD)
    assert right.status_code == 401 and LOCAL_OFF in right.text and GENERIC not in right.text
    assert "auth.login" not in _actions()
    assert _last("auth.login_refused").detail["reason"] == "local_login_off"


def test_local_login_off_lets_break_glass_admins_in(app, client, configure, create_account):
    admin = create_account((Role.ADMIN, None), code="QT-DU-PHONG")
    not_admin = create_account(code="QT-KHONG-QUYEN")
    other_admin = create_account((Role.ADMIN, None), code="QT-KHAC")
    configure(LOCAL_LOGIN=False, LOCAL_LOGIN_BREAK_GLASS=" qt-du-phong , QT-KHONG-QUYEN")
    assert _post(client, admin.person.employee_code, PASSWORD).status_code == 302
    client.post("/dang-xuat")
    refused = [_post(client, a.person.employee_code, PASSWORD) for a in (not_admin, other_admin)]
    assert all(r.status_code == 401 and LOCAL_OFF in r.text for r in refused)


def test_local_login_off_with_ldap_still_signs_in_through_the_directory(app, client, directory, configure,
                                                                        create_account):
    code, mail, password = AN
    create_account(code=code, email=mail)
    configure(LOCAL_LOGIN=False)
    page = client.get("/dang-nhap").text
    assert "mật khẩu tài khoản công vụ của tỉnh" in page
    refused = _post(client, code, PASSWORD)
    assert refused.status_code == 401 and LOCAL_OFF in refused.text
    assert _post(client, code, password).status_code == 302


def test_an_empty_password_is_never_an_anonymous_bind(app, directory):
    from learning.auth import ldap

    code, _mail, password = AN
    assert ldap.check([code], password) is not None
    entry = ldap.find_entry([code])
    assert ldap.bind(entry, "") is False  # slapd would accept it as an unauthenticated bind
    assert ldap.check([code], "") is None
