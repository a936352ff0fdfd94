import pytest

from learning import create_app
from learning.config import DEFAULT_SECRET_KEY


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_security_headers_and_cookie_flags(client, create_account):
    response = client.get("/dang-nhap")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    account = create_account()
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                               "password": "Mat-khau-2026"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(client, login, create_account):
    login(create_account())
    assert "<script>" not in client.get("/").text


def test_health_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "signing": "off", "signing_error": None}


def test_health_is_503_when_the_database_is_down():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
                      "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_unknown_pages_get_the_site_404(client, login, create_account):
    login(create_account())
    response = client.get("/khong-ton-tai")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text and "Về trang chủ" in response.text


def test_language_switch_to_english_and_back(client, login, create_account):
    login(create_account())
    client.post("/ngon-ngu", data={"lang": "en", "next": "/"})
    assert "Sign out" in client.get("/").text
    client.post("/ngon-ngu", data={"lang": "vi", "next": "https://evil.example"})
    assert "Đăng xuất" in client.get("/").text


def test_pages_and_downloads_of_a_signed_in_person_are_not_stored(client, login, create_account):
    assert "no-store" not in client.get("/thu-vien").headers.get("Cache-Control", "")  # public page
    login(create_account())
    for path in ("/", "/du-lieu-cua-toi", "/du-lieu-cua-toi.json"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
