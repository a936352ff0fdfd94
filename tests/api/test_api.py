"""The integration API: bearer tokens, hashed at rest, scoped to a unit, revocable."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from learning.api import services
from learning.api.models import ApiToken
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.extensions import db


@pytest.fixture
def org(province, create_unit, create_person, create_course_version, create_completion):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    other = create_unit("Sở Y tế", parent=province, code="SYT")
    inside = create_person("Lê Văn An", unit=dept)
    create_person("Vũ Thị Hoa", unit=other)
    version = create_course_version()
    assignment = assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id,
                                            categories=[], positions=[], period=2026,
                                            starts_on=date(2026, 1, 1), due_on=date(2026, 12, 31))
    create_completion(inside, version, completed_at=datetime(2026, 2, 1))
    db.session.commit()
    return {"dept": dept, "other": other, "assignment": assignment}


def token_for(unit, admin) -> str:
    _, plain = services.issue("Phần mềm CCHC", unit, admin)
    db.session.commit()
    return plain


def test_requests_without_a_valid_token_are_401(client):
    assert client.get("/api/v1/people").status_code == 401
    response = client.get("/api/v1/people", headers={"Authorization": "Bearer sai"})
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_tokens_are_hashed_at_rest(app, org, create_account):
    plain = token_for(None, create_account((Role.ADMIN, None)))
    stored = db.session.scalar(select(ApiToken))
    assert plain not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_a_unit_scoped_token_sees_only_its_subtree(client, org, create_account):
    plain = token_for(org["dept"], create_account((Role.ADMIN, None)))
    headers = {"Authorization": f"Bearer {plain}"}
    people = client.get("/api/v1/people", headers=headers).json
    assert [p["given_name"] for p in people["items"]] == ["An"]
    assert client.get("/api/v1/people?unit=SYT", headers=headers).status_code == 403
    status = client.get(f"/api/v1/assignments/{org['assignment'].id}/status", headers=headers).json
    assert [(i["name"], i["status"]) for i in status["items"]] == [("Lê Văn An", "passed")]
    compliance = client.get("/api/v1/compliance?period=2026", headers=headers).json
    assert compliance["unit"]["unit_code"] == "STP" and compliance["unit"]["assigned"] == 1


def test_a_province_token_sees_everyone_and_bad_params_are_400(client, org, create_account):
    headers = {"Authorization": f"Bearer {token_for(None, create_account((Role.ADMIN, None)))}"}
    assert client.get("/api/v1/people", headers=headers).json["total"] == 3
    assert client.get("/api/v1/people?per_page=0", headers=headers).status_code == 400
    assert client.get("/api/v1/people?unit=NOPE", headers=headers).status_code == 404
    assert client.get("/api/v1/compliance?period=abc", headers=headers).status_code == 400


def test_revoked_tokens_stop_working(client, login, org, create_account):
    admin = create_account((Role.ADMIN, None))
    plain = token_for(None, admin)
    token = db.session.scalar(select(ApiToken))
    login(admin)
    client.post(f"/quan-tri/api/{token.id}/thu-hoi")
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_admin_page_shows_a_new_token_once(client, login, create_account, org):
    login(create_account((Role.ADMIN, None)))
    page = client.post("/quan-tri/api", data={"name": "Phần mềm CCHC", "unit_code": "STP",
                                              "purpose": "Đồng bộ kết quả sang phần mềm CCHC"})
    assert "chỉ hiện một lần" in page.text and "hcv_" in page.text
    assert "hcv_" not in client.get("/quan-tri/api").text.replace(db.session.scalar(select(ApiToken.prefix)), "")
    bad = client.post("/quan-tri/api", data={"name": "X", "unit_code": "NOPE", "purpose": "Đồng bộ"})
    assert bad.status_code == 400 and "Không có đơn vị mã “NOPE”" in bad.text


def test_only_admins_manage_tokens(client, login, create_account):
    login(create_account((Role.HR, None)))
    assert client.get("/quan-tri/api").status_code == 403


def test_openapi_description_covers_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes - {"/openapi.json"} == set(spec["paths"])
