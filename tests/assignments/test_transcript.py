"""A person's transcript: statuses from the progress engine, own due dates, attempts, certificates and
exemptions; "remind now" sends one mail a day; the PDF; who sees which actions."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from learning.assignments import exemptions
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db
from learning.notify.models import ReminderLog


@pytest.fixture
def people(org, create_person, create_account, create_assignment, create_course_version, create_completion):
    today = local_today()
    late_course = create_course_version(title="Ứng xử trên mạng")
    done_course = create_course_version(title="AI có trách nhiệm")
    late_a = create_assignment(org["province"], late_course, period=today.year,
                               starts_on=today - timedelta(days=60), due_on=today - timedelta(days=3))
    done_a = create_assignment(org["province"], done_course, period=today.year,
                               starts_on=today - timedelta(days=60), due_on=today + timedelta(days=30))
    learner = create_account(full_name="Nguyễn Thị Hạnh", unit=org["office"], email="hanh@tinh.gov.vn")
    create_completion(learner.person, done_course, score=93.3,
                      completed_at=datetime.combine(today - timedelta(days=5), datetime.min.time()))
    head = create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Đức", unit=org["dept"])
    other_head = create_account((Role.UNIT_HEAD, org["other"]), full_name="Lê Văn Y", unit=org["other"])
    hr = create_account((Role.HR, None), full_name="Hoàng Thị Nhân")
    db.session.commit()
    return {"learner": learner, "head": head, "other_head": other_head, "hr": hr, "late": late_a, "done": done_a}


def test_the_transcript_shows_statuses_scores_certificates_and_the_actions_of_the_viewer(app, client, login, people):
    person = people["learner"].person
    exemptions.submit(person, people["late"], kind="extend", reason="long_sick", by=people["head"],
                      new_due_on=local_today() + timedelta(days=40))
    db.session.commit()
    login(people["head"])
    page = client.get(f"/can-bo/{person.id}/ho-so-hoc-tap").text
    assert "Ứng xử trên mạng" in page and "Quá hạn" in page and "Gia hạn: chờ duyệt" in page
    assert "AI có trách nhiệm" in page and "Đã đạt" in page and "93" in page
    assert "QN-" in page  # the certificate issued for the completion
    assert "Nhắc ngay" in page and "Rút" in page and "Duyệt</a>" not in page  # heads ask, HR decides
    client.post("/dang-xuat")
    login(people["learner"])
    own = client.get(f"/can-bo/{person.id}/ho-so-hoc-tap").text
    assert "Ứng xử trên mạng" in own and "Nhắc ngay" not in own and "ngoai-le" not in own
    assert client.post(f"/can-bo/{person.id}/nhac-viec").status_code == 403


def test_a_head_of_another_unit_sees_no_transcript(app, client, login, people):
    login(people["other_head"])
    person = people["learner"].person
    assert client.get(f"/can-bo/{person.id}/ho-so-hoc-tap").status_code == 403
    assert client.get(f"/can-bo/{person.id}/ho-so-hoc-tap.pdf").status_code == 403
    assert client.post(f"/can-bo/{person.id}/nhac-viec").status_code == 403


def test_remind_now_sends_one_mail_a_day_listing_what_is_left(app, client, login, people, smtp, outbox_log):
    login(people["head"])
    person = people["learner"].person
    first = client.post(f"/can-bo/{person.id}/nhac-viec", follow_redirects=True)
    assert "Đã gửi thư nhắc tới hanh@tinh.gov.vn" in first.text
    assert len(smtp.messages) == 1 and outbox_log == ["hanh@tinh.gov.vn"]  # through notify.mail
    body = smtp.messages[0].get_payload(decode=True).decode("utf-8")
    assert "Ứng xử trên mạng: quá hạn, đã quá hạn từ" in body and "AI có trách nhiệm" not in body
    second = client.post(f"/can-bo/{person.id}/nhac-viec", follow_redirects=True)
    assert "Hôm nay đã nhắc người này rồi" in second.text and len(smtp.messages) == 1
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "reminder.sent_now")) == 1


def test_remind_now_without_a_mail_server_says_so_and_logs_nothing(app, client, login, people):
    login(people["hr"])
    person = people["learner"].person
    response = client.post(f"/can-bo/{person.id}/nhac-viec", follow_redirects=True)
    assert "Chưa cấu hình máy chủ thư" in response.text
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 0


def test_the_transcript_pdf_and_the_links_to_it(app, client, login, people):
    login(people["hr"])
    person = people["learner"].person
    response = client.get(f"/can-bo/{person.id}/ho-so-hoc-tap.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert f"ho-so-hoc-tap-{person.employee_code}.pdf" in response.headers["Content-Disposition"]
    assert f"/can-bo/{person.id}/ho-so-hoc-tap" in client.get(f"/can-bo/{person.id}").text
    late = client.get(f"/tuan-thu/can-bo?don-vi={people['late'].unit_id}&trang-thai=overdue").text
    assert f'href="/can-bo/{person.id}/ho-so-hoc-tap"' in late


def test_the_requester_withdraws_their_waiting_request(app, client, login, people):
    person = people["learner"].person
    row = exemptions.submit(person, people["late"], kind="exempt", reason="maternity", by=people["head"])
    db.session.commit()
    login(people["head"])
    assert client.post(f"/ngoai-le/{row.id}/rut").status_code == 302
    db.session.expire_all()
    assert row.status == "withdrawn"
