"""Sign-in with the province's accounts through a real OpenID provider (node-oidc-provider, tests/oidc)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from sqlalchemy import func, select

from learning.audit.models import AuditEvent
from learning.auth.models import Account, AccountStatus
from learning.extensions import db
from learning.org.models import Person

CALLBACK = "/dang-nhap/oidc/callback"


def _start(client, next_url: str | None = None) -> str:
    response = client.get("/dang-nhap/oidc", query_string={"next": next_url} if next_url else None)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def sign_in(client, provider, login: str, next_url: str | None = None):
    """The whole round trip: our redirect, the provider's log-in form, the provider's answer to our callback."""
    back = provider.sign_in(_start(client, next_url), login)
    parts = urlsplit(back)
    assert parts.path == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def _account(code: str) -> Account:
    db.session.expire_all()
    return db.session.scalar(select(Account).join(Person).where(Person.employee_code == code))


def test_login_page_leads_with_the_province_button_when_configured(oidc_app, client):
    page = client.get("/dang-nhap?next=/chung-nhan").get_data(as_text=True)
    assert "Đăng nhập bằng tài khoản của tỉnh" in page
    assert page.index("Đăng nhập bằng tài khoản của tỉnh") < page.index('name="password"')
    assert "/dang-nhap/oidc?next=/chung-nhan" in page


def test_without_configuration_there_is_no_button_and_no_route(app, client):
    assert "tài khoản của tỉnh" not in client.get("/dang-nhap").get_data(as_text=True)
    assert client.get("/dang-nhap/oidc").status_code == 404
    assert client.get(CALLBACK + "?code=x&state=y").status_code == 404


def test_linked_by_employee_code_then_by_subject(oidc_app, client, oidc_provider, create_person):
    person = create_person("Trần Thị Hoa", code="CB-OIDC-1")
    db.session.commit()
    oidc_provider.set_accounts({"hoa-sub": {"employee_code": "cb-oidc-1", "name": "Trần Thị Hoa"}})
    response = sign_in(client, oidc_provider, "hoa-sub", next_url="/chung-nhan")
    assert response.status_code == 302, response.text[:800]
    assert response.headers["Location"] == "/chung-nhan"
    account = _account("CB-OIDC-1")
    assert (account.sso_provider, account.sso_subject) == ("oidc", "hoa-sub")
    assert account.status == AccountStatus.ACTIVE  # the invited account's first sign-in
    assert account.last_login_at is not None
    assert "Xin chào, Trần Thị Hoa" in client.get("/").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(account.id))).all()
    assert "auth.sso_linked" in actions and "auth.login" in actions
    login_event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login"))
    assert login_event.detail["method"] == "oidc"

    # Later the code claim no longer matters: the subject is linked (even if the provider's code changed).
    client.post("/dang-xuat")
    oidc_provider.set_accounts({"hoa-sub": {"employee_code": "SOMETHING-ELSE"}})
    response = sign_in(client, oidc_provider, "hoa-sub")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
    assert person.id == _account("CB-OIDC-1").person_id


def test_unknown_subject_gets_a_page_saying_to_ask_hr_and_nothing_is_created(oidc_app, client, oidc_provider):
    oidc_provider.set_accounts({"la-sub": {"employee_code": "CB-KHONG-CO", "email": "la@quangninh.gov.vn",
                                           "email_verified": True}})
    people = db.session.scalar(select(func.count()).select_from(Person))
    response = sign_in(client, oidc_provider, "la-sub")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "chưa gắn với hồ sơ cán bộ nào" in page and "bộ phận tổ chức cán bộ của đơn vị bạn" in page
    assert "CB-KHONG-CO" in page  # what to tell HR
    assert db.session.scalar(select(func.count()).select_from(Person)) == people
    assert db.session.scalar(select(func.count()).select_from(Account).where(Account.sso_subject.is_not(None))) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert event.detail["reason"] == "unknown_subject" and event.detail["subject"] == "la-sub"
    assert client.get("/").status_code == 302  # not signed in


def test_disabled_account_is_refused_with_its_message(oidc_app, client, oidc_provider, create_account):
    account = create_account(full_name="Phạm Văn Nghỉ", code="CB-OIDC-2")
    account.sso_provider, account.sso_subject = "oidc", "nghi-sub"
    account.status = AccountStatus.DISABLED.value
    db.session.commit()
    oidc_provider.set_accounts({"nghi-sub": {"employee_code": "CB-OIDC-2"}})
    response = sign_in(client, oidc_provider, "nghi-sub")
    assert response.status_code == 403
    assert "Tài khoản của bạn đã bị vô hiệu hóa" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert _account("CB-OIDC-2").last_login_at is None


def test_leaver_is_refused_and_not_linked(oidc_app, client, oidc_provider, create_person):
    create_person("Đỗ Thị Đi", code="CB-OIDC-3", active=False)
    db.session.commit()
    oidc_provider.set_accounts({"di-sub": {"employee_code": "CB-OIDC-3"}})
    response = sign_in(client, oidc_provider, "di-sub")
    assert response.status_code == 403
    assert "không còn công tác" in response.get_data(as_text=True)
    assert _account("CB-OIDC-3").sso_subject is None


def test_verified_email_links_when_no_code_claim_is_configured(oidc_app, client, oidc_provider, create_person,
                                                               monkeypatch):
    monkeypatch.setitem(oidc_app.config, "OIDC_CODE_CLAIM", "")
    create_person("Vũ Văn Mail", code="CB-OIDC-4", email="mail@quangninh.gov.vn")
    db.session.commit()
    oidc_provider.set_accounts({"mail-sub": {"email": "Mail@QuangNinh.gov.vn", "email_verified": False}})
    response = sign_in(client, oidc_provider, "mail-sub")
    assert response.status_code == 403 and "chưa được xác minh" in response.get_data(as_text=True)
    assert _account("CB-OIDC-4").sso_subject is None

    oidc_provider.set_accounts({"mail-sub": {"email": "Mail@QuangNinh.gov.vn", "email_verified": True}})
    response = sign_in(client, oidc_provider, "mail-sub")
    assert response.status_code == 302, response.text[:800]
    assert _account("CB-OIDC-4").sso_subject == "mail-sub"


def test_allowed_domains_refuse_other_e_mails(oidc_app, client, oidc_provider, create_person, monkeypatch):
    monkeypatch.setitem(oidc_app.config, "OIDC_ALLOWED_DOMAINS", "quangninh.gov.vn, @qn.vn")
    create_person("Lý Thị Miền", code="CB-OIDC-5")
    db.session.commit()
    oidc_provider.set_accounts({"mien-sub": {"employee_code": "CB-OIDC-5", "email": "mien@gmail.com",
                                             "email_verified": True}})
    response = sign_in(client, oidc_provider, "mien-sub")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "quangninh.gov.vn, qn.vn" in page
    assert _account("CB-OIDC-5").sso_subject is None

    oidc_provider.set_accounts({"mien-sub": {"employee_code": "CB-OIDC-5", "email": "mien@qn.vn",
                                             "email_verified": True}})
    assert sign_in(client, oidc_provider, "mien-sub").status_code == 302


def test_a_person_linked_to_another_subject_is_refused(oidc_app, client, oidc_provider, create_account):
    account = create_account(full_name="Hà Văn Hai", code="CB-OIDC-6")
    account.sso_provider, account.sso_subject = "oidc", "hai-first"
    db.session.commit()
    oidc_provider.set_accounts({"hai-second": {"employee_code": "CB-OIDC-6"}})
    response = sign_in(client, oidc_provider, "hai-second")
    assert response.status_code == 403 and "gắn với một tài khoản khác" in response.get_data(as_text=True)
    assert _account("CB-OIDC-6").sso_subject == "hai-first"


def test_the_app_sends_an_s256_pkce_challenge_and_the_provider_requires_one(oidc_app, client, oidc_provider):
    query = parse_qs(urlsplit(_start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert "nonce" in query and "state" in query
    # The same request without PKCE: the provider refuses it, so the sign-in above could only work with it.
    del query["code_challenge"], query["code_challenge_method"]
    bare = urlsplit(_start(client))._replace(query=urlencode({k: v[0] for k, v in query.items()})).geturl()
    answer = requests.get(bare, allow_redirects=False, timeout=10)
    refused = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert refused["error"] == ["invalid_request"] and "PKCE" in refused["error_description"][0]


def test_a_code_taken_to_another_browser_is_refused(oidc_app, app, client, oidc_provider, create_person):
    """A stolen code replayed with the thief's own state fails: their PKCE verifier does not match."""
    create_person("Lê Văn Nạn", code="CB-OIDC-7")
    db.session.commit()
    oidc_provider.set_accounts({"nan-sub": {"employee_code": "CB-OIDC-7"}})
    victim_back = urlsplit(oidc_provider.sign_in(_start(client), "nan-sub"))
    code = parse_qs(victim_back.query)["code"][0]
    thief = app.test_client()
    thief_state = parse_qs(urlsplit(_start(thief)).query)["state"][0]
    response = thief.get(CALLBACK, query_string={"code": code, "state": thief_state, "iss": oidc_provider.issuer})
    assert response.status_code == 400
    assert "Hãy bắt đầu lại từ trang Đăng nhập" in response.get_data(as_text=True)
    assert _account("CB-OIDC-7").sso_subject is None
    assert thief.get("/").status_code == 302


