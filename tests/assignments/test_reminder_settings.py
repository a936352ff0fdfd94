"""Reminder settings per assignment: on the create page (with sensible defaults) and on their own edit page."""

from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db

BASE = {"unit_code": "STP", "period": 2026, "starts_on": "2026-01-01", "due_on": "2026-06-30"}


def test_the_create_page_shows_the_defaults_and_saves_the_settings(client, login, create_account, org,
                                                                    create_course_version):
    version = create_course_version()
    login(create_account(Role.HR))
    page = client.get("/giao-hoc/moi").text
    assert 'name="remind_days_before" type="text" value="7"' in page and 'name="escalate_hr_days"' in page
    form = {**BASE, "course_id": version.course_id, "remind_days_before": "1, 7, 14", "remind_every_days": "3",
            "remind_max_after": "2", "escalate_head_days": "5", "escalate_hr_days": ""}
    assert client.post("/giao-hoc/moi", data=form).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert (assignment.remind_days_before, assignment.remind_on_due, assignment.remind_every_days,
            assignment.remind_max_after, assignment.escalate_head_days, assignment.escalate_hr_days) == \
        ([14, 7, 1], False, 3, 2, 5, 0)


def test_bad_settings_say_what_to_fix_and_save_nothing(client, login, create_account, org, create_course_version):
    version = create_course_version()
    login(create_account(Role.HR))
    for field, value, message in (("remind_days_before", "7, một", "ví dụ: 7, 1"),
                                  ("remind_days_before", "400", "ví dụ: 7, 1"),
                                  ("escalate_hr_days", "3", "cùng lúc hoặc sau khi báo thủ trưởng"),
                                  ("remind_max_after", "", "số lần nhắc tối đa sau hạn"),
                                  ("remind_every_days", "-1", "Từ 0 đến 365 ngày.")):
        response = client.post("/giao-hoc/moi", data={**BASE, "course_id": version.course_id, field: value})
        assert response.status_code == 400 and message in response.text, (field, value)
    assert db.session.scalar(select(Assignment)) is None


def test_hr_changes_the_settings_of_an_assignment_and_it_is_audited(client, login, create_account, org,
                                                                     create_assignment):
    assignment = create_assignment(org["dept"])
    db.session.commit()
    assert (assignment.remind_days_before, assignment.remind_on_due, assignment.remind_every_days,
            assignment.remind_max_after, assignment.escalate_head_days, assignment.escalate_hr_days) == \
        ([7], True, 7, 4, 7, 21)
    login(create_account((Role.HR, org["dept"])))
    page = client.get(f"/giao-hoc/{assignment.id}/nhac-viec").text
    assert 'value="7"' in page and 'value="21"' in page
    response = client.post(f"/giao-hoc/{assignment.id}/nhac-viec", data={
        "remind_days_before": "3", "remind_on_due": "y", "remind_every_days": "0", "remind_max_after": "0",
        "escalate_head_days": "10", "escalate_hr_days": "30"})
    assert response.status_code == 302
    db.session.refresh(assignment)
    assert (assignment.remind_days_before, assignment.remind_every_days, assignment.escalate_hr_days) == ([3], 0, 30)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.reminders_changed"))
    assert event.detail["before"]["escalate_hr_days"] == 21 and event.detail["after"]["escalate_hr_days"] == 30


def test_settings_outside_ones_subtree_are_refused(client, login, create_account, org, create_assignment):
    assignment = create_assignment(org["other"])
    db.session.commit()
    login(create_account((Role.HR, org["dept"])))
    assert client.get(f"/giao-hoc/{assignment.id}/nhac-viec").status_code == 403
    assert client.post(f"/giao-hoc/{assignment.id}/nhac-viec", data={"remind_every_days": "1"}).status_code == 403
