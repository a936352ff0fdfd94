"""A person signs in in Chromium with the password of the province directory (a real slapd, tests/ldap_server.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from learning.auth.models import Account, AccountStatus
from learning.extensions import db
from learning.org.models import Category, Person, Unit
from tests.browser.conftest import axe_violations, log_in
from tests.ldap_server import LDAP_USERS

pytestmark = pytest.mark.browser


@pytest.fixture
def ldap_site(live_app, live_server, slapd):
    """The live site signing in through the test directory, with a person for its first user; restored after."""
    saved = {key: live_app.config.get(key) for key in slapd.config()}
    live_app.config.update(slapd.config(LDAP_STARTTLS=True, LDAP_CA_FILE=slapd.ca_file))
    _uid, code, mail, _password = LDAP_USERS[0]
    with live_app.app_context():
        if db.session.scalar(select(Person).where(Person.employee_code == code)) is None:
            unit = db.session.scalars(select(Unit).order_by(Unit.depth, Unit.id)).first()
            db.session.add(Person(employee_code=code, middle_name="Lê Văn", given_name="Thư", email=mail, unit=unit,
                                  category=Category.CIVIL_SERVANT))
            db.session.flush()  # the account is opened at commit for people already flushed (org.history)
            db.session.commit()
    yield live_app
    live_app.config.update(saved)


def test_person_signs_in_with_the_directory_password(page, ldap_site):
    _uid, code, _mail, password = LDAP_USERS[0]
    page.goto("/dang-nhap")
    assert page.get_by_text("mật khẩu tài khoản công vụ của tỉnh").is_visible()  # the page leads with LDAP
    assert axe_violations(page) == []
    log_in(page, code, password)
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Lê Văn Thư"
    with ldap_site.app_context():
        account = db.session.scalar(select(Account).join(Person).where(Person.employee_code == code))
        assert (account.sso_provider, account.sso_subject) == ("ldap", "uid=an,ou=can-bo,dc=tinh,dc=test")
        assert account.status == AccountStatus.ACTIVE


def test_directory_user_without_a_person_reads_whom_to_ask(page, ldap_site):
    _uid, code, _mail, password = LDAP_USERS[1]
    log_in(page, code, password)
    alert = page.get_by_role("alert").inner_text()
    assert "chưa có hồ sơ cán bộ nào" in alert and "bộ phận tổ chức cán bộ" in alert
    assert axe_violations(page) == []