def test_wrong_state_and_forged_callbacks_are_refused(oidc_app, client, oidc_provider, create_person):
    create_person("Mai Văn Giả", code="CB-OIDC-8")
    db.session.commit()
    oidc_provider.set_accounts({"gia-sub": {"employee_code": "CB-OIDC-8"}})
    back = parse_qs(urlsplit(oidc_provider.sign_in(_start(client), "gia-sub")).query)
    forged = [
        {"code": back["code"][0], "state": "not-the-state", "iss": oidc_provider.issuer},  # wrong state
        {"code": back["code"][0]},  # no state
        {"code": back["code"][0], "state": back["state"][0], "iss": "http://evil.test"},  # another issuer
        {"code": "made-up-code", "state": back["state"][0]},  # right state, forged code
        {"error": "access_denied", "state": back["state"][0]},
    ]
    for params in forged:
        response = client.get(CALLBACK, query_string=params)
        assert response.status_code == 400, (params, response.status_code)
        assert "Chưa đăng nhập được bằng tài khoản của tỉnh" in response.get_data(as_text=True)
    assert client.get(CALLBACK).status_code == 400  # nothing at all
    assert _account("CB-OIDC-8").sso_subject is None
    assert client.get("/").status_code == 302


def test_provider_down_is_a_clear_page(oidc_app, client, monkeypatch):
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", "http://127.0.0.1:9")  # nothing listens on discard
    response = client.get("/dang-nhap/oidc")
    assert response.status_code == 503
    assert "Hệ thống đăng nhập của tỉnh đang không phản hồi" in response.get_data(as_text=True)


