"""Reminders and escalation: the schedule of each assignment from each person's own due date, one digest a day
over real SMTP (a local aiosmtpd server), in-app notices beside the mail."""

from datetime import date, timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select

from learning.assignments import reminder_mail, reminders
from learning.assignments.models import Exemption, ExemptionKind, ExemptionStatus
from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db
from learning.notify import mail
from learning.notify.models import Notice, ReminderLog

DUE = date(2026, 6, 30)  # the factory's due date; starts 01/01/2026


def kinds(day):
    """{recipient's name: sorted kinds of everything they would be told on ``day``}."""
    return {d.recipient.full_name: sorted(i.kind for i in d.items) for d in reminders.plan(day)}


def deliver(app, day):
    settings = mail.MailSettings(app.config["MAIL_SERVER"], app.config["MAIL_PORT"], "elearning@tinh.vn",
                                "http://hoc.test")
    outcome = reminder_mail.deliver(reminders.plan(day), settings, day)
    db.session.commit()
    return outcome


def body(message):
    return message.get_payload(decode=True).decode("utf-8")


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


@pytest.fixture
def learner(org, create_person):
    return create_person("Nguyễn Thị Hạnh", unit=org["office"], email="hanh@tinh.gov.vn")


def test_the_default_schedule_is_a_week_before_on_the_day_and_weekly_after_four_times(app, org, learner,
                                                                                       create_assignment):
    create_assignment(org["dept"])
    db.session.commit()
    for offset, expected in ((-8, []), (-7, ["before"]), (-1, []), (0, ["due"]), (3, []), (7, ["after"]),
                             (14, ["after"]), (28, ["after"]), (35, [])):
        assert kinds(DUE + timedelta(days=offset)).get("Nguyễn Thị Hạnh", []) == expected, offset


def test_a_custom_schedule_is_followed(app, org, learner, create_assignment):
    assignment = create_assignment(org["dept"])
    assignment.remind_days_before, assignment.remind_on_due = [10, 1], False
    assignment.remind_every_days, assignment.remind_max_after = 3, 2
    db.session.commit()
    told = [offset for offset in range(-12, 12) if kinds(DUE + timedelta(days=offset))]
    assert told == [-10, -1, 3, 6]


def test_each_person_is_reminded_by_their_own_due_date(app, org, learner, create_person, create_assignment):
    assignment = create_assignment(org["dept"])
    assignment.joiner_days = 30
    create_person("Trần Thị Bình", unit=org["office"], joined_on=date(2026, 6, 20))  # own due 20/07/2026
    extended = create_person("Lê Văn Cường", unit=org["office"])
    db.session.add(Exemption(person_id=extended.id, assignment_id=assignment.id, kind=ExemptionKind.EXTEND.value,
                             reason="long_sick", new_due_on=date(2026, 8, 31), status=ExemptionStatus.APPROVED.value))
    db.session.commit()
    assert kinds(DUE) == {"Nguyễn Thị Hạnh": ["due"]}
    assert kinds(date(2026, 7, 13)) == {"Trần Thị Bình": ["before"]}
    assert kinds(date(2026, 8, 31)) == {"Lê Văn Cường": ["due"]}


def test_exempt_passed_and_leavers_get_nothing(app, org, learner, create_person, create_assignment,
                                               create_completion, create_course_version, create_account):
    version = create_course_version()
    assignment = create_assignment(org["dept"], version)
    create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Đức")
    exempt = create_person("Trần Thị Bình", unit=org["office"])
    db.session.add(Exemption(person_id=exempt.id, assignment_id=assignment.id, kind=ExemptionKind.EXEMPT.value,
                             reason="maternity", status=ExemptionStatus.APPROVED.value))
    create_person("Lê Văn Cường", unit=org["office"], left_on=date(2026, 7, 1), active=False)
    create_person("Vũ Văn Dũng", unit=org["office"], left_on=date(2026, 7, 5))  # leaving, not yet inactive
    passed = create_person("Hoàng Văn Em", unit=org["office"])
    create_completion(passed, version)
    db.session.commit()
    day = DUE + timedelta(days=7)
    assert kinds(day) == {"Nguyễn Thị Hạnh": ["after"], "Phạm Minh Đức": ["head"]}
    [head] = [d for d in reminders.plan(day) if d.escalations]
    assert [i.person.full_name for i in head.escalations["head"]] == ["Nguyễn Thị Hạnh"]


