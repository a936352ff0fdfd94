"""Reminders go out once a day over real SMTP (a local aiosmtpd server)."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest

from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db


@pytest.fixture
def late_and_soon(org, create_person, create_assignment, create_course_version):
    today = local_today()
    overdue = create_assignment(org["dept"], create_course_version(title="Ứng xử trên mạng"),
                                period=today.year, starts_on=today - timedelta(days=60), due_on=today - timedelta(days=3))
    soon = create_assignment(org["dept"], create_course_version(title="AI có trách nhiệm"),
                             period=today.year, starts_on=today - timedelta(days=30), due_on=today + timedelta(days=5))
    learner = create_person("Nguyễn Thị Hạnh", unit=org["office"], email="hanh@tinh.gov.vn")
    create_person("Không Có Thư", unit=org["office"])
    db.session.commit()
    return overdue, soon, learner


def test_learners_and_heads_get_one_mail_a_day(app, smtp, org, late_and_soon, create_account):
    create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Đức", email="duc@tinh.gov.vn")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "Đã gửi 2 thư" in first.output
    by_to = {m["To"]: m for m in smtp.messages}
    learner_body = by_to["hanh@tinh.gov.vn"].get_payload(decode=True).decode("utf-8")
    assert "Ứng xử trên mạng: đã quá hạn" in learner_body and "AI có trách nhiệm: hạn hoàn thành" in learner_body
    subject = str(make_header(decode_header(by_to["hanh@tinh.gov.vn"]["Subject"])))
    assert subject.startswith("Quá hạn")
    digest = by_to["duc@tinh.gov.vn"].get_payload(decode=True).decode("utf-8")
    assert "Nguyễn Thị Hạnh (Phòng Hành chính tư pháp)" in digest
    second = runner.invoke(args=["reminders", "send"])
    assert "Đã gửi 0 thư" in second.output and len(smtp.messages) == 2


def test_dry_run_sends_nothing(app, smtp, late_and_soon):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--dry-run"])
    assert "hanh@tinh.gov.vn" in result.output and "chạy thử" in result.output
    assert smtp.messages == []


def test_mail_off_by_default_says_how_to_check(app, late_and_soon):
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 1 and "MAIL_SERVER" in result.output


def test_learner_home_shows_the_notice(client, login, create_account, late_and_soon):
    _, _, learner = late_and_soon
    login(create_account(person=learner))
    home = client.get("/").text
    assert "Việc cần làm" in home and "Quá hạn:" in home and "AI có trách nhiệm" in home
