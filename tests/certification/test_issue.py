import threading
from datetime import datetime

from sqlalchemy import func, select

from learning.audit.models import AuditEvent
from learning.catalog.models import Completion
from learning.certification import services, tasks
from learning.certification.models import Certificate, CertificateFile
from learning.certification.settings import issue_settings
from learning.extensions import db


def test_completion_issues_a_certificate_with_a_snapshot(app, create_person, create_unit, province,
                                                       create_completion):
    ward = create_unit("Phường Bãi Cháy", parent=province, kind="xa_phuong")
    person = create_person("Trần Thị Hồng Nhung", unit=ward)
    completion = create_completion(person, score=93.3, completed_at=datetime(2026, 3, 10, 2, 0))
    cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
    assert cert.serial == "QN-2026-000001"
    assert (cert.person_name, cert.unit_name, cert.score) == ("Trần Thị Hồng Nhung", "UBND phường Bãi Cháy",
                                                                  93.3)
    assert cert.valid_until.isoformat() == "2027-03-09"  # 12 months by default, the day before 10/03/2027
    assert len(cert.code) == 16 and cert.code.isalnum()
    person.given_name = "Nhung2"
    ward.name = "Phường mới"
    db.session.flush()
    db.session.refresh(cert)
    assert cert.person_name == "Trần Thị Hồng Nhung" and cert.unit_name == "UBND phường Bãi Cháy"


def test_the_printed_unit_of_an_office_names_its_department(app, create_person, create_unit, province,
                                                           create_completion):
    justice = create_unit("Sở Tư pháp", parent=province, kind="so_nganh")
    office = create_unit("Văn phòng Sở", parent=justice)
    centre = create_unit("Trung tâm Trợ giúp pháp lý nhà nước", parent=justice, kind="don_vi_su_nghiep")
    named = create_unit("Văn phòng Sở Tư pháp", parent=justice)
    college = create_unit("Trường Cao đẳng Y tế", parent=province, kind="don_vi_su_nghiep")
    printed = []
    for unit in (office, centre, named, college, justice):
        completion = create_completion(create_person(unit=unit))
        printed.append(db.session.scalar(select(Certificate.unit_name).where(Certificate.completion_id == completion.id)))
    assert printed == ["Văn phòng Sở, Sở Tư pháp", "Trung tâm Trợ giúp pháp lý nhà nước, Sở Tư pháp",
                       "Văn phòng Sở Tư pháp", "Trường Cao đẳng Y tế", "Sở Tư pháp"]


def test_pdf_is_rendered_in_the_background_after_commit_and_its_hash_stored(
        app, create_person, create_completion):
    create_completion(create_person())
    cert = db.session.scalar(select(Certificate))
    assert cert.file is None  # the request that completed the course does not render
    db.session.commit()  # … the sweep queued for after the commit does
    db.session.refresh(cert)
    assert cert.file.pdf.startswith(b"%PDF-")
    assert cert.pdf_sha256 == services.sha256(cert.file.pdf)
    assert tasks.render_missing() == 0


def test_serials_are_consecutive_per_year_and_prefix(app, create_person, create_completion):
    people = [create_person() for _ in range(3)]
    serials = [db.session.scalar(select(Certificate.serial).where(
        Certificate.completion_id == create_completion(p, completed_at=datetime(2025, 5, 1)).id))
        for p in people]
    later = create_completion(people[0], completed_at=datetime(2026, 1, 2))
    assert serials == ["QN-2025-000001", "QN-2025-000002", "QN-2025-000003"]
    assert db.session.scalar(select(Certificate.serial).where(Certificate.completion_id == later.id)) == "QN-2026-000001"


def test_concurrent_issues_get_distinct_gap_free_serials(app, backend, create_person, create_course_version):
    version = create_course_version()
    people = [create_person() for _ in range(8)]
    completions = []
    for person in people:
        completion = Completion(person_id=person.id, course_id=version.course_id,
                                course_version_id=version.id, score=90)
        db.session.add(completion)
        completions.append(completion)
    db.session.commit()
    ids = [c.id for c in completions]
    errors = []

    def worker(completion_id: int) -> None:
        with backend.app_context():
            try:
                completion = db.session.get(Completion, completion_id)
                services.issue(completion, issue_settings(), render=False)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(db.session.scalars(select(Certificate.serial)))
    year = serials[0].split("-")[1]
    assert serials == [f"QN-{year}-{n:06d}" for n in range(1, 9)]


def test_a_rolled_back_issue_leaves_no_gap(app, create_person, create_course_version):
    version = create_course_version()
    person = create_person()
    completion = Completion(person_id=person.id, course_id=version.course_id,
                            course_version_id=version.id, score=90)
    db.session.add(completion)
    db.session.commit()
    services.issue(completion, issue_settings(), render=False)
    db.session.rollback()
    cert = services.issue(db.session.get(Completion, completion.id), issue_settings(), render=False)
    assert cert.serial.endswith("-000001")


def test_issue_is_audited(app, create_person, create_completion):
    create_completion(create_person())
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "certificate.issued")) == 1
    assert db.session.scalar(select(func.count(CertificateFile.certificate_id))) == 0