def test_escalation_goes_to_the_unit_head_then_to_hr_of_the_parent_unit(app, org, learner, create_assignment,
                                                                        create_account):
    create_assignment(org["dept"])
    create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Đức")
    create_account((Role.UNIT_HEAD, org["other"]), full_name="Đỗ Văn Khác")
    create_account((Role.HR, org["dept"]), full_name="Lý Thị Tổ")
    create_account((Role.HR, None), full_name="Sở Nội Vụ")
    db.session.commit()
    assert kinds(DUE + timedelta(days=6)) == {}
    assert kinds(DUE + timedelta(days=7)) == {"Nguyễn Thị Hạnh": ["after"], "Phạm Minh Đức": ["head"]}
    # The office's parent is Sở Tư pháp: its HR, not the province's, hears at 21 days.
    assert kinds(DUE + timedelta(days=21)) == {"Nguyễn Thị Hạnh": ["after"], "Phạm Minh Đức": ["head"],
                                               "Lý Thị Tổ": ["hr"]}


def test_an_escalation_is_made_up_once_and_not_repeated(app, smtp, outbox_log, org, learner, create_assignment,
                                                         create_account):
    create_assignment(org["dept"])
    create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Đức",
                   email="duc@tinh.gov.vn")
    db.session.commit()
    deliver(app, DUE + timedelta(days=9))  # the job did not run on day 7: the escalation comes now
    assert [m["To"] for m in smtp.messages] == ["duc@tinh.gov.vn"] == outbox_log  # through notify.mail
    assert "Nguyễn Thị Hạnh (Phòng Hành chính tư pháp) — " in body(smtp.messages[0])
    assert kinds(DUE + timedelta(days=10)) == {}
    assert kinds(DUE + timedelta(days=14)) == {"Nguyễn Thị Hạnh": ["after"]}


def test_one_mail_a_day_combines_everything_and_a_second_run_sends_nothing(app, smtp, outbox_log, org, learner,
                                                                            create_account,
                                                                            create_assignment, create_course_version):
    create_assignment(org["dept"], create_course_version(title="Ứng xử trên mạng"))
    create_assignment(org["dept"], create_course_version(title="AI có trách nhiệm"), due_on=DUE + timedelta(days=14))
    create_account((Role.UNIT_HEAD, org["office"]), person=learner)  # she heads her own office…
    create_account(full_name="Trần Văn Bảo", unit=org["office"], email="bao@tinh.gov.vn")
    db.session.commit()
    day = DUE + timedelta(days=7)
    outcome = deliver(app, day)
    by_to = {m["To"]: m for m in smtp.messages}
    assert sorted(by_to) == ["bao@tinh.gov.vn", "hanh@tinh.gov.vn"] == sorted(outbox_log) and outcome.mails == 2
    mail = body(by_to["hanh@tinh.gov.vn"])
    assert "Ứng xử trên mạng: đã quá hạn từ 30/06/2026 (7 ngày)." in mail
    assert "AI có trách nhiệm: hạn hoàn thành 14/07/2026 (còn 7 ngày)." in mail
    assert "Trần Văn Bảo (Phòng Hành chính tư pháp) — Ứng xử trên mạng: quá hạn 7 ngày" in mail
    assert "Nguyễn Thị Hạnh (" not in mail  # …and is not escalated to herself
    assert subject(by_to["hanh@tinh.gov.vn"]).startswith("Quá hạn")
    again = deliver(app, day)
    assert (again.mails, again.notices, len(smtp.messages)) == (0, 0, 2)
    assert db.session.scalar(select(func.count()).select_from(ReminderLog).where(ReminderLog.kind == "mail")) == 2


