"""A learner sees everything the platform holds about them, and nothing about anybody else."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from learning.assessment.models import Attempt
from learning.assignments import services as assignment_services
from learning.assignments.models import ReminderLog
from learning.auth.models import Role
from learning.catalog.models import LessonProgress
from learning.certification.models import Certificate
from learning.certification.tasks import ensure_pdf
from learning.core.dates import utcnow
from learning.extensions import db


def test_my_data_covers_person_account_grants_learning_certificates_and_events_about_me(
        client, login, create_account, create_unit, province, create_course_version, create_completion):
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    me = create_account((Role.UNIT_HEAD, dept), full_name="Đào Thị Mận", unit=dept, email="man@tinh.gov.vn",
                        birth_date=date(1990, 5, 4), position="Chuyên viên")
    other = create_account(full_name="Hà Văn Khác", unit=dept, email="khac@tinh.gov.vn")
    version = create_course_version(code="ung-xu")
    assignment = assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id,
                                            categories=[], positions=[], period=2026, starts_on=date(2026, 1, 1),
                                            due_on=date(2026, 12, 31))
    attempt = Attempt(person_id=me.person_id, course_id=version.course_id, course_version_id=version.id, seed=1,
                      pages=[[1, 2]], option_order={}, answers={"1": {"options": ["a"], "at": "x"}},
                      started_at=utcnow(), submitted_at=utcnow(), score=90.0, passed=True, results={})
    db.session.add_all([attempt, LessonProgress(person_id=me.person_id, course_id=version.course_id,
                                                lesson_slug="01-bai"),
                        ReminderLog(day=date(2026, 3, 1), kind="due_soon", person_id=me.person_id,
                                    assignment_id=assignment.id)])
    db.session.flush()
    certs = {}
    for key, account in (("mine", me), ("theirs", other)):
        completion = create_completion(account.person, version, completed_at=datetime(2026, 2, 1))
        certs[key] = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
        ensure_pdf(certs[key])
    db.session.commit()
    hr = create_account((Role.HR, None), full_name="Phạm Thị Tổ Chức")
    login(hr)
    client.post(f"/quan-ly/chung-nhan/{certs['mine'].id}", data={"reason": "Sai họ tên trên chứng nhận"})
    client.post("/dang-xuat")
    login(me)

    page = client.get("/du-lieu-cua-toi").text
    for text in ("Mận", "man@tinh.gov.vn", "Chuyên viên", "Thủ trưởng đơn vị", "Sở Tư pháp", "ung-xu",
                 certs["mine"].serial, "Sai họ tên trên chứng nhận", "due_soon", "Phạm Thị Tổ Chức",
                 "Thu hồi chứng nhận"):  # the event by its label (the JSON keeps the code)
        assert text in page, text
    data = json.loads(client.get("/du-lieu-cua-toi.json").data)
    assert set(data) == {"person", "account", "grants", "lessons_read", "lessons_opened", "attempts", "completions",
                         "certificates", "reminders", "activity"}
    assert data["person"]["birth_date"] == "1990-05-04" and data["person"]["unit_code"] == "STP"
    assert data["account"]["last_login_at"] and data["grants"] == [
        {"role": "Thủ trưởng đơn vị", "scope": "Sở Tư pháp", "granted_at": data["grants"][0]["granted_at"]}]
    assert data["lessons_read"][0]["lesson"] == "01-bai"
    assert data["attempts"][0] | {"started_at": None, "submitted_at": None} == {
        "course": "ung-xu", "course_version_id": version.id, "started_at": None, "submitted_at": None,
        "submit_reason": None, "questions": 2, "answered": 1, "answers": {"1": ["a"]}, "score": 90.0,
        "passed": True, "details_purged_at": None}
    assert [c["serial"] for c in data["certificates"]] == [certs["mine"].serial]
    assert data["certificates"][0]["status"] == "revoked"
    assert data["reminders"] == [{"day": "2026-03-01", "kind": "due_soon", "course": "ung-xu",
                                  "sent_at": data["reminders"][0]["sent_at"]}]
    revoked = next(e for e in data["activity"] if e["action"] == "certificate.revoked")
    assert revoked["by"] == "Phạm Thị Tổ Chức" and revoked["object"] == f"certificate:{certs['mine'].id}"
    # The address HR acted from is HR's personal data, not the learner's; the learner's own log-in shows theirs.
    assert revoked["ip"] is None
    assert next(e for e in data["activity"] if e["action"] == "auth.login")["ip"]
    assert "(UTC)" not in page and " ngày " in page  # times in local time, "00:10 ngày 03/12/2026"
    assert {"auth.login", "personal_data.self_export"} <= {e["action"] for e in data["activity"]}
    body = json.dumps(data, ensure_ascii=False)
    assert certs["theirs"].serial not in body and "khac@tinh.gov.vn" not in body and "Khác" not in body
