"""Every route × method × role × an in-scope and an out-of-scope object.

The matrices below must name every (endpoint, method) of ``app.url_map``: a new route, or a new method on
an old one, fails ``test_every_route_and_method_has_an_entry`` until someone decides who may use it.

- ``GET_MATRIX`` and ``POST_MATRIX`` are run for each role with a session: the in-scope objects sit in
  the Sở Tư pháp subtree (the learner's own person, certificate and attempts are "in"), the out-of-scope
  ones in Sở Y tế (and belong to somebody else). POSTs change state, so they run after the GETs, in
  the order written, with log-out last.
- ``TOKEN_MATRIX`` covers the bearer-token API: no token, a revoked token, a session cookie instead of a
  token, a province-wide token and a token scoped to Sở Tư pháp.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import select

from learning.api import services as api_services
from learning.assessment.models import Attempt, Question
from learning.assignments import services as assignment_services
from learning.assignments.models import Exemption
from learning.auth.models import Role, RoleGrant
from learning.catalog.models import Course, RegulationSource
from learning.certification.models import Certificate, Job
from learning.certification.tasks import ensure_pdf
from learning.core.dates import utcnow
from learning.extensions import db
from learning.notify.services import notify
from learning.org.models import StaffImport, Unit
from learning.par import rubric
from tests.factories import EXPORT_PURPOSE

ANON, LEARNER, HEAD, HR, HR_SUB, PAR, ADMIN = "anon", "learner", "head", "hr", "hr_sub", "par", "admin"
ALL = {ANON, LEARNER, HEAD, HR, HR_SUB, PAR, ADMIN}
HEAD_OFFICE = "head_office"  # unit head of an office inside Sở Tư pháp: only in the PAR evidence matrix
LOGGED_IN = ALL - {ANON}
OK, FOUND, DENIED, LOGIN, BAD = 200, 302, 403, 302, 400


def allow(*roles, code=OK):
    """``code`` for the roles named, 403 for the other accounts, the log-in redirect for anonymous."""
    return {role: (code if role in roles else (LOGIN if role == ANON else DENIED)) for role in ALL}


def everyone(code):
    return {role: code for role in ALL}


def logged_in(code):
    return {ANON: LOGIN, **{role: code for role in LOGGED_IN}}


# Placeholders: {unit_in}, {person_in}, {cert_in}, {serial_in}, {code_in}, {job_in}, {attempt_in} (open),
# {result_in} (submitted), {notice_in}, {account_in}, {grant_in}, {batch_in}, {unit_batch_in}, {assignment_in}, {course_in}, {source_in},
# each with an "_out" twin; {period}, {token}. An expected value is a status, or (status, text the body
# must contain).
GET_MATRIX: dict[str, tuple[str, dict, dict | None]] = {
    "core.home_page": ("/", allow(*LOGGED_IN), None),
    "core.healthz": ("/healthz", everyone(OK), None),
    "auth.login": ("/dang-nhap", {ANON: OK, **{r: LOGIN for r in LOGGED_IN}}, None),
    "auth.change_password": ("/doi-mat-khau", allow(*LOGGED_IN), None),
    "password.forgot": ("/quen-mat-khau", everyone(OK), None),
    "password.requested": ("/quen-mat-khau/da-gui", everyone(OK), None),
    "password.with_link": ("/dat-lai-mat-khau/khong-hop-le", everyone(410), None),
    # OIDC configured towards a provider that is down (the world fixture): a clear 503 page, never a 500.
    "oidc.login": ("/dang-nhap/oidc", {ANON: (503, "không phản hồi"), **{r: FOUND for r in LOGGED_IN}}, None),
    "oidc.callback": ("/dang-nhap/oidc/callback?code=x&state=y", everyone((503, "không phản hồi")), None),
    "org.unit_list": ("/don-vi", allow(HEAD, HR, HR_SUB, PAR, ADMIN), None),
    "org.unit_detail": ("/don-vi/{unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN), allow(HR, PAR, ADMIN)),
    "org.person_list": ("/can-bo", allow(HEAD, HR, HR_SUB, ADMIN), None),
    "org.person_detail": ("/can-bo/{person_in}", allow(LEARNER, HEAD, HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "staff.upload": ("/can-bo/nhap", allow(HR, HR_SUB, ADMIN), None),
    "staff.template": ("/can-bo/nhap/mau.xlsx", allow(HR, HR_SUB, ADMIN), None),
    "staff.export": ("/can-bo/xuat.csv", allow(HEAD, HR, HR_SUB, ADMIN), None),
    "library.index": ("/thu-vien", everyone(OK), None),
    "library.document": ("/thu-vien/{source_in}", everyone(OK), everyone(404)),
    "certification.verify_form": ("/xac-thuc", everyone(OK), None),
    "certification.verify": ("/xac-thuc/{code_in}", everyone(OK), everyone(OK)),
    "certification.verify_json": ("/xac-thuc/{code_in}.json", everyone(OK), everyone(OK)),
    "certification.mine": ("/chung-nhan", allow(*LOGGED_IN), None),
    "certification.download": ("/chung-nhan/{serial_in}.pdf", allow(LEARNER, HR, HR_SUB, ADMIN),
                               allow(HR, ADMIN)),
    # Open Badges 3.0 (h16ob): the public key set, issuer profile and status list are public; the holder's
    # credential is theirs and their HR's, like the PDF; the verify page's .jwt is public like its JSON.
    "badges.jwks": ("/.well-known/jwks.json", everyone((OK, "Ed25519")), None),
    "badges.issuer": ("/ob/to-chuc-cap.json", everyone((OK, "Profile")), None),
    "badges.status": ("/ob/trang-thai", everyone(OK), None),
    "badges.mine": ("/chung-nhan/{serial_in}.jwt", allow(LEARNER, HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "badges.public": ("/xac-thuc/{code_in}.jwt", everyone(OK), everyone(OK)),
    "certification.manage": ("/quan-ly/chung-nhan", allow(HR, HR_SUB, ADMIN), None),
    "certification.detail": ("/quan-ly/chung-nhan/{cert_in}", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "certification.job": ("/cong-viec/{job_in}", allow(HR, ADMIN), allow(HR_SUB, ADMIN)),
    "certification.job_download": ("/cong-viec/{job_in}/tai-ve", allow(HR, ADMIN), allow(HR_SUB, ADMIN)),
    "assignments.index": ("/giao-hoc", allow(HR, HR_SUB, ADMIN), None),
    "assignments.create": ("/giao-hoc/moi", allow(HR, HR_SUB, ADMIN), None),
    "assignments.close": ("/giao-hoc/{assignment_in}/dong", allow(HR, HR_SUB, ADMIN, code=(OK, "Kết thúc 1 đợt giao")),
                          allow(HR, ADMIN)),
    "assignments.close_many": ("/giao-hoc/ket-thuc?id={assignment_in}", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "assignments.reopen": ("/giao-hoc/{assignment_in}/mo-lai", allow(HR, HR_SUB, ADMIN, code=FOUND),
                           allow(HR, ADMIN, code=FOUND)),  # still active here: back to the list
    "assignments.reminder_settings": ("/giao-hoc/{assignment_in}/nhac-viec", allow(HR, HR_SUB, ADMIN),
                                      allow(HR, ADMIN)),
    # h15remind: each account's own notices; another's are not found
    "notify.index": ("/thong-bao", allow(*LOGGED_IN), None),
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
    "par.unit": ("/cchc/{period}/don-vi/{unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN), allow(HR, PAR, ADMIN)),
    "par.evidence_file": ("/cchc/{period}/don-vi/{unit_in}/minh-chung.xlsx", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                          allow(HR, PAR, ADMIN)),
    "par.rubrics": ("/cchc/bo-tieu-chi", allow(HEAD, HR, HR_SUB, PAR, ADMIN), None),
    "par.freeze": ("/cchc/{period}/dong-bang", allow(PAR, code=(OK, "Số đơn vị được chốt")), None),
    "par.unfreeze": ("/cchc/{period}/mo-chot", allow(ADMIN, code=FOUND), None),  # not frozen: back to the table
    "par.snapshot": ("/cchc/{period}/ban-chot/999999", allow(HEAD, HR, HR_SUB, PAR, ADMIN, code=404), None),
    "api_admin.tokens": ("/quan-tri/api", allow(ADMIN), None),
    "catalog.my_learning": ("/hoc-tap", allow(*LOGGED_IN), None),
    "catalog.course": ("/khoa-hoc/{course_in}", logged_in(OK), logged_in(404)),
    "catalog.lesson": ("/khoa-hoc/{course_in}/bai/01-bai", logged_in(OK), logged_in(404)),
    "assessment.page": ("/bai-lam/{attempt_in}/trang/1", allow(LEARNER), allow()),
    "assessment.confirm": ("/bai-lam/{attempt_in}/nop", allow(LEARNER), allow()),
    # PAR assessors read no quiz reviews (docs/access.md).
    "assessment.result": ("/bai-lam/{result_in}/ket-qua", allow(LEARNER, HEAD, HR, HR_SUB, ADMIN),
                          allow(HR, ADMIN)),
    "audit.log": ("/quan-tri/nhat-ky", allow(ADMIN), None),
    "audit.log_export": ("/quan-tri/nhat-ky/xuat.csv?nguoi=CB", allow(ADMIN, code=(OK, "Mục đích xuất dữ liệu")), None),
    "audit.retention_settings": ("/quan-tri/luu-tru-du-lieu", allow(ADMIN), None),
    "audit.my_data": ("/du-lieu-cua-toi", allow(*LOGGED_IN), None),
    "audit.my_data_json": ("/du-lieu-cua-toi.json", allow(*LOGGED_IN), None),
    "api.openapi": ("/api/v1/openapi.json", everyone(OK), None),
    "textcheck.page": ("/kiem-tra-van-ban", allow(*LOGGED_IN, code=(OK, "Kiểm tra văn bản")), None),
    # h15org: people over time, unit lifecycle
    "org.person_edit": ("/can-bo/{person_in}/sua", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    # h14mfa: second factor. A pending sign-in (none here) or nobody: back to the log-in page / home.
    "mfa.challenge": ("/dang-nhap/ma-xac-thuc", everyone(FOUND), None),
    "mfa.login_enrol": ("/dang-nhap/dang-ky-xac-thuc", everyone(FOUND), None),
    "mfa.settings": ("/tai-khoan/xac-thuc-hai-buoc", allow(*LOGGED_IN), None),
    "mfa.enrol": ("/tai-khoan/xac-thuc-hai-buoc/dang-ky", allow(*LOGGED_IN, code=(OK, "Khóa bí mật")), None),
    # After mfa.enrol: the QR of the secret this session is enrolling; none for anonymous.
    "mfa.qr": ("/xac-thuc-hai-buoc/ma-qr.svg", {ANON: 404, **{r: (OK, "<svg") for r in LOGGED_IN}}, None),
    # h15units: changing the unit tree
    "units.create": ("/don-vi/moi", allow(HR, HR_SUB, ADMIN), None),
    "units.rename": ("/don-vi/{unit_in}/doi-ten", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "units.move": ("/don-vi/{unit_in}/chuyen", allow(HR, ADMIN), allow(HR, ADMIN)),
    "units.merge": ("/don-vi/{unit_in}/sap-nhap", allow(HR, ADMIN), allow(HR, ADMIN)),
    "units.dissolve": ("/don-vi/{unit_in}/giai-the", allow(HR, ADMIN), allow(HR, ADMIN)),
    # h14inv: invitations, activation letters, activation pages
    "invitations.confirm": ("/loi-moi?don-vi={unit_in}", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "invitations.job": ("/loi-moi/cong-viec/{invjob_in}", allow(HR, ADMIN), allow(HR_SUB, ADMIN)),
    "activation.link": ("/kich-hoat/khong-phai-lien-ket", everyone((404, "không hợp lệ")), None),
    "activation.code": ("/kich-hoat-ma", everyone(OK), None),
    "activation.code_password": ("/kich-hoat-ma/mat-khau", everyone((410, "Nhập lại mã kích hoạt")), None),
    # h14acct: account administration on the person page
    "accounts.disable": ("/tai-khoan/{account_in}/vo-hieu-hoa", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "unit_import.upload": ("/don-vi/nhap", allow(HR, HR_SUB, ADMIN), None),
    "unit_import.template": ("/don-vi/nhap/mau.xlsx", allow(HR, HR_SUB, ADMIN), None),
    # h15exempt: transcripts, exemptions and extensions (the province-wide assignment counts both people)
    "assignments.transcript": ("/can-bo/{person_in}/ho-so-hoc-tap", allow(LEARNER, HEAD, HR, HR_SUB, ADMIN),
                               allow(HR, ADMIN)),
    "assignments.transcript_pdf": ("/can-bo/{person_in}/ho-so-hoc-tap.pdf", allow(LEARNER, HEAD, HR, HR_SUB, ADMIN),
                                   allow(HR, ADMIN)),
    "assignments.request_exemption": ("/can-bo/{person_in}/giao-hoc/{assignment_all}/ngoai-le",
                                      allow(HEAD, HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "assignments.exemption_requests": ("/ngoai-le", allow(HR, HR_SUB, ADMIN, code=(OK, "Chờ duyệt (")), None),
    "assignments.approve_exemption": ("/ngoai-le/{exemption_in}/duyet", allow(HR, HR_SUB, ADMIN, code=(OK, "Xác nhận duyệt")),
                                      allow(HR, ADMIN)),
    "assignments.refuse_exemption": ("/ngoai-le/{exemption_in}/tu-choi", allow(HR, HR_SUB, ADMIN), allow(HR, ADMIN)),
    "static": ("/static/css/app.css", everyone(OK), None),
}

PDF = b"%PDF-1.7\n%%EOF\n"


def _staff_csv(unit_code: str, code: str) -> bytes:
    return (f"Mã cán bộ,Họ và tên,Mã đơn vị,Loại\n{code},Trần Văn Mới,{unit_code},công chức\n").encode()


def _units_csv(parent_code: str, code: str) -> bytes:
    return f"Mã đơn vị,Thao tác,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên\n{code},tạo,Tổ mới,phòng ban,{parent_code}\n".encode()


def _rubric_file(version: str) -> bytes:
    text = rubric.shipped()[0][1]
    return text.replace('version: "2026.2"', f'version: "{version}"').encode()


# endpoint → (path, expected in, expected out or None, form data: a dict, or a callable of (values, which)
# for bodies that must be fresh each time, e.g. files). Run in this order.
POST_MATRIX: dict[str, tuple[str, dict, dict | None, object]] = {
    "core.set_language": ("/ngon-ngu", everyone(FOUND), None, {"lang": "vi", "next": "/"}),
    "auth.login": ("/dang-nhap", {ANON: 401, **{r: FOUND for r in LOGGED_IN}}, None,
                   {"identifier": "khong-co", "password": "sai-mat-khau-1"}),
    "auth.change_password": ("/doi-mat-khau", logged_in((BAD, "Mật khẩu hiện tại không đúng")), None,
                             {"current_password": "sai", "new_password": "Moi-2026-abc", "confirm": "Moi-2026-abc"}),
    "password.forgot": ("/quen-mat-khau", everyone(FOUND), None, {"identifier": "khong-co@example.org"}),
    "password.with_link": ("/dat-lai-mat-khau/khong-hop-le", everyone(410), None,
                           {"password": "Hoa-sen-tim-2026", "confirm": "Hoa-sen-tim-2026"}),
    "certification.verify_upload": ("/xac-thuc/kiem-tra-tep", everyone(OK), None,
                                    lambda v, w: {"pdf": (io.BytesIO(PDF), "cn.pdf")}),
    "badges.check": ("/xac-thuc/kiem-tra-huy-hieu", everyone((OK, "Không đọc được")), None,
                     {"credential": "a.b.c"}),
    "staff.export": ("/can-bo/xuat.csv", allow(HEAD, HR, HR_SUB, ADMIN), None, EXPORT_PURPOSE),
    "audit.log_export": ("/quan-tri/nhat-ky/xuat.csv", allow(ADMIN, code=(OK, "Mã sự kiện")), None, EXPORT_PURPOSE),
    "staff.upload": ("/can-bo/nhap", allow(HR, HR_SUB, ADMIN, code=(OK, "Xác nhận nhập")),
                     allow(HR, ADMIN, code=(OK, "Xác nhận nhập")) | {HR_SUB: (OK, "ngoài phạm vi")},
                     lambda v, w: {"file": (io.BytesIO(_staff_csv(v[f"unit_code_{w}"], "MOI1")), "ds.csv")}),
    # h14inv (before staff.confirm, which adds invited people): nobody in the world needs an invitation
    "invitations.choose": ("/loi-moi/chon", allow(HR, HR_SUB, ADMIN, code=(OK, "Không có ai cần gửi lời mời")),
                           allow(HR, ADMIN), lambda v, w: {"nguoi": v[f"person_{w}"]}),
    "invitations.send": ("/loi-moi/gui", allow(HR, HR_SUB, ADMIN, code=FOUND), allow(HR, ADMIN, code=FOUND),
                         lambda v, w: {"don-vi": v[f"unit_{w}"]}),
    "invitations.resend": ("/can-bo/{person_in}/gui-loi-moi", allow(HR, HR_SUB, ADMIN, code=FOUND),
                           allow(HR, ADMIN, code=FOUND), {}),
    "invitations.print_letters": ("/don-vi/{unit_in}/thu-kich-hoat", allow(HR, HR_SUB, ADMIN, code=FOUND),
                                  allow(HR, ADMIN, code=FOUND), {}),
    "activation.link": ("/kich-hoat/khong-phai-lien-ket", everyone(404), None,
                        {"password": "Hoa-sen-tim-no-som-2026", "confirm": "Hoa-sen-tim-no-som-2026"}),
    "activation.code": ("/kich-hoat-ma", everyone((BAD, "không đúng")), None,
                        {"employee_code": "KHONGCO", "birth_date": "01/01/1990", "code": "AAAAA-AAAAA"}),
    "activation.code_password": ("/kich-hoat-ma/mat-khau", everyone(410), None,
                                 {"password": "Hoa-sen-tim-no-som-2026", "confirm": "Hoa-sen-tim-no-som-2026"}),
    "staff.confirm": ("/can-bo/nhap/{batch_in}/xac-nhan", allow(HR, code=FOUND), allow(HR_SUB, code=FOUND), {}),
    "assignments.create": ("/giao-hoc/moi", allow(HR, HR_SUB, ADMIN, code=FOUND), allow(HR, ADMIN, code=FOUND),
                           lambda v, w: {"course_id": v["course_id"], "unit_code": v[f"unit_code_{w}"],
                                         "period": 2026, "starts_on": "2026-01-01", "due_on": "2026-06-30"}),
    "assignments.close_many": ("/giao-hoc/ket-thuc", allow(HR, HR_SUB, ADMIN, code=FOUND),
                               allow(HR, ADMIN, code=FOUND), lambda v, w: {"id": str(v[f"assignment_{w}"])}),
    "assignments.close": ("/giao-hoc/{assignment_in}/dong", allow(HR, HR_SUB, ADMIN, code=FOUND),
                          allow(HR, ADMIN, code=FOUND), {}),
    "assignments.reopen": ("/giao-hoc/{assignment_in}/mo-lai", allow(HR, HR_SUB, ADMIN, code=FOUND),
                           allow(HR, ADMIN, code=FOUND), {}),
    "assignments.export_units": ("/tuan-thu/xuat.csv?don-vi={unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                                 allow(HR, PAR, ADMIN), EXPORT_PURPOSE),
    "assignments.export_people": ("/tuan-thu/can-bo/xuat.csv?don-vi={unit_in}",
                                  allow(HEAD, HR, HR_SUB, PAR, ADMIN), allow(HR, PAR, ADMIN), EXPORT_PURPOSE),
    "assignments.report_pdf": ("/tuan-thu/bao-cao.pdf?don-vi={unit_in}", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                               allow(HR, PAR, ADMIN), EXPORT_PURPOSE),
    "par.evidence_file": ("/cchc/{period}/don-vi/{unit_in}/minh-chung.xlsx", allow(HEAD, HR, HR_SUB, PAR, ADMIN),
                          allow(HR, PAR, ADMIN), EXPORT_PURPOSE),
    "par.unit": ("/cchc/{period}/don-vi/{unit_in}", allow(PAR, code=FOUND), allow(PAR, code=FOUND), {}),
    "par.rubrics": ("/cchc/bo-tieu-chi", allow(ADMIN, code=FOUND), None,
                    lambda v, w: {"file": (io.BytesIO(_rubric_file("2026.9")), "tc.yaml")}),
    "par.freeze": ("/cchc/{period}/dong-bang", allow(PAR, code=FOUND), None, {}),
    "par.unfreeze": ("/cchc/{period}/mo-chot", allow(ADMIN, code=FOUND), None, {"ly-do": "Kiểm tra quyền truy cập"}),
    "certification.export": ("/quan-ly/chung-nhan/xuat", allow(HR, HR_SUB, ADMIN, code=FOUND),
                             allow(HR, ADMIN, code=FOUND),
                             lambda v, w: EXPORT_PURPOSE | {"don-vi": v[f"unit_code_{w}"]}),
    "certification.detail": ("/quan-ly/chung-nhan/{cert_in}", allow(HR, HR_SUB, ADMIN, code=FOUND),
                             allow(HR, ADMIN, code=FOUND), {"reason": "Sai thông tin người học"}),
    "certification.reissue": ("/quan-ly/chung-nhan/{cert_in}/cap-lai", allow(HR, HR_SUB, ADMIN, code=FOUND),
                              allow(HR, ADMIN, code=FOUND), {}),
    "catalog.mark_read": ("/khoa-hoc/{course_in}/bai/01-bai/da-doc", logged_in(FOUND), logged_in(404), {}),
    "assessment.page": ("/bai-lam/{attempt_in}/trang/1", allow(LEARNER, code=FOUND), allow(), {}),
    "assessment.confirm": ("/bai-lam/{attempt_in}/nop", allow(LEARNER, code=FOUND), allow(), {}),
    "assessment.start": ("/khoa-hoc/{course_in}/kiem-tra/bat-dau", logged_in(FOUND), logged_in(404), {}),
    "auth.reset_password": ("/tai-khoan/{account_in}/dat-lai-mat-khau", allow(ADMIN, code=FOUND),
                            allow(ADMIN, code=FOUND), {}),
    "auth.grant_role": ("/tai-khoan/{account_in}/vai-tro", allow(ADMIN, code=FOUND), allow(ADMIN, code=FOUND),
                        {"role": "unit_head", "unit_code": "STP"}),
    "auth.revoke_role": ("/vai-tro/{grant_in}/thu-hoi", allow(ADMIN, code=FOUND), allow(ADMIN, code=FOUND), {}),
    "api_admin.tokens": ("/quan-tri/api", allow(ADMIN), None,
                         {"name": "Phần mềm CCHC", "unit_code": "STP", "purpose": "Đồng bộ kết quả bồi dưỡng"}),
    "api_admin.revoke": ("/quan-tri/api/{token}/thu-hoi", allow(ADMIN, code=FOUND), None, {}),
    "audit.retention_settings": ("/quan-tri/luu-tru-du-lieu", allow(ADMIN, code=FOUND), None,
                                 {"audit_months": "24", "attempt_months": "12"}),
    # h15org: people over time, unit lifecycle
    "org.person_edit": ("/can-bo/{person_in}/sua", allow(HR, HR_SUB, ADMIN, code=FOUND), allow(HR, ADMIN, code=FOUND),
                        lambda v, w: {"given_name": "Trong" if w == "in" else "Ngoài", "category": "cong_chuc",
                                      "unit_code": v[f"unit_code_{w}"], "active": "y"}),
    # h14mfa: second factor
    "mfa.challenge": ("/dang-nhap/ma-xac-thuc", everyone(FOUND), None, {"code": "12"}),
    "mfa.login_enrol": ("/dang-nhap/dang-ky-xac-thuc", everyone(FOUND), None, {"code": "12"}),
    "mfa.enrol": ("/tai-khoan/xac-thuc-hai-buoc/dang-ky", logged_in((BAD, "Mã chưa đúng")), None, {"code": "12"}),
    "mfa.new_recovery_codes": ("/tai-khoan/xac-thuc-hai-buoc/ma-du-phong", logged_in(FOUND), None, {"code": "12"}),
    "mfa.disable": ("/tai-khoan/xac-thuc-hai-buoc/tat", logged_in(FOUND), None, {"code": "12"}),
    "mfa.reset": ("/tai-khoan/{account_in}/dat-lai-xac-thuc", allow(ADMIN, code=FOUND), allow(ADMIN, code=FOUND),
                  {"confirm": "y"}),
    # h15units: the sub-department HR manages inside Sở Tư pháp but cannot move, merge or dissolve it
    "units.create": ("/don-vi/moi", allow(HR, HR_SUB, ADMIN, code=FOUND), None,
                     lambda v, w: {"code": "STP-MOI", "name": "Phòng mới", "kind": "phong_ban",
                                   "parent_code": v["unit_code_in"]}),
    "units.rename": ("/don-vi/{unit_in}/doi-ten", allow(HR, HR_SUB, ADMIN, code=FOUND), allow(HR, ADMIN, code=FOUND),
                     {"name": "Tên mới", "on": "2025-01-01"}),
    "units.move": ("/don-vi/{unit_in}/chuyen", allow(HR, ADMIN, code=(BAD, "Không có đơn vị mã")),
                   allow(HR, ADMIN, code=(BAD, "Không có đơn vị mã")), {"parent_code": "KHONG-CO"}),
    "units.merge": ("/don-vi/{unit_in}/sap-nhap", allow(HR, ADMIN, code=(BAD, "Không có đơn vị mã")),
                    allow(HR, ADMIN, code=(BAD, "Không có đơn vị mã")), {"target_code": "KHONG-CO", "on": "2025-01-01"}),
    "units.dissolve": ("/don-vi/{unit_in}/giai-the", allow(HR, ADMIN, code=(BAD, "Đơn vị còn")),
                       allow(HR, ADMIN, code=(BAD, "Đơn vị còn")), {"on": "2025-06-30"}),
    # h14acct: account administration (the learner's account in scope, the outsider's out of it)
    "accounts.lock": ("/tai-khoan/{account_in}/khoa", allow(HR, HR_SUB, ADMIN, code=FOUND),
                      allow(HR, ADMIN, code=FOUND), {}),
    "accounts.unlock": ("/tai-khoan/{account_in}/mo-khoa", allow(HR, HR_SUB, ADMIN, code=FOUND),
                        allow(HR, ADMIN, code=FOUND), {}),
    "accounts.disable": ("/tai-khoan/{account_in}/vo-hieu-hoa", allow(HR, HR_SUB, ADMIN, code=FOUND),
                         allow(HR, ADMIN, code=FOUND), {"note": "Kiểm tra"}),
    "accounts.enable": ("/tai-khoan/{account_in}/mo-lai", allow(HR, HR_SUB, ADMIN, code=FOUND),
                        allow(HR, ADMIN, code=FOUND), {}),
    "unit_import.upload": ("/don-vi/nhap", allow(HR, HR_SUB, ADMIN, code=(OK, "Xác nhận nhập")),
                           allow(HR, ADMIN, code=(OK, "Xác nhận nhập")) | {HR_SUB: (OK, "ngoài phạm vi")},
                           lambda v, w: {"file": (io.BytesIO(_units_csv(v[f"unit_code_{w}"], "DV-MOI")), "dv.csv")}),
    "unit_import.confirm": ("/don-vi/nhap/{unit_batch_in}/xac-nhan", allow(HR, code=FOUND),
                            allow(HR_SUB, code=FOUND), {}),
    # h15exempt: a request that is refused as incomplete (nothing written), a refusal without a reason (400),
    # then approving and withdrawing the waiting requests of the world
    "assignments.request_exemption": ("/can-bo/{person_in}/giao-hoc/{assignment_all}/ngoai-le",
                                      allow(HEAD, HR, HR_SUB, ADMIN, code=(BAD, "Hạn mới phải sau")),
                                      allow(HR, ADMIN, code=(BAD, "Hạn mới phải sau")),
                                      {"kind": "extend", "reason": "long_sick", "new_due_on": "2026-06-29"}),
    "assignments.refuse_exemption": ("/ngoai-le/{exemption_in}/tu-choi", allow(HR, HR_SUB, ADMIN, code=(BAD, "lý do từ chối")),
                                     allow(HR, ADMIN, code=(BAD, "lý do từ chối")), {"note": ""}),
    "assignments.approve_exemption": ("/ngoai-le/{exemption_in}/duyet", allow(HR, HR_SUB, ADMIN, code=FOUND),
                                      allow(HR, ADMIN, code=FOUND), {"note": ""}),
    "assignments.withdraw_exemption": ("/ngoai-le/{exemption_in}/rut", allow(HR, HR_SUB, ADMIN, code=FOUND),
                                       allow(HR, ADMIN, code=FOUND), {}),
    "assignments.remind_now": ("/can-bo/{person_in}/nhac-viec", allow(HEAD, HR, HR_SUB, ADMIN, code=FOUND),
                               allow(HR, ADMIN, code=FOUND), {}),
    "assignments.reminder_settings": ("/giao-hoc/{assignment_in}/nhac-viec", allow(HR, HR_SUB, ADMIN, code=FOUND),
                                      allow(HR, ADMIN, code=FOUND),
                                      {"remind_days_before": "7, 1", "remind_every_days": "7", "remind_max_after": "4"}),
    "notify.read": ("/thong-bao/{notice_in}/da-doc", logged_in(404) | {LEARNER: FOUND}, logged_in(404), {}),
    "notify.read_all": ("/thong-bao/da-doc-het", logged_in(FOUND), None, {}),
    "textcheck.page": ("/kiem-tra-van-ban", logged_in((OK, "[SỐ CCCD]")), None, {"text": "CCCD 022085001234"}),
    "auth.logout": ("/dang-xuat", logged_in(FOUND), None, {}),  # last: it ends the session
}

# The bearer-token API. Tokens: none, revoked, a session cookie only, province-wide, scoped to Sở Tư pháp,
# and a province-wide token of scope "textcheck" (CHECKER: 403 on every data endpoint, the only one to check).
NONE, REVOKED, COOKIE, PROVINCE, UNIT, CHECKER = "none", "revoked", "cookie", "province", "unit", "checker"
UNAUTHORISED = {NONE: 401, REVOKED: 401, COOKIE: 401}
OUTSIDER = "Ngoài"  # the out-of-scope person's given name never appears in a unit token's answers
TOKEN_MATRIX: dict[str, list[tuple[str, dict]]] = {
    "api.people": [
        ("/api/v1/people", UNAUTHORISED | {PROVINCE: (OK, OUTSIDER), UNIT: (OK, "Trong", OUTSIDER)}),
        ("/api/v1/people?unit=STP", UNAUTHORISED | {PROVINCE: OK, UNIT: OK}),
        ("/api/v1/people?unit=SYT", UNAUTHORISED | {PROVINCE: (OK, OUTSIDER), UNIT: DENIED}),
    ],
    "api.assignments": [("/api/v1/assignments?period=2026", UNAUTHORISED | {PROVINCE: OK, UNIT: OK})],
    "api.assignment_status": [
        ("/api/v1/assignments/{assignment_all}/status", UNAUTHORISED | {PROVINCE: (OK, OUTSIDER),
                                                                       UNIT: (OK, "Trong", OUTSIDER)}),
        ("/api/v1/assignments/999999/status", UNAUTHORISED | {PROVINCE: 404, UNIT: 404}),
    ],
    "api.compliance_by_unit": [
        ("/api/v1/compliance?unit=STP", UNAUTHORISED | {PROVINCE: OK, UNIT: OK}),
        ("/api/v1/compliance?unit=SYT", UNAUTHORISED | {PROVINCE: OK, UNIT: DENIED}),
    ],
    "api.par_period": [("/api/v1/par/{period}", UNAUTHORISED | {PROVINCE: (OK, "SYT"), UNIT: (OK, "STP", "SYT")})],
}
# POSTs with a JSON body: endpoint → [(path, body, expected per token kind)].
TOKEN_POST_MATRIX: dict[str, list[tuple[str, dict, dict]]] = {
    "api.text_check": [("/api/v1/text-check", {"text": "CCCD 022085001234"},
                        UNAUTHORISED | {PROVINCE: DENIED, UNIT: DENIED, CHECKER: (OK, "[SỐ CCCD]")})],
}


def test_every_route_and_method_has_an_entry(app):
    seen, missing = set(), []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            seen.add((rule.endpoint, method))
            if rule.endpoint in TOKEN_MATRIX:
                covered = method == "GET"
            elif rule.endpoint in TOKEN_POST_MATRIX:
                covered = method == "POST"
            else:
                covered = rule.endpoint in {"GET": GET_MATRIX, "POST": POST_MATRIX}.get(method, {})
            if not covered:
                missing.append(f"{method} {rule.endpoint}")
    assert not missing, f"add these to the access matrix: {missing}"
    stale = ({(e, "GET") for e in GET_MATRIX} | {(e, "POST") for e in POST_MATRIX}
             | {(e, "GET") for e in TOKEN_MATRIX} | {(e, "POST") for e in TOKEN_POST_MATRIX}) - seen
    assert not stale, f"the matrix names routes that do not exist: {sorted(stale)}"


@pytest.fixture
def world(app, tmp_path, monkeypatch, province, create_unit, create_person, create_account, create_course_version,
          create_completion):
    monkeypatch.setitem(app.config, "STORAGE_DIR", tmp_path)
    monkeypatch.setitem(app.config, "JOBS_MODE", "sync")
    monkeypatch.setitem(app.config, "OIDC_ISSUER", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "matrix")
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept, code="STP-2")
    other = create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh")
    learner = create_account(full_name="Lê Văn Trong", unit=office)
    outsider = create_account(full_name="Vũ Thị Ngoài", unit=other)
    version = create_course_version(code="ung-xu")
    inactive = create_course_version(code="cu")
    db.session.get(Course, inactive.course_id).active = False
    question = Question(course_version_id=version.id, key="q1", group_key="q1", position=1, kind="single",
                        stem="Câu hỏi?", options=[{"id": "a", "text": "Có", "correct": True, "feedback": ""},
                                                  {"id": "b", "text": "Không", "correct": False, "feedback": ""}])
    db.session.add(question)
    db.session.add(RegulationSource(id="qd-thu", kind="Quyết định", title="Quyết định thử", short_title="QĐ thử",
                                    issuer="UBND tỉnh", content_hash="h"))
    db.session.flush()
    values = {"period": 2026, "course_id": version.course_id, "course_in": "ung-xu", "course_out": "cu",
              "source_in": "qd-thu", "source_out": "khong-co", "unit_in": dept.id, "unit_out": other.id,
              "unit_code_in": "STP-2", "unit_code_out": "SYT"}
    for key, account in (("in", learner), ("out", outsider)):
        person = account.person
        completion = create_completion(person, version, completed_at=datetime(2026, 2, 1))
        cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
        ensure_pdf(cert)
        now = utcnow()
        opened = Attempt(person_id=person.id, course_id=version.course_id, course_version_id=version.id,
                         open_key=f"{person.id}:{version.course_id}", seed=1, pages=[[question.id]],
                         option_order={str(question.id): ["a", "b"]}, answers={}, started_at=now)
        done = Attempt(person_id=person.id, course_id=version.course_id, course_version_id=version.id, seed=2,
                       pages=[[question.id]], option_order={str(question.id): ["a", "b"]}, answers={},
                       started_at=now, submitted_at=now, score=0.0, passed=False, results={"q1": False})
        db.session.add_all([opened, done])
        db.session.flush()
        values |= {f"person_{key}": person.id, f"cert_{key}": cert.id, f"serial_{key}": cert.serial,
                   f"code_{key}": cert.code, f"attempt_{key}": opened.id, f"result_{key}": done.id,
                   f"account_{key}": account.id}
    # Targets for revoke_role: grants of somebody who is never logged in here.
    grants = [RoleGrant(role=Role.UNIT_HEAD.value, unit=dept), RoleGrant(role=Role.UNIT_HEAD.value, unit=other)]
    outsider.grants.extend(grants)
    db.session.flush()
    values["grant_in"], values["grant_out"] = grants[0].id, grants[1].id
    accounts = {
        LEARNER: learner,
        HEAD: create_account((Role.UNIT_HEAD, dept), unit=dept),
        HR: create_account((Role.HR, None)),
        HR_SUB: create_account((Role.HR, dept), unit=dept),
        PAR: create_account((Role.PAR_ASSESSOR, None)),
        ADMIN: create_account((Role.ADMIN, None)),
        HEAD_OFFICE: create_account((Role.UNIT_HEAD, office), unit=office),
    }
    everyone_assigned = assignment_services.create(
        by=None, course_id=version.course_id, unit_id=province.id, categories=[], positions=[], period=2026,
        starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    for key, unit in (("in", dept), ("out", other)):
        assignment = assignment_services.create(by=None, course_id=version.course_id, unit_id=unit.id,
                                                categories=[], positions=[], period=2026,
                                                starts_on=date(2026, 1, 1), due_on=date(2026, 9, 30))
        owner = accounts[HR] if key == "in" else accounts[HR_SUB]
        archive = tmp_path / f"job-{key}.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("danh-sach.txt", "x")
        job = Job(kind="certificates.export", params={}, created_by_id=owner.id, status="done",
                  result_path=str(archive))
        batch_data = _staff_csv("STP-2" if key == "in" else "STP", f"LO{key}")
        batch = StaffImport(account_id=owner.id, filename="ds.csv", data=batch_data, summary={})
        invitation_job = Job(kind="invitations.send", params={"account_ids": [], "sent": [], "failures": []},
                             created_by_id=owner.id, status="done")
        db.session.add_all([job, batch, invitation_job])
        db.session.flush()
        values |= {f"assignment_{key}": assignment.id, f"job_{key}": job.id, f"batch_{key}": batch.id,
                   f"invjob_{key}": invitation_job.id}
        unit_batch = StaffImport(kind="units", account_id=owner.id, filename="dv.csv",
                                 data=_units_csv("STP-2", f"DV-{key}"), summary={})
        db.session.add_all([job, batch, unit_batch])
        db.session.flush()
        values |= {f"assignment_{key}": assignment.id, f"job_{key}": job.id, f"batch_{key}": batch.id,
                   f"unit_batch_{key}": unit_batch.id}
    values["assignment_all"] = everyone_assigned.id
    for key in ("in", "out"):  # waiting requests, asked by somebody who is never logged in here
        exemption = Exemption(person_id=values[f"person_{key}"], assignment_id=everyone_assigned.id, kind="exempt",
                              reason="maternity", status="requested")
        db.session.add(exemption)
        db.session.flush()
        values[f"exemption_{key}"] = exemption.id
    for key, account in (("in", learner), ("out", outsider)):
        notice = notify(account.id, "reminder.due", "Hôm nay là hạn hoàn thành")
        db.session.flush()
        values[f"notice_{key}"] = notice.id
    token, plain = api_services.issue("Phần mềm CCHC", None, accounts[ADMIN])
    values["token"] = token.id
    db.session.commit()
    return {"accounts": accounts, "values": values, "admin": accounts[ADMIN]}


def _check(response, expected) -> str | None:
    """None when the response matches ``expected`` (a status, or status + text present [+ text absent])."""
    status, *texts = expected if isinstance(expected, tuple) else (expected,)
    if response.status_code != status:
        return f"{response.status_code}, expected {status}"
    if not texts:
        return None
    body = json.dumps(response.json, ensure_ascii=False) if response.is_json else response.get_data(as_text=True)
    if texts and texts[0] not in body:
        return f"{status} but “{texts[0]}” missing"
    if len(texts) > 1 and texts[1] in body:
        return f"{status} but “{texts[1]}” present"
    return None


def _variants(path: str, expected_in: dict, expected_out: dict | None):
    yield "in", path, expected_in
    if expected_out is not None:
        yield "out", path.replace("_in}", "_out}"), expected_out


@pytest.mark.parametrize("role", sorted(ALL))
def test_access_matrix(app, client, login, world, role):
    if role != ANON:
        login(world["accounts"][role])
    values, failures = world["values"], []
    for endpoint, (path, expected_in, expected_out) in GET_MATRIX.items():
        for _which, template, expected in _variants(path, expected_in, expected_out):
            url = template.format(**values)
            problem = _check(client.get(url), expected[role])
            if problem:
                failures.append(f"GET {endpoint} {url}: {problem}")
    for endpoint, (path, expected_in, expected_out, data) in POST_MATRIX.items():
        for which, template, expected in _variants(path, expected_in, expected_out):
            url = template.format(**values)
            body = data(values, which) if callable(data) else dict(data)
            response = client.post(url, data=body, content_type="multipart/form-data")
            problem = _check(response, expected[role])
            if problem:
                failures.append(f"POST {endpoint} {url}: {problem}")
    assert failures == []


@pytest.fixture
def tokens(app, world, client, login):
    admin = world["admin"]
    province_token = api_services.issue("Toàn tỉnh", None, admin)[1]
    unit = db.session.scalar(select(Unit).where(Unit.code == "STP"))
    unit_token = api_services.issue("Sở Tư pháp", unit, admin)[1]
    revoked, revoked_plain = api_services.issue("Đã thu hồi", None, admin)
    api_services.revoke(revoked, admin)
    checker = api_services.issue("Cổng dịch vụ công", None, admin, scope="textcheck")[1]
    db.session.commit()
    return {NONE: {}, REVOKED: {"Authorization": f"Bearer {revoked_plain}"}, COOKIE: {},
            PROVINCE: {"Authorization": f"Bearer {province_token}"}, UNIT: {"Authorization": f"Bearer {unit_token}"},
            CHECKER: {"Authorization": f"Bearer {checker}"}}


def test_token_matrix(app, client, login, world, tokens):
    failures = []
    for kind in (NONE, REVOKED, PROVINCE, UNIT, CHECKER, COOKIE):
        if kind == COOKIE:
            login(world["admin"])  # a logged-in admin's session is no API credential
        for endpoint, rows in TOKEN_MATRIX.items():
            for template, expected in rows:
                url = template.format(**world["values"])
                problem = _check(client.get(url, headers=tokens[kind]), expected.get(kind, DENIED))
                if problem:
                    failures.append(f"{kind} token, {endpoint} {url}: {problem}")
        for endpoint, post_rows in TOKEN_POST_MATRIX.items():
            for url, body, expected in post_rows:
                problem = _check(client.post(url, json=body, headers=tokens[kind]), expected[kind])
                if problem:
                    failures.append(f"{kind} token, POST {endpoint} {url}: {problem}")
    assert failures == []


# PAR evidence per person, for every role and a unit head of an office (STP-2) inside the department (STP):
# the department's totals (page, PDF) are theirs to see, its per-person workbook is not.
# path → expected per role: a status, or (status, text present[, text absent]).
EVIDENCE_PAGE_LINK = "minh-chung.xlsx"
PAR_EVIDENCE_MATRIX: list[tuple[str, str, dict]] = [
    ("GET", "/cchc/{period}/don-vi/{unit_in}",
     allow(HEAD, HR, HR_SUB, PAR, ADMIN, code=(OK, EVIDENCE_PAGE_LINK))
     | {HEAD_OFFICE: (OK, "Sở Tư pháp", EVIDENCE_PAGE_LINK)}),
    ("POST", "/cchc/{period}/don-vi/{unit_in}/minh-chung.xlsx",
     allow(HEAD, HR, HR_SUB, PAR, ADMIN) | {HEAD_OFFICE: DENIED}),
    ("GET", "/cchc/{period}/don-vi/{unit_in}/minh-chung.xlsx",
     allow(HEAD, HR, HR_SUB, PAR, ADMIN, code=(OK, "Mục đích")) | {HEAD_OFFICE: DENIED}),
    ("POST", "/cchc/{period}/don-vi/{unit_in}/minh-chung.pdf",
     allow(HEAD, HR, HR_SUB, PAR, ADMIN) | {HEAD_OFFICE: OK}),
    ("POST", "/cchc/{period}/don-vi/{unit_out}/minh-chung.xlsx", allow(HR, PAR, ADMIN) | {HEAD_OFFICE: DENIED}),
    ("POST", "/cchc/{period}/don-vi/{unit_out}/minh-chung.pdf", allow(HR, PAR, ADMIN) | {HEAD_OFFICE: DENIED}),
]


@pytest.mark.parametrize("role", sorted(ALL | {HEAD_OFFICE}))
def test_par_evidence_per_person(app, client, login, world, role):
    from openpyxl import load_workbook

    if role != ANON:
        login(world["accounts"][role])
    values, failures = world["values"], []
    for method, template, expected in PAR_EVIDENCE_MATRIX:
        url = template.format(**values)
        response = (client.get(url) if method == "GET" else
                    client.post(url, data=EXPORT_PURPOSE, content_type="multipart/form-data"))
        problem = _check(response, expected[role])
        if problem:
            failures.append(f"{method} {url}: {problem}")
        elif url.endswith(".xlsx") and method == "POST" and response.status_code == OK:
            book = load_workbook(io.BytesIO(response.data))
            names = {row[1] for row in book["TC 4.1"].iter_rows(min_row=2, values_only=True)}
            inside = "{unit_in}" in template
            if ("Lê Văn Trong" in names) != inside or ("Vũ Thị Ngoài" in names) == inside:
                failures.append(f"{method} {url}: person rows {sorted(names)}")
    assert failures == []
