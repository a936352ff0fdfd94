"""Forgotten password by e-mail (issue 14, item 3): a single-use link for an hour, the same answer whether the
account exists or not, limited per address and per account, audit-logged."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth.models import AccountStatus, AccountToken, TokenPurpose
from learning.core.dates import utcnow
from learning.extensions import db
from tests.factories import PASSWORD

NEW = "Hoa-sen-tim-no-som"
LINK = re.compile(r"http://[^/\s]+(/dat-lai-mat-khau/[A-Za-z0-9_-]+)")


def _ask(client, identifier):
    page = client.get("/quen-mat-khau")
    assert page.status_code == 200
    return client.post("/quen-mat-khau", data={"identifier": identifier})


def _link(inbox, index=-1):
    body = inbox.messages[index].get_payload(decode=True).decode()
    return LINK.search(body).group(1)


@pytest.fixture
def person_with_mail(create_account):
    return create_account(email="lan.nguyen@quangninh.gov.vn")


def test_the_link_from_the_mail_sets_a_new_password_once(client, smtp, outbox_log, person_with_mail):
    response = _ask(client, "LAN.NGUYEN@quangninh.gov.vn")
    assert response.status_code == 302 and response.location.endswith("/quen-mat-khau/da-gui")
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "lan.nguyen@quangninh.gov.vn"
    assert outbox_log == ["lan.nguyen@quangninh.gov.vn"]  # through notify.mail
    link = _link(smtp)
    assert "Đặt mật khẩu mới" in client.get(link).get_data(as_text=True)
    weak = client.post(link, data={"password": "password123", "confirm": "password123"})
    assert weak.status_code == 400 and "dễ đoán" in weak.get_data(as_text=True)
    done = client.post(link, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert client.get("/doi-mat-khau").status_code == 200  # signed in
    account = db.session.get(type(person_with_mail), person_with_mail.id)
    db.session.refresh(account)
    assert account.check_password(NEW) and not account.check_password(PASSWORD)
    again = client.post(link, data={"password": "Another-phrase-2026", "confirm": "Another-phrase-2026"})
    assert again.status_code == 410 and "đã được dùng" in again.get_data(as_text=True)
    kinds = set(db.session.scalars(select(AuditEvent.action)))
    assert {"auth.reset_requested", "auth.reset_sent", "auth.password_reset_by_link"} <= kinds


def test_the_answer_is_the_same_whether_the_account_exists_or_not(app, smtp, person_with_mail):
    answers = []
    for identifier in ("lan.nguyen@quangninh.gov.vn", "nobody@quangninh.gov.vn", "CB99999"):
        client = app.test_client()
        response = _ask(client, identifier)
        answers.append((response.status_code, response.location, client.get(response.location).get_data(as_text=True)))
    assert answers[0] == answers[1] == answers[2]
    assert len(smtp.messages) == 1
    requested = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.reset_requested")).all()
    assert len(requested) == 3 and all(e.actor_id is None for e in requested)


def test_a_link_expires_after_an_hour(client, smtp, person_with_mail):
    _ask(client, person_with_mail.person.employee_code)
    link = _link(smtp)
    token = db.session.scalar(select(AccountToken).where(AccountToken.purpose == TokenPurpose.PASSWORD_RESET.value))
    assert timedelta(minutes=59) < token.expires_at - token.created_at <= timedelta(hours=1)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(link)
    assert page.status_code == 410 and "hết hạn" in page.get_data(as_text=True)
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 410


def test_a_forged_link_and_an_older_link_open_nothing(client, smtp, person_with_mail):
    assert client.get("/dat-lai-mat-khau/" + "A" * 43).status_code == 410
    _ask(client, person_with_mail.person.employee_code)
    _ask(client, person_with_mail.person.employee_code)
    first, second = _link(smtp, 0), _link(smtp, 1)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_each_account_gets_at_most_three_links_an_hour(app, smtp, person_with_mail):
    for _ in range(5):
        _ask(app.test_client(), person_with_mail.person.employee_code)
    assert len(smtp.messages) == 3


def test_requests_are_limited_per_address(client, smtp, person_with_mail):
    answers = [_ask(client, f"someone{i}@example.org").status_code for i in range(6)]
    assert answers == [302] * 5 + [429]


def test_a_disabled_or_departed_person_gets_no_link(client, smtp, person_with_mail):
    person_with_mail.status = AccountStatus.DISABLED.value
    db.session.commit()
    _ask(client, person_with_mail.person.employee_code)
    assert smtp.messages == []


def test_a_link_ends_the_other_sessions(app, smtp, person_with_mail, request_scoped_clients):
    thief = app.test_client()
    thief.post("/dang-nhap", data={"identifier": person_with_mail.person.employee_code, "password": PASSWORD})
    assert thief.get("/doi-mat-khau").status_code == 200
    owner = app.test_client()
    _ask(owner, person_with_mail.person.employee_code)
    owner.post(_link(smtp), data={"password": NEW, "confirm": NEW})
    assert thief.get("/doi-mat-khau").status_code == 302