def test_a_later_run_on_the_same_day_adds_notices_but_no_second_mail(app, smtp, org, learner, create_account,
                                                                       create_assignment, create_course_version):
    create_assignment(org["dept"])
    account = create_account(person=learner)
    db.session.commit()
    day = DUE + timedelta(days=7)
    deliver(app, day)
    create_assignment(org["dept"], create_course_version(title="Dữ liệu cá nhân"), due_on=DUE + timedelta(days=14))
    db.session.commit()
    outcome = deliver(app, day)
    assert (outcome.mails, outcome.notices, len(smtp.messages)) == (0, 1, 1)
    titles = list(db.session.scalars(select(Notice.title).where(Notice.account_id == account.id)))
    assert len(titles) == 2 and any("Dữ liệu cá nhân" in t for t in titles)


def test_every_reminder_and_escalation_makes_a_notice_and_without_e_mail_it_is_the_only_channel(
        app, smtp, org, create_person, create_account, create_assignment):
    create_assignment(org["dept"])
    learner = create_account(full_name="Không Có Thư", unit=org["office"])
    head = create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Đức")
    db.session.commit()
    outcome = deliver(app, DUE + timedelta(days=7))
    assert (outcome.mails, outcome.notices, smtp.messages) == (0, 2, [])
    mine = db.session.scalars(select(Notice).where(Notice.account_id == learner.id)).one()
    assert (mine.kind, mine.link) == ("reminder.after", f"/khoa-hoc/{mine.link.rsplit('/', 1)[1]}")
    assert "đã quá hạn từ 30/06/2026" in mine.title
    theirs = db.session.scalars(select(Notice).where(Notice.account_id == head.id)).one()
    assert theirs.kind == "escalation.head" and "Không Có Thư (Phòng Hành chính tư pháp)" in theirs.body
    assert theirs.link.startswith("/tuan-thu/can-bo?")


def test_the_command_sends_and_the_dry_run_lists_per_recipient(app, smtp, org, create_person, create_assignment,
                                                                 create_account):
    today = local_today()
    create_assignment(org["dept"], period=today.year, starts_on=today - timedelta(days=60), due_on=today)
    create_person("Nguyễn Thị Hạnh", unit=org["office"], email="hanh@tinh.gov.vn")
    create_account(full_name="Không Có Thư", unit=org["office"])
    db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    # Everyone has an account from the commit that added them (an invited one still sees notices).
    assert "hanh@tinh.gov.vn — Nguyễn Thị Hạnh: 1 nhắc việc, 0 báo quá hạn; thư, 1 thông báo" in dry.output
    assert "(không có e-mail) — Không Có Thư: 1 nhắc việc, 0 báo quá hạn; 1 thông báo" in dry.output
    assert "Sẽ gửi 1 thư và tạo 2 thông báo (chạy thử, chưa gửi)." in dry.output
    assert smtp.messages == [] and db.session.scalar(select(func.count()).select_from(Notice)) == 0
    sent = runner.invoke(args=["reminders", "send"])
    assert "Đã gửi 1 thư; tạo 2 thông báo." in sent.output and len(smtp.messages) == 1
    assert "Đã gửi 0 thư; tạo 0 thông báo." in runner.invoke(args=["reminders", "send"]).output


def test_without_a_mail_server_the_notices_still_go_out(app, org, create_assignment, create_account):
    today = local_today()
    create_assignment(org["dept"], period=today.year, starts_on=today - timedelta(days=60), due_on=today)
    create_account(full_name="Nguyễn Thị Hạnh", unit=org["office"], email="hanh@tinh.gov.vn")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0 and "MAIL_SERVER" in result.output
    assert "Đã gửi 0 thư; tạo 1 thông báo." in result.output


def test_learner_home_shows_the_notice(client, login, org, create_account, create_assignment, create_course_version):
    today = local_today()
    create_assignment(org["dept"], create_course_version(title="AI có trách nhiệm"), period=today.year,
                      starts_on=today - timedelta(days=30), due_on=today + timedelta(days=5))
    login(create_account(full_name="Nguyễn Thị Hạnh", unit=org["office"]))
    home = client.get("/").text
    assert "Việc cần làm" in home and "AI có trách nhiệm" in home
