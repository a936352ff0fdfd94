"""Sessions and remember cookies end when they should (issue 13, item 3)."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from learning.auth.models import Account
from learning.extensions import db
from tests.factories import PASSWORD

PROTECTED = "/doi-mat-khau"
NEW_PASSWORD = "moi-2026-abc"


pytestmark = pytest.mark.usefixtures("request_scoped_clients")  # tests/factories.py


def _sign_in(app, account, remember=True):
    client = app.test_client()
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD,
                                               "remember": "y" if remember else ""})
    assert response.status_code == 302
    return client


def _cookies(client):
    return {name: client.get_cookie(name).value for name in ("session", "remember_token") if client.get_cookie(name)}


def _replay(app, cookies):
    """A fresh browser carrying only the captured cookies: is it signed in?"""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get(PROTECTED).status_code == 200


def test_the_captured_cookies_work_until_log_out(app, create_account):
    client = _sign_in(app, create_account())
    cookies = _cookies(client)
    assert set(cookies) == {"session", "remember_token"}
    assert _replay(app, {"session": cookies["session"]}) and _replay(app, {"remember_token": cookies["remember_token"]})
    client.post("/dang-xuat")
    assert not _replay(app, {"session": cookies["session"]})
    assert not _replay(app, {"remember_token": cookies["remember_token"]})


def test_a_password_change_ends_other_sessions_and_keeps_the_changer_signed_in(app, create_account):
    account = create_account()
    elsewhere = _cookies(_sign_in(app, account))
    changer = _sign_in(app, account)
    response = changer.post(PROTECTED, data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _replay(app, {"session": elsewhere["session"]})
    assert not _replay(app, {"remember_token": elsewhere["remember_token"]})
    assert changer.get(PROTECTED).status_code == 200
    assert _replay(app, {"remember_token": _cookies(changer)["remember_token"]})  # a new remember cookie


def test_an_admin_reset_ends_the_sessions_of_that_account(app, create_account):
    from learning.auth.models import Role

    user = create_account(full_name="Đỗ Thị Mai")
    cookies = _cookies(_sign_in(app, user))
    admin = _sign_in(app, create_account((Role.ADMIN, None)))
    assert admin.post(f"/tai-khoan/{user.id}/dat-lai-mat-khau").status_code == 302
    assert not _replay(app, {"session": cookies["session"]})
    assert not _replay(app, {"remember_token": cookies["remember_token"]})


def test_an_inactive_person_is_signed_out_at_the_next_request(app, create_account):
    account = create_account()
    client = _sign_in(app, account)
    account.person.active = False
    db.session.commit()
    assert client.get(PROTECTED).status_code == 302


def test_remember_cookie_lasts_at_most_30_days_and_is_same_site_lax(app, create_account):
    account = create_account()
    client = app.test_client()
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD,
                                               "remember": "y"})
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "SameSite=Lax" in header and "HttpOnly" in header
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", header).group(1))
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)


def test_log_in_renews_the_session_and_its_csrf_secret(app, create_account):
    account = create_account()
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/dang-nhap")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    with client.session_transaction() as sess:
        before = sess["csrf_token"]
        sess["marker"] = "anonymous"
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD,
                                               "csrf_token": token})
    assert response.status_code == 302
    client.get("/")
    with client.session_transaction() as sess:
        assert "marker" not in sess
        assert sess.get("csrf_token") != before
        assert sess["_user_id"] == f"{account.id}:{db.session.get(Account, account.id).session_version}"


@pytest.mark.parametrize("value", ["1", "abc", "1:x"])
def test_an_old_style_or_forged_user_id_is_refused(app, create_account, value):
    account = create_account()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = value.replace("1", str(account.id), 1)
    assert client.get(PROTECTED).status_code == 302
