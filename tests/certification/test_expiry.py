"""Holders of certificates about to expire get one notice per certificate (the daily beat task)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from learning.certification import expiry
from learning.certification.models import Certificate
from learning.core.dates import local_today
from learning.extensions import db


def certificate_of(person, create_completion, valid_for_days: int, **fields) -> Certificate:
    completion = create_completion(person, **fields)
    cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
    cert.valid_until = local_today() + timedelta(days=valid_for_days)
    db.session.commit()
    return cert


def body(message) -> str:
    return message.get_payload(decode=True).decode("utf-8")


def test_a_certificate_entering_the_window_is_named_once(app, smtp, outbox_log, create_person, create_completion):
    person = create_person("Trần Thị Mai", email="mai@tinh.gov.vn")
    soon = certificate_of(person, create_completion, 20)
    certificate_of(person, create_completion, 200)  # another course, far from expiry
    certificate_of(create_person("Không Có Thư"), create_completion, 5)  # no address: nobody to tell

    assert expiry.send_expiry_notices() == 1
    assert expiry.send_expiry_notices() == 0  # the same day again: nothing new
    (mail,) = smtp.messages
    assert mail["To"] == "mai@tinh.gov.vn" and outbox_log == ["mai@tinh.gov.vn"]  # through notify.mail
    assert soon.serial in body(mail) and f"{soon.valid_until:%d/%m/%Y}" in body(mail)
    assert body(mail).count("số hiệu") == 1


def test_a_renewed_or_revoked_certificate_gets_no_notice(app, smtp, create_person, create_completion,
                                                         create_course_version):
    person = create_person("Lê Văn Bình", email="binh@tinh.gov.vn")
    version = create_course_version()
    certificate_of(person, create_completion, 10, version=version)
    certificate_of(person, create_completion, 360, version=version)  # renewed: the newer one counts
    revoked = certificate_of(person, create_completion, 10)
    revoked.revoke("Cấp nhầm người", None)
    db.session.commit()
    assert expiry.expiring_notices(local_today(), 30) == []


def test_without_mail_the_task_does_nothing(app, create_person, create_completion, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    certificate_of(create_person("Đỗ Văn Nam", email="nam@tinh.gov.vn"), create_completion, 3)
    assert expiry.send_expiry_notices() == 0
