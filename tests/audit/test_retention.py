"""Retention: an admin sets how long audit events and quiz answers are kept; the purge applies it and
keeps what certificates and PAR snapshots rest on."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from learning.assessment.models import Attempt
from learning.assignments import services as assignment_services
from learning.audit import retention
from learning.audit.models import AuditEvent, RetentionPolicy
from learning.auth.models import Role
from learning.catalog.models import Completion
from learning.certification.models import Certificate
from learning.core.dates import utcnow
from learning.extensions import db
from learning.jobs import TASKS
from learning.par import services as par_services
from learning.par.models import Snapshot
from tests.factories import PASSWORD


def test_admin_sets_the_periods_with_validation(client, login, create_account):
    login(create_account((Role.ADMIN, None)))
    page = client.get("/quan-tri/luu-tru-du-lieu")
    assert page.status_code == 200 and 'value="36"' in page.text and 'value="24"' in page.text
    too_short = client.post("/quan-tri/luu-tru-du-lieu", data={"audit_months": "6", "attempt_months": "3"})
    assert too_short.status_code == 400
    assert "Từ 12 đến 240 tháng." in too_short.text and "Từ 6 đến 240 tháng." in too_short.text
    not_a_number = client.post("/quan-tri/luu-tru-du-lieu", data={"audit_months": "mười", "attempt_months": "12"})
    assert not_a_number.status_code == 400
    saved = client.post("/quan-tri/luu-tru-du-lieu", data={"audit_months": "18", "attempt_months": "12"},
                        follow_redirects=True)
    assert "Đã lưu thời hạn lưu trữ" in saved.text
    policy = retention.current_policy()
    assert (policy.audit_months, policy.attempt_months) == (18, 12)


def test_the_database_refuses_periods_below_the_minimum(app):
    db.session.add(RetentionPolicy(audit_months=3, attempt_months=12))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.fixture
def history(app, province, create_unit, create_person, create_account, create_course_version, create_completion):
    """Old and recent audit events and attempts; a certificate; a frozen PAR period."""
    now = utcnow()
    old = now - relativedelta(months=40)
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    person = create_person("Lê Văn An", unit=dept)
    version = create_course_version(code="ung-xu")
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2023, starts_on=date(2023, 1, 1), due_on=date(2023, 12, 31))

    def attempt(started, passed, submitted=True):
        row = Attempt(person_id=person.id, course_id=version.course_id, course_version_id=version.id, seed=1,
                      pages=[[1]], option_order={"1": ["a", "b"]}, answers={"1": {"options": ["a"], "at": "x"}},
                      started_at=started, submitted_at=started if submitted else None,
                      score=(100.0 if passed else 0.0) if submitted else None, passed=passed if submitted else None,
                      results={"q1": bool(passed)},
                      open_key=None if submitted else f"{person.id}:{version.course_id}")
        db.session.add(row)
        db.session.flush()
        return row

    rows = {"old_failed": attempt(old, False), "old_passed": attempt(old + relativedelta(days=1), True),
            "old_open": attempt(old, None, submitted=False), "recent": attempt(now, False)}
    completion = create_completion(person, version, score=100.0, completed_at=datetime(2023, 3, 1))
    completion.attempt_id = rows["old_passed"].id
    cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
    db.session.add_all([
        AuditEvent(at=old, action="auth.login", object_type="account", object_id="1", ip="10.0.0.1"),
        AuditEvent(at=old, action="certificate.revoked", object_type="certificate", object_id=str(cert.id),
                   ip="10.0.0.2", detail={"reason": "Thi hộ"}),
        AuditEvent(at=now, action="auth.login", object_type="account", object_id="1", ip="10.0.0.3"),
    ])
    snapshot = par_services.freeze(2023, None)
    db.session.commit()
    return {"attempts": {k: v.id for k, v in rows.items()}, "cert": cert, "snapshot": snapshot.id,
            "snapshot_data": snapshot.data, "old": old}


def _counts():
    return (db.session.scalar(select(func.count(AuditEvent.id))), db.session.scalar(select(func.count(Attempt.id))))


def test_a_dry_run_counts_and_changes_nothing(app, history):
    before = _counts()
    result = app.test_cli_runner().invoke(args=["retention", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Chạy thử (không xóa): 1 sự kiện nhật ký" in result.output
    assert "1 sự kiện minh chứng giữ lại" in result.output and "2 bài làm xóa hẳn, 1 bài làm xóa chi tiết" in result.output
    assert _counts() == before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged")) is None


def test_the_purge_deletes_old_data_and_keeps_certificate_and_par_evidence(app, client, history, create_account):
    result = app.test_cli_runner().invoke(args=["retention", "purge"])
    assert result.exit_code == 0, result.output
    ids = history["attempts"]
    assert db.session.get(Attempt, ids["old_failed"]) is None and db.session.get(Attempt, ids["old_open"]) is None
    kept = db.session.get(Attempt, ids["old_passed"])
    assert (kept.score, kept.passed, kept.submitted_at is not None) == (100.0, True, True)
    assert (kept.pages, kept.answers, kept.option_order, kept.results) == ([], {}, {}, {})
    assert kept.details_purged_at is not None
    recent = db.session.get(Attempt, ids["recent"])
    assert recent.answers and recent.details_purged_at is None
    actions = [(e.action, e.ip) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert ("certificate.revoked", "") in actions and ("auth.login", "10.0.0.3") in actions
    assert ("auth.login", "10.0.0.1") not in actions
    purged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purged"))
    assert purged.detail | {"audit_cutoff": None, "attempt_cutoff": None} == {
        "via": "cli", "audit_cutoff": None, "attempt_cutoff": None, "audit_deleted": 1, "audit_anonymised": 1,
        "attempts_deleted": 2, "attempts_stripped": 1, "imports_deleted": 0}
    # The evidence still stands: the certificate verifies, the completion and the frozen PAR table are unchanged.
    assert client.get(f"/xac-thuc/{history['cert'].code}").status_code == 200
    assert db.session.scalar(select(Completion.score)) == 100.0
    assert db.session.get(Snapshot, history["snapshot"]).data == history["snapshot_data"]
    # The learner's result page says the details are gone instead of breaking.
    account = create_account(person=db.session.get(Certificate, history["cert"].id).person)
    client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD})
    page = client.get(f"/bai-lam/{ids['old_passed']}/ket-qua")
    assert page.status_code == 200 and "đã được xóa" in page.text
    # A second run has nothing left to do.
    again = retention.purge()
    assert (again.audit_deleted, again.attempts_deleted, again.attempts_stripped) == (0, 0, 0)


def test_a_longer_period_keeps_more(app, history, create_account):
    retention.change_policy(60, 60, by=create_account((Role.ADMIN, None)))
    report = retention.purge()
    assert (report.audit_deleted, report.attempts_deleted, report.attempts_stripped) == (0, 0, 0)


def test_the_purge_runs_nightly_from_celery_beat(app):
    from learning import celery_app  # builds its own app from the environment, like the beat process

    assert TASKS["retention.purge"] is retention.scheduled_purge
    entry = celery_app.celery.conf.beat_schedule["retention-purge-nightly"]
    assert entry["task"] == "learning.run_task" and entry["args"] == ("retention.purge", {})
