"""Every route × every role × an in-scope and an out-of-scope object.

The matrix below must name every endpoint of ``app.url_map``: a new route without an entry fails
``test_every_route_has_an_entry``, so nobody adds a page without deciding who may open it.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from learning.api import services as api_services
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.certification.models import Job
from learning.extensions import db

ANON, LEARNER, HEAD, HR, HR_SUB, PAR, ADMIN = "anon", "learner", "head", "hr", "hr_sub", "par", "admin"
ALL = {ANON, LEARNER, HEAD, HR, HR_SUB, PAR, ADMIN}
LOGGED_IN = ALL - {ANON}
PUBLIC = "public"

# endpoint → (path template, {role: expected status for the IN-scope object},
#             {role: expected status for the OUT-of-scope object} or None when there is no object)
# Placeholders: {unit_in}/{unit_out}, {person_in}/{person_out}, {cert_in}/{cert_out}, {serial_in}/{serial_out},
# {code}, {job}, {assignment}, {period}.
OK, DENIED, LOGIN = 200, 403, 302


def allow(*roles, code=OK):
    return {role: (code if role in roles else (LOGIN if role == ANON else DENIED)) for role in ALL}


MATRIX: dict[str, tuple[str, dict, dict | None]] = {
    "core.home_page": ("/", allow(*LOGGED_IN), None),
    "core.healthz": ("/healthz", {r: OK for r in ALL}, None),
    "auth.login": ("/dang-nhap", {ANON: OK, **{r: LOGIN for r in LOGGED_IN}}, None),
    "auth.change_password": ("/doi-mat-khau", allow(*LOGGED_IN), None),
    "org.unit_list": ("/don-vi", allow(HEAD, HR, HR_SUB, PAR, ADMIN), None),
    "org.unit_detail": ("/don-vi/{unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                        allow(HR, PAR, ADMIN)),
    "org.person_list": ("/can-bo", allow(HEAD, HR, HR_SUB, ADMIN), None),
    "org.person_detail": ("/can-bo/{person_in}", allow(HEAD, HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "staff.upload": ("/can-bo/nhap", allow(HR, HR_SUB, ADMIN), None),
    "staff.template": ("/can-bo/nhap/mau.xlsx", allow(HR, HR_SUB, ADMIN), None),
    "staff.export": ("/can-bo/xuat.csv", allow(HEAD, HR, HR_SUB, ADMIN), None),
    "library.index": ("/thu-vien", {r: OK for r in ALL}, None),
    "library.document": ("/thu-vien/none", {r: 404 for r in ALL}, None),
    "certification.verify_form": ("/xac-thuc", {r: OK for r in ALL}, None),
    "certification.verify": ("/xac-thuc/{code}", {r: OK for r in ALL}, None),
    "certification.verify_json": ("/xac-thuc/{code}.json", {r: OK for r in ALL}, None),
    "certification.mine": ("/chung-nhan", allow(*LOGGED_IN), None),
    "certification.download": ("/chung-nhan/{serial_in}.pdf", allow(HR, HR_SUB, ADMIN),
                               allow(HR, ADMIN)),
    "certification.manage": ("/quan-ly/chung-nhan", allow(HR, HR_SUB, ADMIN), None),
    "certification.detail": ("/quan-ly/chung-nhan/{cert_in}", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "certification.job": ("/cong-viec/{job}", allow(HR, code=OK) | {ANON: LOGIN, LEARNER: DENIED, HEAD: DENIED,
                                                                    HR_SUB: DENIED, PAR: DENIED, ADMIN: OK}, None),
    "certification.job_download": ("/cong-viec/{job}/tai-ve", {ANON: LOGIN, LEARNER: DENIED, HEAD: DENIED,
                                                                HR: 404, HR_SUB: DENIED, PAR: DENIED, ADMIN: 404}, None),
    "assignments.index": ("/giao-hoc", allow(HR, HR_SUB, ADMIN), None),
    "assignments.create": ("/giao-hoc/moi", allow(HR, HR_SUB, ADMIN), None),
    "assignments.dashboard": ("/tuan-thu?don-vi={unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                              allow(HR, PAR, ADMIN)),
    "assignments.people": ("/tuan-thu/can-bo?don-vi={unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                           allow(HR, PAR, ADMIN)),
    "assignments.export_units": ("/tuan-thu/xuat.csv?don-vi={unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                                 allow(HR, PAR, ADMIN)),
    "assignments.export_people": ("/tuan-thu/can-bo/xuat.csv?don-vi={unit_in}",
                                  allow(HEAD, HR, HR_SUB, PAR, ADMIN), allow(HR, PAR, ADMIN)),
    "assignments.report_pdf": ("/tuan-thu/bao-cao.pdf?don-vi={unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                               allow(HR, PAR, ADMIN)),
    "par.index": ("/cchc?nam={period}", allow(HEAD, HR, HR_SUB, PAR, ADMIN), None),
    "par.unit": ("/cchc/{period}/don-vi/{unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                 allow(HR, PAR, ADMIN)),
    "par.evidence_file": ("/cchc/{period}/don-vi/{unit_in}/minh-chung.xlsx", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                          allow(HR, PAR, ADMIN)),
    "par.rubrics": ("/cchc/bo-tieu-chi", allow(HEAD, HR, HR_SUB, PAR, ADMIN), None),
    "api_admin.tokens": ("/quan-tri/api", allow(ADMIN), None),
    "catalog.my_learning": ("/hoc-tap", allow(*LOGGED_IN), None),
    "catalog.course": ("/khoa-hoc/none", {ANON: LOGIN, **{r: 404 for r in LOGGED_IN}}, None),
    "catalog.lesson": ("/khoa-hoc/none/bai/x", {ANON: LOGIN, **{r: 404 for r in LOGGED_IN}}, None),
    "assessment.page": ("/bai-lam/{attempt}/trang/1", {ANON: LOGIN, **{r: DENIED for r in LOGGED_IN}}, None),
    "assessment.confirm": ("/bai-lam/{attempt}/nop", {ANON: LOGIN, **{r: DENIED for r in LOGGED_IN}}, None),
    "assessment.result": ("/bai-lam/{attempt}/ket-qua", {ANON: LOGIN, LEARNER: DENIED, HEAD: DENIED, HR: 404,
                                                         HR_SUB: DENIED, PAR: 404, ADMIN: 404}, None),
    "audit.log": ("/quan-tri/nhat-ky", allow(ADMIN), None),
    "audit.my_data": ("/du-lieu-cua-toi", allow(*LOGGED_IN), None),
    "audit.my_data_json": ("/du-lieu-cua-toi.json", allow(*LOGGED_IN), None),
    "api.openapi": ("/api/v1/openapi.json", {r: OK for r in ALL}, None),
    "static": ("/static/css/app.css", {r: OK for r in ALL}, None),
}
# Routes that only accept POST are covered by the CSRF test and by each domain's permission tests.
POST_ONLY_CHECKED = {
    "core.set_language", "auth.logout", "auth.reset_password", "auth.grant_role", "auth.revoke_role",
    "certification.verify_upload", "certification.reissue", "catalog.mark_read", "assessment.start", "certification.export", "staff.confirm",
    "assignments.close", "par.freeze", "api_admin.revoke",
}
# The API uses bearer tokens, not sessions; tests/api covers scope per token.
TOKEN_ROUTES = {"api.people", "api.assignments", "api.assignment_status", "api.compliance_by_unit", "api.par_period"}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - set(MATRIX) - POST_ONLY_CHECKED - TOKEN_ROUTES
    assert not missing, f"add these endpoints to the access matrix: {sorted(missing)}"


@pytest.fixture
def world(app, province, create_unit, create_person, create_account, create_course_version, create_completion):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept, code="STP-2")
    other = create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh")
    person_in = create_person("Lê Văn Trong", unit=office)
    person_out = create_person("Vũ Thị Ngoài", unit=other)
    version = create_course_version()
    from sqlalchemy import select

    from learning.certification.models import Certificate
    from learning.certification.tasks import ensure_pdf

    certs = {}
    for key, person in (("in", person_in), ("out", person_out)):
        completion = create_completion(person, version, completed_at=datetime(2026, 2, 1))
        cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
        ensure_pdf(cert)
        certs[key] = cert
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    accounts = {
        LEARNER: create_account(unit=office),
        HEAD: create_account((Role.UNIT_HEAD, dept), unit=dept),
        HR: create_account((Role.HR, None)),
        HR_SUB: create_account((Role.HR, dept), unit=dept),
        PAR: create_account((Role.PAR_ASSESSOR, None)),
        ADMIN: create_account((Role.ADMIN, None)),
    }
    job = Job(kind="certificates.export", params={}, created_by_id=accounts[HR].id)
    db.session.add(job)
    api_services.issue("x", None, accounts[ADMIN])
    from learning.assessment.models import Attempt
    from learning.core.dates import utcnow

    attempt = Attempt(person_id=person_out.id, course_id=version.course_id, course_version_id=version.id,
                      open_key=f"{person_out.id}:{version.course_id}", seed=1, pages=[[]], option_order={},
                      answers={}, started_at=utcnow())
    db.session.add(attempt)
    db.session.commit()
    return {"accounts": accounts, "values": {
        "unit_in": dept.id, "unit_out": other.id, "person_in": person_in.id, "person_out": person_out.id,
        "cert_in": certs["in"].id, "cert_out": certs["out"].id, "serial_in": certs["in"].serial,
        "serial_out": certs["out"].serial, "code": certs["in"].code, "job": job.id, "period": 2026,
        "attempt": attempt.id}}


def _out(path: str) -> str:
    return path.replace("_in}", "_out}")


@pytest.mark.parametrize("role", sorted(ALL))
def test_access_matrix(app, client, login, world, role):
    if role != ANON:
        login(world["accounts"][role])
    failures = []
    for endpoint, (path, expected_in, expected_out) in MATRIX.items():
        for template, expected in ((path, expected_in), (_out(path), expected_out)):
            if expected is None:
                continue
            url = template.format(**world["values"])
            status = client.get(url).status_code
            if status != expected[role]:
                failures.append(f"{endpoint} {url}: {status}, expected {expected[role]}")
    assert failures == []
