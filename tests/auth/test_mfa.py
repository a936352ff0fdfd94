"""TOTP second factor: enrolment, sign-in with a code, forced enrolment for required roles, throttling, replay,
recovery codes, turning off, an administrator's reset."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth import mfa, sessions
from learning.auth.models import Account, RecoveryCode, Role
from learning.config import Config
from learning.extensions import db
from tests.factories import PASSWORD

ENROL = "/tai-khoan/xac-thuc-hai-buoc/dang-ky"
CHALLENGE = "/dang-nhap/ma-xac-thuc"
LOGIN_ENROL = "/dang-nhap/dang-ky-xac-thuc"
SETTINGS = "/tai-khoan/xac-thuc-hai-buoc"


def code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(mfa.current_step() + offset)


def secret_on(page: str) -> str:
    match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert match, page[:2000]
    return match.group(1).replace(" ", "")


def codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", page)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def password_step(client, account):
    return client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD})


@pytest.fixture
def enrolled(client, login, create_account):
    """An account that turned MFA on itself; returns (account, secret, recovery codes), signed out."""
    account = create_account()
    login(account)
    secret = secret_on(client.get(ENROL).text)
    page = client.post(ENROL, data={"code": code(secret)})
    assert page.status_code == 200
    client.post("/dang-xuat")
    return db.session.get(Account, account.id), secret, codes_on(page.text)


def test_enrolment_shows_a_qr_code_and_the_secret_and_is_confirmed_by_a_code(client, login, create_account):
    account = create_account()
    login(account)
    page = client.get(ENROL)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'src="/xac-thuc-hai-buoc/ma-qr.svg"' in page.text and "<script" not in page.text
    secret = secret_on(page.text)
    image = client.get("/xac-thuc-hai-buoc/ma-qr.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml" and b"<svg" in image.data
    assert secret_on(client.get(ENROL).text) == secret  # the same secret until confirmed

    wrong = client.post(ENROL, data={"code": "000000" if code(secret) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Mã chưa đúng" in wrong.text
    assert not db.session.get(Account, account.id).mfa_enrolled

    done = client.post(ENROL, data={"code": code(secret)})
    assert done.status_code == 200
    recovery = codes_on(done.text)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    stored = db.session.get(Account, account.id)
    assert stored.mfa_enrolled and secret not in stored.mfa_secret and mfa.decrypt(stored.mfa_secret) == secret
    hashes = set(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.account_id == account.id)))
    assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in recovery for h in hashes)
    assert [e.actor_id for e in events("auth.mfa_enrolled")] == [account.id]
    # The secret is never shown again; the QR image is gone with it.
    settings = client.get(SETTINGS)
    assert "Đang bật" in settings.text and secret not in settings.text
    assert client.get(ENROL).status_code == 302
    assert client.get("/xac-thuc-hai-buoc/ma-qr.svg").status_code == 404


def test_sign_in_needs_a_code_once_enrolled_and_the_pending_login_opens_no_page(client, enrolled):
    account, secret, _ = enrolled
    response = password_step(client, account)
    assert response.status_code == 302 and response.location == CHALLENGE
    for page in ("/", "/hoc-tap", SETTINGS, "/du-lieu-cua-toi"):
        assert "/dang-nhap" in client.get(page).location, page
    assert client.get("/xac-thuc-hai-buoc/ma-qr.svg").status_code == 404
    challenge = client.get(CHALLENGE)
    assert challenge.status_code == 200 and 'autocomplete="one-time-code"' in challenge.text
    assert challenge.headers["Cache-Control"] == "no-store"
    done = client.post(CHALLENGE, data={"code": code(secret, 1)})
    assert done.status_code == 302 and done.location == "/"
    assert "Xin chào" in client.get("/").text
    assert events("auth.login")[-1].detail == {"method": "password", "mfa": "totp"}


def test_a_code_cannot_be_replayed(client, enrolled):
    account, secret, _ = enrolled
    password_step(client, account)
    # The enrolment's code was claimed: it does not sign in.
    first = code(secret)
    if first != code(secret, 1):
        assert client.post(CHALLENGE, data={"code": first}).status_code == 400
    used = code(secret, 1)
    assert client.post(CHALLENGE, data={"code": used}).location == "/"
    client.post("/dang-xuat")
    password_step(client, account)
    replay = client.post(CHALLENGE, data={"code": used})
    assert replay.status_code == 400 and "đã được dùng" in replay.text
    assert "/dang-nhap" in client.get("/").location


def test_wrong_codes_are_refused_then_throttled(client, enrolled):
    account, secret, _ = enrolled
    password_step(client, account)
    right = code(secret, 1)
    wrong = "123456" if right != "123456" else "654321"
    statuses = [client.post(CHALLENGE, data={"code": wrong}).status_code for _ in range(6)]
    assert statuses == [400] * 6
    throttled = client.post(CHALLENGE, data={"code": right})  # even the right code waits
    assert throttled.status_code == 429 and "thử lại sau" in throttled.text
    assert len(events("auth.mfa_failed")) == 6
    assert "/dang-nhap" in client.get("/").location


def test_a_recovery_code_signs_in_once(client, enrolled):
    account, _, recovery = enrolled
    password_step(client, account)
    done = client.post(CHALLENGE, data={"code": recovery[0].lower()})
    assert done.location == "/"
    assert "còn 9 mã" in client.get("/").text
    assert events("auth.login")[-1].detail["mfa"] == "recovery"
    client.post("/dang-xuat")
    password_step(client, account)
    again = client.post(CHALLENGE, data={"code": recovery[0]})
    assert again.status_code == 400
    assert client.post(CHALLENGE, data={"code": recovery[1].replace("-", " ")}).location == "/"


def test_a_required_role_must_enrol_before_signing_in(app, client, create_account, monkeypatch):
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", "admin, hr")
    learner = create_account()
    assert password_step(client, learner).location == "/"  # not required: signs in as before
    client.post("/dang-xuat")
    admin = create_account((Role.ADMIN, None))
    response = password_step(client, admin)
    assert response.location == LOGIN_ENROL
    assert "/dang-nhap" in client.get("/").location
    assert client.get(CHALLENGE).location == LOGIN_ENROL
    page = client.get(LOGIN_ENROL)
    assert "bắt buộc xác thực hai bước" in page.text
    secret = secret_on(page.text)
    assert client.get("/xac-thuc-hai-buoc/ma-qr.svg").mimetype == "image/svg+xml"
    assert client.post(LOGIN_ENROL, data={"code": "12"}).status_code == 400
    done = client.post(LOGIN_ENROL, data={"code": code(secret)})
    assert done.status_code == 200 and len(codes_on(done.text)) == 10
    assert "Xin chào" in client.get("/").text
    # Required: it cannot be turned off.
    client.post("/tai-khoan/xac-thuc-hai-buoc/tat", data={"code": code(secret, 1)})
    assert db.session.get(Account, admin.id).mfa_enrolled


def test_every_sign_in_method_goes_through_complete_login(app, create_account):
    account = create_account()
    account.mfa_secret, account.mfa_enrolled_at = mfa.encrypt(mfa.new_secret()), account.created_at
    db.session.commit()
    with app.test_request_context("/"):
        from flask import session
        from flask_login import current_user

        target = sessions.complete_login(account, method="oidc", next_url="/hoc-tap")
        assert target == CHALLENGE and not current_user.is_authenticated
        assert session[mfa.PENDING_KEY]["method"] == "oidc" and session[mfa.PENDING_KEY]["next"] == "/hoc-tap"


def test_a_stale_pending_login_goes_back_to_the_password(client, enrolled):
    account, secret, _ = enrolled
    password_step(client, account)
    with client.session_transaction() as sess:
        sess[mfa.PENDING_KEY] = sess[mfa.PENDING_KEY] | {"expires": int(time.time()) - 1}
    response = client.post(CHALLENGE, data={"code": code(secret, 1)})
    assert response.status_code == 302 and response.location == "/dang-nhap"
    password_step(client, account)
    db.session.get(Account, account.id).end_sessions()  # "log out everywhere" meanwhile
    db.session.commit()
    assert client.post(CHALLENGE, data={"code": code(secret, 1)}).location == "/dang-nhap"


def test_turning_it_off_needs_a_current_code(client, enrolled):
    account, secret, recovery = enrolled
    password_step(client, account)
    client.post(CHALLENGE, data={"code": recovery[0]})  # leaves the next TOTP step unclaimed
    refused = client.post("/tai-khoan/xac-thuc-hai-buoc/tat", data={"code": "99999"})
    assert refused.status_code == 400 and db.session.get(Account, account.id).mfa_enrolled
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/ma-du-phong", data={"code": recovery[0]}).status_code == 400
    renewed = client.post("/tai-khoan/xac-thuc-hai-buoc/ma-du-phong", data={"code": code(secret, 1)})
    fresh = codes_on(renewed.text)
    assert renewed.status_code == 200 and len(fresh) == 10 and not set(fresh) & set(recovery)
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/tat", data={"code": recovery[1]}).status_code == 400  # old set
    assert client.post("/tai-khoan/xac-thuc-hai-buoc/tat", data={"code": fresh[0]}).location == SETTINGS
    stored = db.session.get(Account, account.id)
    assert not stored.mfa_enrolled and stored.mfa_secret is None
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.account_id == account.id)).all() == []
    assert [e.actor_id for e in events("auth.mfa_disabled")] == [account.id]
    client.post("/dang-xuat")
    assert password_step(client, account).location == "/"


def test_an_administrator_resets_a_persons_mfa(client, login, create_account, enrolled):
    account, secret, _ = enrolled
    admin = create_account((Role.ADMIN, None))
    hr = create_account((Role.HR, None))
    login(hr)
    assert client.post(f"/tai-khoan/{account.id}/dat-lai-xac-thuc", data={"confirm": "y"}).status_code == 403
    assert "Đặt lại xác thực hai bước" not in client.get(f"/can-bo/{account.person_id}").text
    client.post("/dang-xuat")
    login(admin)
    page = client.get(f"/can-bo/{account.person_id}")
    assert "Đặt lại xác thực hai bước" in page.text
    unconfirmed = client.post(f"/tai-khoan/{account.id}/dat-lai-xac-thuc", data={})
    assert unconfirmed.status_code == 302 and db.session.get(Account, account.id).mfa_enrolled
    assert "Hãy đánh dấu ô xác nhận" in client.get(unconfirmed.location).text
    done = client.post(f"/tai-khoan/{account.id}/dat-lai-xac-thuc", data={"confirm": "y"})
    assert done.location == f"/can-bo/{account.person_id}"
    assert not db.session.get(Account, account.id).mfa_enrolled
    [event] = events("auth.mfa_reset")
    assert event.actor_id == admin.id and event.object_id == str(account.id) and event.detail["was_enrolled"]
    assert client.post("/tai-khoan/999999/dat-lai-xac-thuc", data={"confirm": "y"}).status_code == 404
    client.post("/dang-xuat")
    assert password_step(client, account).location == "/"


def test_a_reset_between_password_and_code_sends_back_to_the_password(client, enrolled):
    account, secret, _ = enrolled
    assert password_step(client, account).location == CHALLENGE
    mfa.remove(db.session.get(Account, account.id))
    db.session.commit()
    assert client.get(CHALLENGE).location == "/dang-nhap"
    with client.session_transaction() as sess:
        assert mfa.PENDING_KEY not in sess  # the marker is gone
    assert "/dang-nhap" in client.get("/").location


def test_a_secret_under_another_key_gets_a_clear_page(app, client, enrolled, monkeypatch):
    account, secret, _ = enrolled
    monkeypatch.setitem(app.config, "MFA_SECRET_KEY", "another-key")
    password_step(client, account)
    response = client.post(CHALLENGE, data={"code": code(secret, 1)})
    assert response.status_code == 409 and "quản trị hệ thống" in response.text


def test_required_roles_default_to_admin_and_hr_in_production_only(monkeypatch):
    monkeypatch.delenv("MFA_REQUIRED_ROLES", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    assert Config().MFA_REQUIRED_ROLES == "admin,hr"
    monkeypatch.setenv("APP_ENV", "development")
    assert Config().MFA_REQUIRED_ROLES == ""
    monkeypatch.setenv("MFA_REQUIRED_ROLES", "admin")
    assert Config().MFA_REQUIRED_ROLES == "admin"


def test_a_signed_in_holder_of_a_newly_required_role_enrols_before_anything_else(app, client, login, create_account,
                                                                                monkeypatch):
    hr = create_account((Role.HR, None))
    login(hr)
    assert client.get("/").status_code == 200
    monkeypatch.setitem(app.config, "MFA_REQUIRED_ROLES", "hr")
    for page in ("/", "/can-bo", "/hoc-tap"):
        assert client.get(page).location == ENROL, page
    assert "bắt buộc xác thực hai bước" in client.get(ENROL).text
    secret = secret_on(client.get(ENROL).text)
    assert client.post(ENROL, data={"code": code(secret)}).status_code == 200
    assert client.get("/can-bo").status_code == 200