def test_wrong_issuer_or_client_secret_is_a_configuration_page(oidc_app, client, oidc_provider, create_person,
                                                               monkeypatch):
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", oidc_provider.issuer + "/realms/khac")
    response = client.get("/dang-nhap/oidc")
    assert response.status_code == 503  # discovery 404 → unreachable page; never a 500
    monkeypatch.setitem(oidc_app.config, "OIDC_ISSUER", oidc_provider.issuer)
    monkeypatch.setitem(oidc_app.config, "OIDC_CLIENT_SECRET", "wrong-secret")
    create_person("Hồ Văn Sai", code="CB-OIDC-9")
    db.session.commit()
    oidc_provider.set_accounts({"sai-sub": {"employee_code": "CB-OIDC-9"}})
    response = sign_in(client, oidc_provider, "sai-sub")
    assert response.status_code == 503
    assert "chưa được cấu hình đúng" in response.get_data(as_text=True)


def test_logout_ends_the_local_session_and_the_providers(oidc_app, client, oidc_provider, create_person):
    create_person("Kim Văn Ra", code="CB-OIDC-10")
    db.session.commit()
    oidc_provider.set_accounts({"ra-sub": {"employee_code": "CB-OIDC-10"}})
    assert sign_in(client, oidc_provider, "ra-sub").status_code == 302
    response = client.post("/dang-xuat")
    assert response.status_code == 302
    end = urlsplit(response.headers["Location"])
    assert f"{end.scheme}://{end.netloc}{end.path}" == oidc_provider.issuer + "/session/end"
    query = parse_qs(end.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/dang-nhap"] and query["id_token_hint"]
    assert client.get("/").status_code == 302  # the local session has ended
    confirm = requests.get(response.headers["Location"], timeout=10)  # the provider accepts the hint and URI
    assert confirm.status_code == 200 and "logout" in confirm.text.lower()


def test_password_logout_stays_local(oidc_app, client, login, create_account):
    login(create_account(code="CB-OIDC-11"))
    response = client.post("/dang-xuat")
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"


def test_pages_let_the_logout_form_continue_to_the_provider(oidc_app, client, oidc_provider):
    """Browsers apply form-action to the log-out form's redirect: the provider's origin must be allowed."""
    csp = client.get("/dang-nhap").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer}" in csp
    assert "script-src 'self'" in csp
