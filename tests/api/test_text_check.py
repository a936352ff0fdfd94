"""``POST /api/v1/text-check``: the text check for other systems, with a token of scope "textcheck"."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from learning.api import services
from learning.api.models import READ, TEXTCHECK
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db
from tests.textcheck.test_privacy import _marker, assert_nowhere

PETITION = "Tôi là Nguyễn Văn An, CCCD 022085001234, SĐT 0912345678.\n"


@pytest.fixture
def admin(create_account):
    return create_account((Role.ADMIN, None))


def _headers(admin, scope=TEXTCHECK) -> dict:
    _, plain = services.issue("Cổng dịch vụ công", None, admin, purpose="Che dữ liệu trước khi tóm tắt", scope=scope)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_the_answer_is_the_cli_json_with_counts(app, client, admin, tmp_path):
    response = client.post("/api/v1/text-check", json={"text": PETITION}, headers=_headers(admin))
    assert response.status_code == 200
    path = tmp_path / "don.txt"
    path.write_text(PETITION, encoding="utf-8")
    cli = json.loads(app.test_cli_runner().invoke(args=["text-check", str(path), "--json"]).output)
    assert {k: response.json[k] for k in ("findings", "redacted")} == cli
    assert response.json["counts"] == {"cccd": 1, "phone": 1, "person_name": 1}
    assert response.headers["Cache-Control"] == "no-store"


def test_no_token_or_a_bad_one_is_401(client):
    assert client.post("/api/v1/text-check", json={"text": PETITION}).status_code == 401
    response = client.post("/api/v1/text-check", json={"text": PETITION}, headers={"Authorization": "Bearer sai"})
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_a_data_token_cannot_check_and_a_check_token_cannot_read(client, admin):
    response = client.post("/api/v1/text-check", json={"text": PETITION}, headers=_headers(admin, READ))
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert client.get("/api/v1/people", headers=_headers(admin, TEXTCHECK)).status_code == 403


def test_a_session_is_no_api_credential(client, login, admin):
    login(admin)
    assert client.post("/api/v1/text-check", json={"text": PETITION}).status_code == 401


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"text": "   "}, 400, "Chưa có văn bản"),
    ({"text": 5}, 400, "JSON dạng"),
    ({"van_ban": PETITION}, 400, "JSON dạng"),
    ([PETITION], 400, "JSON dạng"),
    ({"text": "a\x00b"}, 400, "NUL"),
])
def test_bad_bodies_are_400_with_a_message(client, admin, body, status, message):
    response = client.post("/api/v1/text-check", json=body, headers=_headers(admin))
    assert response.status_code == status and message in response.json["message"]


def test_not_json_is_400(client, admin):
    response = client.post("/api/v1/text-check", data="text=abc", headers=_headers(admin),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_too_long_is_413(app, client, admin, monkeypatch):
    headers = _headers(admin)
    monkeypatch.setitem(app.config, "TEXTCHECK_MAX_CHARS", 100)
    response = client.post("/api/v1/text-check", json={"text": "a" * 101}, headers=headers)
    assert response.status_code == 413 and "vượt giới hạn 100 ký tự" in response.json["message"]
    response = client.post("/api/v1/text-check", json={"text": "a" * 6_000_000}, headers=headers)
    assert response.status_code == 413 and response.json["error"] == "too_large"


def test_an_api_check_leaves_no_trace_but_counts(app, client, admin, caplog):
    headers = _headers(admin)
    marker = _marker()
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/v1/text-check", json={"text": f"Hồ sơ {marker}. {PETITION}"}, headers=headers)
    assert response.status_code == 200 and marker in response.json["redacted"]
    assert_nowhere(marker, caplog, response)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "textcheck.ran"))
    assert event.detail["via"] == "api" and event.detail["token"] == "Cổng dịch vụ công"
    assert event.detail["counts"] == {"cccd": 1, "phone": 1, "person_name": 1}


def test_the_api_is_rate_limited_per_token(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.config, "TEXTCHECK_RATE_LIMIT", "2 per minute")
    first, second = _headers(admin), _headers(admin)
    statuses = [client.post("/api/v1/text-check", json={"text": PETITION}, headers=first).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.post("/api/v1/text-check", json={"text": PETITION}, headers=second).status_code == 200


def test_the_admin_issues_a_text_check_token(client, login, admin):
    login(admin)
    page = client.post("/quan-tri/api", data={"name": "Cổng DVC", "unit_code": "", "scope": TEXTCHECK,
                                              "purpose": "Che dữ liệu cá nhân trước khi tóm tắt"})
    assert page.status_code == 200
    assert db.session.scalar(select(services.ApiToken.scope)) == TEXTCHECK
