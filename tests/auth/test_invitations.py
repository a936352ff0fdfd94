"""Invitations by e-mail and activation through the link (issue 14, item 2)."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import g
from sqlalchemy import func, select

from learning.audit.models import AuditEvent
from learning.auth import invitations, tokens
from learning.auth.models import Account, AccountStatus, AccountToken, Role, TokenPurpose
from learning.certification.models import Job
from learning.core.dates import utcnow
from learning.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "Hoa-sen-tim-no-som-2026"  # noqa: S105 - a test password
LINK = re.compile(r"http://verify\.test/kich-hoat/([A-Za-z0-9_-]+)")


def _account(person) -> Account:
    return db.session.scalar(select(Account).where(Account.person_id == person.id))


def _text(message) -> str:
    from email import message_from_bytes, policy  # noqa: PLC0415

    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    return parsed.get_body(("plain",)).get_content()


def _html(message) -> str:
    from email import message_from_bytes, policy  # noqa: PLC0415

    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    return parsed.get_body(("html",)).get_content()


def _people(create_person, unit):
    invited = create_person("Trần Thị Bình", unit=unit, email="binh@example.gov.vn")
    no_email = create_person("Lê Văn Cường", unit=unit)
    active = create_person("Phạm Thị Dung", unit=unit, email="dung@example.gov.vn")
    gone = create_person("Hoàng Văn Em", unit=unit, email="em@example.gov.vn", active=False)
    db.session.commit()
    _account(active).status = AccountStatus.ACTIVE.value
    db.session.commit()
    return invited, no_email, active, gone


def _hr_client(client, login, create_account, unit):
    hr = create_account((Role.HR, unit), email="hr@example.gov.vn")
    return login(hr), hr


def test_hr_invites_a_unit_and_the_link_from_the_mail_activates_once(app, client, login, create_account,
                                                                      create_person, create_unit, smtp,
                                                                      outbox_log):
    unit = create_unit("Sở Tư pháp")
    invited, no_email, active, gone = _people(create_person, unit)
    hr_client, hr = _hr_client(client, login, create_account, unit)

    page = hr_client.get(f"/loi-moi?don-vi={unit.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Không có e-mail — in thư kích hoạt" in text and no_email.full_name in text
    sent = hr_client.post("/loi-moi/gui", data={"don-vi": unit.id})
    assert sent.status_code == 302 and "/loi-moi/cong-viec/" in sent.location
    job = db.session.scalar(select(Job).where(Job.kind == invitations.JOB_KIND))
    assert job.status == "done" and job.total == 1 and job.params["sent"] == [_account(invited).id]
    progress = hr_client.get(sent.location).get_data(as_text=True)
    assert "Đã gửi 1 / 1 thư" in progress

    assert len(smtp.messages) == 1  # only the invited, present person with an e-mail
    mail = smtp.messages[0]
    assert mail["To"] == "binh@example.gov.vn" and outbox_log == ["binh@example.gov.vn"]  # through notify.mail
    body = _text(mail)
    expires = (utcnow() + timedelta(days=7, hours=7)).strftime("%d/%m/%Y")
    assert "Trần Thị Bình" in body and expires in body and "hr@example.gov.vn" in body
    secret = LINK.search(body).group(1)
    assert secret in _html(mail)
    token = db.session.scalar(select(AccountToken).where(AccountToken.account_id == _account(invited).id))
    assert token.token_hash == tokens.digest(secret) and secret not in token.token_hash
    batch = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.invitations_queued"))
    assert batch.actor_id == hr.id and batch.detail["invite"] == 1 and batch.detail["no_email"] == 1

    person_client = app.test_client()
    form = person_client.get(f"/kich-hoat/{secret}")
    assert form.status_code == 200 and "Đặt mật khẩu" in form.get_data(as_text=True)
    weak = person_client.post(f"/kich-hoat/{secret}", data={"password": "matkhau123", "confirm": "matkhau123"})
    assert weak.status_code == 400 and "dễ đoán" in weak.get_data(as_text=True)
    done = person_client.post(f"/kich-hoat/{secret}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert person_client.get("/").status_code == 200
    assert "Trần Thị Bình" in person_client.get("/").get_data(as_text=True)  # signed in
    db.session.expire_all()
    account = _account(invited)
    assert account.status == AccountStatus.ACTIVE and account.check_password(NEW_PASSWORD)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.activated",
                                                      AuditEvent.actor_id == account.id)) is not None

    g.pop("_login_user", None)  # the test's app context outlives requests: forget the person signed in above
    again = app.test_client().post(f"/kich-hoat/{secret}", data={"password": "Khac-hoan-toan-2026-xyz",
                                                                "confirm": "Khac-hoan-toan-2026-xyz"})
    assert again.status_code == 410 and "đã được kích hoạt" in again.get_data(as_text=True)
    db.session.expire_all()
    assert _account(invited).check_password(NEW_PASSWORD)  # the used link changed nothing


def test_an_expired_or_forged_link_gets_a_page_saying_what_to_do(app, client, create_person):
    person = create_person(email="x@example.gov.vn")
    db.session.commit()
    secret, token = tokens.issue(_account(person), TokenPurpose.INVITATION, timedelta(days=7))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.post(f"/kich-hoat/{secret}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert expired.status_code == 410 and "hết hạn" in expired.get_data(as_text=True)
    assert "gửi lại" in expired.get_data(as_text=True)
    db.session.expire_all()
    assert _account(person).status == AccountStatus.INVITED and _account(person).password_hash is None
    forged = client.get("/kich-hoat/khong-phai-duong-lien-ket-that")
    assert forged.status_code == 404 and "không hợp lệ" in forged.get_data(as_text=True)


def test_a_superseded_link_is_refused_and_a_disabled_account_gets_its_message(app, client, create_person):
    person = create_person(email="y@example.gov.vn")
    db.session.commit()
    first, _ = tokens.issue(_account(person), TokenPurpose.INVITATION, timedelta(days=7))
    second, _ = tokens.issue(_account(person), TokenPurpose.INVITATION, timedelta(days=7))
    db.session.commit()
    used = client.get(f"/kich-hoat/{first}")
    assert used.status_code == 410 and "đã được dùng" in used.get_data(as_text=True)
    person.active = False
    db.session.commit()
    refused = client.post(f"/kich-hoat/{second}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 403 and "vô hiệu hóa" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert _account(person).password_hash is None


def test_resend_from_the_person_page_replaces_the_link(app, client, login, create_account, create_person,
                                                        create_unit, smtp):
    unit = create_unit("Sở Y tế")
    person = create_person("Vũ Thị Giang", unit=unit, email="giang@example.gov.vn")
    db.session.commit()
    hr_client, _hr = _hr_client(client, login, create_account, unit)
    page = hr_client.get(f"/can-bo/{person.id}").get_data(as_text=True)
    assert "Lời mời kích hoạt" in page and "chưa gửi" in page
    for _ in range(2):
        assert hr_client.post(f"/can-bo/{person.id}/gui-loi-moi").status_code == 302
    first, second = (LINK.search(_text(m)).group(1) for m in smtp.messages)
    assert tokens.find(first, TokenPurpose.INVITATION) is None
    assert tokens.find(second, TokenPurpose.INVITATION) is not None
    assert "hết hạn ngày" in hr_client.get(f"/can-bo/{person.id}").get_data(as_text=True)


def test_hr_of_another_subtree_cannot_invite_or_resend(app, client, login, create_account, create_person,
                                                       create_unit, smtp):
    mine, other = create_unit("Sở Tư pháp"), create_unit("Sở Y tế")
    person = create_person(unit=other, email="z@example.gov.vn")
    db.session.commit()
    hr_client, _hr = _hr_client(client, login, create_account, mine)
    assert hr_client.get(f"/loi-moi?don-vi={other.id}").status_code == 403
    assert hr_client.post("/loi-moi/gui", data={"don-vi": other.id}).status_code == 403
    assert hr_client.post("/loi-moi/chon", data={"nguoi": [person.id]}).status_code == 403
    assert hr_client.post(f"/can-bo/{person.id}/gui-loi-moi").status_code == 403
    assert smtp.messages == []


def test_chosen_people_from_the_unit_page(app, client, login, create_account, create_person, create_unit, smtp):
    unit = create_unit("Sở Nội vụ")
    first = create_person("Đỗ Văn Hùng", unit=unit, email="hung@example.gov.vn")
    create_person("Đỗ Văn Khánh", unit=unit, email="khanh@example.gov.vn")
    db.session.commit()
    hr_client, _hr = _hr_client(client, login, create_account, unit)
    unit_page = hr_client.get(f"/don-vi/{unit.id}").get_data(as_text=True)
    assert f'name="nguoi" value="{first.id}"' in unit_page
    confirm = hr_client.post("/loi-moi/chon", data={"nguoi": [first.id]})
    assert confirm.status_code == 200 and "Gửi 1 lời mời" in confirm.get_data(as_text=True)
    assert hr_client.post("/loi-moi/gui", data={"nguoi": [first.id]}).status_code == 302
    assert [m["To"] for m in smtp.messages] == ["hung@example.gov.vn"]


def test_a_mail_server_that_refuses_one_address_is_listed_as_a_failure(app, client, login, create_account,
                                                                       create_person, create_unit, smtp):
    unit = create_unit("Sở Xây dựng")
    create_person("Ngô Thị Lan", unit=unit, email="lan@example.gov.vn")
    db.session.commit()
    hr_client, _hr = _hr_client(client, login, create_account, unit)
    app.config["MAIL_SERVER"] = ""  # no mail server configured: the job fails with a clear reason
    sent = hr_client.post("/loi-moi/gui", data={"don-vi": unit.id})
    page = hr_client.get(sent.location).get_data(as_text=True)
    assert "MAIL_SERVER" in page and "Đã gửi 0 / 1 thư" in page
    assert db.session.scalar(select(AccountToken)) is None  # no link exists that was never mailed


def test_activation_is_rate_limited(app, client):
    app.config["ACTIVATION_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.get("/kich-hoat/gia-mao").status_code for _ in range(4)]
    finally:
        app.config["ACTIVATION_RATE_LIMIT"] = "10 per minute"
    assert codes[:3] == [404, 404, 404] and codes[3] == 429


def test_login_after_activation_uses_the_new_password(app, client, create_person):
    person = create_person(email="m@example.gov.vn")
    db.session.commit()
    secret, _ = tokens.issue(_account(person), TokenPurpose.INVITATION, timedelta(days=7))
    db.session.commit()
    client.post(f"/kich-hoat/{secret}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/dang-xuat")
    fresh = app.test_client()
    assert fresh.post("/dang-nhap", data={"identifier": person.employee_code, "password": PASSWORD}).status_code == 401
    assert fresh.post("/dang-nhap", data={"identifier": person.employee_code,
                                          "password": NEW_PASSWORD}).status_code == 302


def test_a_double_submitted_form_activates_once(app, client, create_person):
    person = create_person(email="n@example.gov.vn")
    db.session.commit()
    secret, _ = tokens.issue(_account(person), TokenPurpose.INVITATION, timedelta(days=7))
    db.session.commit()
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    first = client.post(f"/kich-hoat/{secret}", data=data)
    second = client.post(f"/kich-hoat/{secret}", data={"password": "Mot-mat-khau-khac-2026-q",
                                                       "confirm": "Mot-mat-khau-khac-2026-q"})
    assert first.status_code == 302 and second.status_code == 302 and second.location.endswith("/")
    db.session.expire_all()
    assert _account(person).check_password(NEW_PASSWORD)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "auth.activated")) == 1


def test_a_stalled_invitation_job_is_sent_by_the_sweep_without_mailing_anyone_twice(app, create_person,
                                                                                     create_account, smtp):
    hr = create_account((Role.HR, None))
    first = create_person("Mai Văn Phúc", email="phuc@example.gov.vn")
    second = create_person("Mai Thị Quế", email="que@example.gov.vn")
    db.session.commit()
    job = invitations.invite([_account(first), _account(second)], hr, source="test", queue=False)
    job.params = job.params | {"sent": [_account(first).id]}  # a worker died after the first mail
    job.status, job.created_at = "running", utcnow() - timedelta(hours=1)
    db.session.commit()
    assert invitations.requeue_stalled() == 1
    assert [m["To"] for m in smtp.messages] == ["que@example.gov.vn"]
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == "done" and job.done == 2
    assert invitations.requeue_stalled() == 0
