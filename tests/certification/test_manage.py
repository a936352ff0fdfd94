"""Learners download their certificates; HR search, revoke, re-issue and export within scope."""

import io
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.certification.models import Certificate
from learning.extensions import db
from tests.factories import EXPORT_PURPOSE


def test_learner_sees_and_downloads_only_their_own(client, login, create_account, issue_certificate):
    mine = issue_certificate()
    account = create_account(person=mine.person)
    other = issue_certificate()
    login(account)
    page = client.get("/chung-nhan").text
    assert mine.serial in page and other.serial not in page
    pdf = client.get(f"/chung-nhan/{mine.serial}.pdf")
    assert pdf.status_code == 200 and pdf.data == mine.file.pdf
    assert client.get(f"/chung-nhan/{other.serial}.pdf").status_code == 403
    assert client.get("/chung-nhan/QN-1900-000001.pdf").status_code == 404


def test_empty_state_says_what_to_do(client, login, create_account):
    login(create_account())
    assert "Bạn chưa có chứng nhận nào" in client.get("/chung-nhan").text


def test_hr_in_a_subtree_sees_only_their_units(client, login, create_account, create_unit, create_person,
                                              province, issue_certificate):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    other = create_unit("Sở Y tế", parent=province, code="SYT")
    inside = issue_certificate(create_person("Lê Văn Tâm", unit=dept))
    outside = issue_certificate(create_person("Vũ Thị Hoa", unit=other))
    login(create_account((Role.HR, dept)))
    page = client.get("/quan-ly/chung-nhan").text
    assert inside.serial in page and outside.serial not in page
    assert client.get(f"/quan-ly/chung-nhan/{outside.id}").status_code == 403
    assert client.get(f"/chung-nhan/{outside.serial}.pdf").status_code == 403


def test_filters_by_status_and_course(client, login, create_account, issue_certificate, create_course_version):
    kept = issue_certificate()
    revoked = issue_certificate(version=create_course_version(code="ai", title="AI có trách nhiệm"))
    revoked.revoke("Sai thông tin", None)
    db.session.commit()
    login(create_account((Role.HR, None)))
    page = client.get("/quan-ly/chung-nhan?trang-thai=revoked").text
    assert revoked.serial in page and kept.serial not in page
    page = client.get("/quan-ly/chung-nhan?khoa-hoc=ai").text
    assert revoked.serial in page and kept.serial not in page


def test_revoke_needs_a_reason_and_is_audited(client, login, create_account, issue_certificate):
    cert = issue_certificate()
    login(create_account((Role.HR, None)))
    missing = client.post(f"/quan-ly/chung-nhan/{cert.id}", data={"reason": ""})
    assert missing.status_code == 400 and "Hãy ghi lý do thu hồi" in missing.text
    client.post(f"/quan-ly/chung-nhan/{cert.id}", data={"reason": "Cấp nhầm người"})
    db.session.expire_all()
    assert db.session.get(Certificate, cert.id).stored_status == "revoked"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.detail["reason"] == "Cấp nhầm người" and event.actor_id is not None


def test_reissue_after_name_correction_supersedes_the_old(client, login, create_account, issue_certificate):
    cert = issue_certificate()
    cert.person.given_name = "Tuyết Mai"
    db.session.commit()
    login(create_account((Role.HR, None)))
    response = client.post(f"/quan-ly/chung-nhan/{cert.id}/cap-lai", follow_redirects=True)
    assert "Đã cấp lại" in response.text
    db.session.expire_all()
    old = db.session.get(Certificate, cert.id)
    new = db.session.get(Certificate, old.superseded_by_id)
    assert old.stored_status == "superseded" and new.person_name == "Nguyễn Thị Ánh Tuyết Mai"
    assert new.valid_until == old.valid_until and new.serial != old.serial
    assert "Đã được thay thế" in client.get(f"/xac-thuc/{old.code}").text


def test_bulk_export_job_makes_a_zip_with_pdfs_and_a_list(app, client, login, create_account, issue_certificate,
                                                         tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODE", "sync")
    monkeypatch.setitem(app.config, "STORAGE_DIR", tmp_path)
    certs = [issue_certificate() for _ in range(3)]
    certs[0].person_name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    login(create_account((Role.HR, None)))
    response = client.post("/quan-ly/chung-nhan/xuat", data=EXPORT_PURPOSE)
    assert response.status_code == 302
    job_page = client.get(response.location)
    assert "Đã xong: 3 chứng nhận" in job_page.text
    download = client.get(response.location + "/tai-ve")
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert sorted(archive.namelist()) == sorted([f"{c.serial}.pdf" for c in certs] + ["danh-sach-chung-nhan.xlsx"])
    sheet = load_workbook(io.BytesIO(archive.read("danh-sach-chung-nhan.xlsx"))).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].value == "Số hiệu"
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    formula_like = [c for c in cells if c.value == "=HYPERLINK(\"http://x\")"]
    assert len(formula_like) == 1 and formula_like[0].data_type == "s"


def test_someone_elses_job_is_forbidden(app, client, login, create_account, monkeypatch, tmp_path):
    from learning.certification.models import Job

    owner = create_account((Role.HR, None))
    job = Job(kind="certificates.export", params={}, created_by_id=owner.id)
    db.session.add(job)
    db.session.commit()
    login(create_account((Role.HR, None)))
    assert client.get(f"/cong-viec/{job.id}").status_code == 403


def test_cli_list_export_and_revoke(app, issue_certificate, tmp_path):
    cert = issue_certificate()
    serial, code = cert.serial, cert.code
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["certificates", "list", "--json"])
    import json

    rows = json.loads(listed.output)
    assert rows[0]["serial"] == serial and rows[0]["code"] == code and rows[0]["status"] == "valid"
    out = tmp_path / "cn.zip"
    exported = runner.invoke(args=["certificates", "export", "--out", str(out), "--purpose", "Lưu hồ sơ đơn vị"])
    assert exported.exit_code == 0, exported.output
    assert f"{serial}.pdf" in zipfile.ZipFile(out).namelist()
    revoked = runner.invoke(args=["certificates", "revoke", serial, "--reason", "Thi hộ"])
    assert revoked.exit_code == 0, revoked.output
    again = runner.invoke(args=["certificates", "revoke", serial, "--reason", "Thi hộ"])
    assert again.exit_code == 1 and "đã ở trạng thái revoked" in again.output
