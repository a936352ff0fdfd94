"""The one mail module (issue 21, item 4): every sender builds and sends through ``learning.notify.mail``; a
batch keeps going after a refused mail; no module but the mail module speaks SMTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from learning.notify import mail

LEARNING = Path(mail.__file__).resolve().parents[1]


def body(message) -> str:
    return message.get_payload(decode=True).decode("utf-8")


def test_only_the_mail_module_speaks_smtp_or_builds_a_message():
    """Reminders, escalations, "remind now", expiry notices, invitations and reset links all go through
    ``notify.mail``: nobody else imports smtplib or makes an EmailMessage."""
    offenders = []
    for path in sorted(LEARNING.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                names = [node.func.id]
            if "smtplib" in names or "EmailMessage" in names:
                offenders.append(str(path.relative_to(LEARNING)))
    assert sorted(set(offenders)) == ["notify/mail.py"]


def test_a_message_is_from_mail_from_in_vietnamese_with_an_optional_html_part(app):
    app.config["MAIL_FROM"] = "hoc@tinh.gov.vn"
    text = mail.letter("Trần Thị Mai", ["Dòng một."], ("Vào học tại", "http://hoc.test/"))
    assert text == ("Kính gửi Trần Thị Mai,\n\nDòng một.\n\nVào học tại: http://hoc.test/\n\n"
                    "Thư này được gửi tự động; xin đừng trả lời.")
    plain = mail.message("mai@tinh.gov.vn", "Nhắc việc", text)
    assert (plain["From"], plain["To"], plain["Subject"]) == ("hoc@tinh.gov.vn", "mai@tinh.gov.vn", "Nhắc việc")
    assert not plain.is_multipart()
    both = mail.message("mai@tinh.gov.vn", "Mời", text, html="<p>Mời</p>", sender="khac@tinh.gov.vn")
    assert both["From"] == "khac@tinh.gov.vn" and both.get_content_type() == "multipart/alternative"


def test_without_a_mail_server_nothing_is_sent(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    assert not mail.settings().enabled
    with pytest.raises(mail.MailNotConfigured):
        mail.send_mail("mai@tinh.gov.vn", "Nhắc việc", "…")


def test_a_refused_mail_raises_and_the_next_one_of_the_batch_still_goes(app, smtp):
    smtp.refuse.add("sai@tinh.gov.vn")
    with mail.Outbox() as outbox:
        with pytest.raises(mail.MAIL_ERRORS):
            outbox.send(mail.message("sai@tinh.gov.vn", "Một", "Thư một"))
        outbox.send(mail.message("dung@tinh.gov.vn", "Hai", "Thư hai"))
        outbox.send(mail.message("an@tinh.gov.vn", "Ba", "Thư ba"))
    assert [m["To"] for m in smtp.messages] == ["dung@tinh.gov.vn", "an@tinh.gov.vn"]
    assert body(smtp.messages[0]).strip() == "Thư hai"


def test_an_unreachable_relay_raises_a_mail_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # discard: nothing listens there in the tests
    with pytest.raises(mail.MAIL_ERRORS):
        mail.send_mail("mai@tinh.gov.vn", "Nhắc việc", "…")
