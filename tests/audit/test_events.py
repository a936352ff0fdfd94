"""One test per audited event type, each performing the action through the web (the test client) and
checking the event: who (actor), on what (object), and before/after where it matters."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from sqlalchemy import select

from learning.api import services as api_services
from learning.api.models import ApiToken
from learning.assignments import services as assignment_services
from learning.audit.models import AuditEvent
from learning.auth.models import Account, Role, RoleGrant
from learning.certification.models import Certificate
from learning.certification.tasks import ensure_pdf
from learning.extensions import db
from learning.par import rubric
from learning.par import services as par_services
from tests.factories import EXPORT_PURPOSE, PASSWORD

PURPOSE_DETAIL = {"purpose": "Báo cáo cấp trên, cơ quan quản lý", "purpose_code": "bao-cao",
                  "purpose_note": "Công văn 12/SNV"}


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def only(action: str) -> AuditEvent:
    found = events(action)
    assert len(found) == 1, (action, [e.detail for e in found])
    return found[0]


@pytest.fixture
def org(province, create_unit, create_person, create_course_version, create_completion):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    person = create_person("Lê Văn An", unit=dept)
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 12, 31))
    completion = create_completion(person, version, completed_at=datetime(2026, 2, 1))
    cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
    ensure_pdf(cert)
    db.session.commit()
    return {"dept": dept, "person": person, "cert": cert}


def test_a_login_is_recorded_with_the_account_and_address(client, create_account):
    account = create_account()
    client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.0.0.7"})
    event = only("auth.login")
    assert (event.actor_id, event.object_type, event.object_id, event.ip) == (
        account.id, "account", str(account.id), "10.0.0.7")


def test_failed_logins_are_recorded_for_a_known_and_an_unknown_account(client, create_account):
    account = create_account()
    client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": "sai-mat-khau"})
    client.post("/dang-nhap", data={"identifier": "KHONG-CO", "password": "sai-mat-khau"})
    known, unknown = events("auth.login_failed")
    # Nobody proved who they are: no actor, so a failure never reads as the account holder's own action.
    code = account.person.employee_code.lower()
    assert (known.actor_id, known.object_id, known.detail) == (None, str(account.id),
                                                               {"reason": "password", "identifier": code})
    assert unknown.actor_id is None and unknown.detail == {"reason": "unknown", "identifier": "khong-co"}
    assert events("auth.login") == []


def test_a_staff_list_export_is_recorded_with_who_and_why(client, login, create_account, org):
    hr = create_account((Role.HR, None))
    login(hr)
    assert client.get("/can-bo/xuat.xlsx").status_code == 200  # the purpose form, nothing exported yet
    assert events("staff.exported") == []
    client.post("/can-bo/xuat.xlsx", data=EXPORT_PURPOSE)
    event = only("staff.exported")
    assert event.actor_id == hr.id and event.detail == {"format": "xlsx", **PURPOSE_DETAIL}


@pytest.mark.parametrize(("url", "kind"), [("/tuan-thu/xuat.csv", "units"), ("/tuan-thu/can-bo/xuat.xlsx", "people"),
                                           ("/tuan-thu/bao-cao.pdf", "report")])
def test_compliance_exports_are_recorded_with_the_unit_and_purpose(client, login, create_account, org, url, kind):
    head = create_account((Role.UNIT_HEAD, org["dept"]), unit=org["dept"])
    login(head)
    client.post(f"{url}?nam=2026&don-vi={org['dept'].id}", data=EXPORT_PURPOSE)
    event = only("compliance.exported")
    assert (event.actor_id, event.object_type, event.object_id) == (head.id, "unit", str(org["dept"].id))
    assert event.detail["kind"] == kind and event.detail["purpose_code"] == "bao-cao"


def test_a_par_evidence_export_is_recorded(client, login, create_account, org):
    assessor = create_account((Role.PAR_ASSESSOR, None))
    login(assessor)
    client.post(f"/cchc/2026/don-vi/{org['dept'].id}/minh-chung.xlsx", data=EXPORT_PURPOSE)
    event = only("par.evidence_exported")
    assert (event.actor_id, event.object_id) == (assessor.id, str(org["dept"].id))
    assert event.detail == {"period": 2026, "format": "xlsx", **PURPOSE_DETAIL}


def test_a_certificate_export_is_recorded_when_asked_for_and_when_downloaded(app, client, login, create_account,
                                                                             org, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_DIR", tmp_path)
    hr = create_account((Role.HR, None))
    login(hr)
    job_url = client.post("/quan-ly/chung-nhan/xuat", data=EXPORT_PURPOSE | {"don-vi": "STP"}).location
    requested = only("certificate.export_requested")
    assert requested.actor_id == hr.id and requested.object_type == "job"
    assert requested.detail["unit_code"] == "STP" and requested.detail["purpose_note"] == "Công văn 12/SNV"
    client.get(job_url + "/tai-ve")
    downloaded = only("certificate.export_downloaded")
    assert downloaded.actor_id == hr.id and downloaded.object_id == requested.object_id
    assert downloaded.detail == PURPOSE_DETAIL


def test_a_learner_downloading_their_own_data_is_recorded(client, login, create_account):
    account = create_account()
    login(account)
    client.get("/du-lieu-cua-toi.json")
    event = only("personal_data.self_export")
    assert (event.actor_id, event.object_type, event.object_id) == (account.id, "account", str(account.id))


def test_api_reads_of_personal_data_are_recorded_with_the_token_and_its_purpose(client, create_account, org):
    _, plain = api_services.issue("Phần mềm quản lý cán bộ", None, create_account((Role.ADMIN, None)),
                                  purpose="Đồng bộ kết quả bồi dưỡng")
    db.session.commit()
    client.get("/api/v1/people?unit=STP", headers={"Authorization": f"Bearer {plain}"})
    event = only("api.people_read")
    token = db.session.scalar(select(ApiToken))
    assert (event.object_type, event.object_id) == ("api_token", str(token.id))
    assert event.detail == {"token": "Phần mềm quản lý cán bộ", "purpose": "Đồng bộ kết quả bồi dưỡng",
                            "rows": 1, "unit": "STP"}


def test_cli_exports_need_a_purpose_and_record_it(app, org, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "can-bo.csv"
    refused = runner.invoke(args=["staff", "export", "--out", str(out)])
    assert refused.exit_code != 0 and "--purpose" in refused.output and not out.exists()
    short = runner.invoke(args=["staff", "export", "--out", str(out), "--purpose", "abc"])
    assert short.exit_code != 0 and "ít nhất 5 ký tự" in short.output
    done = runner.invoke(args=["staff", "export", "--out", str(out), "--purpose", "Đối chiếu với Sở Nội vụ"])
    assert done.exit_code == 0, done.output
    event = only("staff.exported")
    assert event.detail["via"] == "cli" and event.detail["purpose"] == "Đối chiếu với Sở Nội vụ"
    assert event.detail["operator"] and event.detail["file"] == str(out)


def test_a_certificate_revocation_is_recorded_with_before_after_and_reason(client, login, create_account, org):
    hr = create_account((Role.HR, None))
    login(hr)
    client.post(f"/quan-ly/chung-nhan/{org['cert'].id}", data={"reason": "Người khác làm bài hộ"})
    event = only("certificate.revoked")
    assert (event.actor_id, event.object_type, event.object_id) == (hr.id, "certificate", str(org["cert"].id))
    assert event.detail["before"] == "valid" and event.detail["after"] == "revoked"
    assert event.detail["reason"] == "Người khác làm bài hộ" and event.detail["serial"] == org["cert"].serial


def test_granting_a_role_is_recorded_with_the_roles_before_and_after(client, login, create_account, org):
    admin = create_account((Role.ADMIN, None))
    target = create_account((Role.UNIT_HEAD, org["dept"]), person=org["person"])
    login(admin)
    client.post(f"/tai-khoan/{target.id}/vai-tro", data={"role": "hr", "unit_code": ""})
    event = only("auth.role_granted")
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "account", str(target.id))
    assert event.detail["before"] == ["unit_head@STP"] and event.detail["after"] == ["hr@*", "unit_head@STP"]


def test_revoking_a_role_is_recorded_with_the_roles_before_and_after(client, login, create_account, org):
    admin = create_account((Role.ADMIN, None))
    target = create_account((Role.UNIT_HEAD, org["dept"]), (Role.HR, None), person=org["person"])
    grant = db.session.scalar(select(RoleGrant).where(RoleGrant.account_id == target.id, RoleGrant.role == "hr"))
    login(admin)
    client.post(f"/vai-tro/{grant.id}/thu-hoi")
    event = only("auth.role_revoked")
    assert (event.actor_id, event.object_id) == (admin.id, str(target.id))
    assert event.detail["before"] == ["hr@*", "unit_head@STP"] and event.detail["after"] == ["unit_head@STP"]
    assert db.session.get(Account, target.id).roles == {Role.LEARNER, Role.UNIT_HEAD}


def test_revoking_an_api_token_is_recorded(client, login, create_account):
    admin = create_account((Role.ADMIN, None))
    token, _ = api_services.issue("Phần mềm CCHC", None, admin)
    db.session.commit()
    login(admin)
    client.post(f"/quan-tri/api/{token.id}/thu-hoi")
    event = only("api.token_revoked")
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "api_token", str(token.id))


def test_a_rubric_change_is_recorded_with_the_rubric_before_and_after(client, login, create_account):
    first = par_services.ensure_shipped_rubric()
    db.session.commit()
    admin = create_account((Role.ADMIN, None))
    login(admin)
    text = rubric.shipped()[0][1].replace('version: "2026.2"', 'version: "2026.3"')
    client.post("/cchc/bo-tieu-chi", data={"file": (io.BytesIO(text.encode()), "tc.yaml")},
                content_type="multipart/form-data")
    uploaded = [e for e in events("par.rubric_uploaded") if e.actor_id == admin.id]
    assert len(uploaded) == 1 and uploaded[0].detail == {"code": first.code, "version": "2026.3"}
    activated = [e for e in events("par.rubric_activated") if e.actor_id == admin.id]
    assert len(activated) == 1 and activated[0].object_id == uploaded[0].object_id
    assert activated[0].detail == {"before": first.label, "after": f"{first.code} 2026.3"}


def test_a_retention_change_is_recorded_with_before_and_after(client, login, create_account):
    admin = create_account((Role.ADMIN, None))
    login(admin)
    client.post("/quan-tri/luu-tru-du-lieu", data={"audit_months": "48", "attempt_months": "12"})
    event = only("retention.policy_changed")
    assert event.actor_id == admin.id and event.object_type == "retention_policy"
    assert event.detail == {"before": {"audit_months": 36, "attempt_months": 24},
                            "after": {"audit_months": 48, "attempt_months": 12}}
