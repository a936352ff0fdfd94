"""Activation letters with one-time codes, and ``flask accounts invite|letters`` (issue 14, items 2 and 7)."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from learning.audit.models import AuditEvent
from learning.auth import tokens
from learning.auth.models import Account, AccountStatus, AccountToken, Role, TokenPurpose
from learning.certification.models import Job
from learning.core.dates import utcnow
from learning.extensions import db

NEW_PASSWORD = "Hoa-sen-tim-no-som-2026"  # noqa: S105 - a test password
BORN = date(1985, 3, 14)


def _account(person) -> Account:
    return db.session.scalar(select(Account).where(Account.person_id == person.id))


def _letter_code(person) -> str:
    code = tokens.new_code()
    tokens.issue(_account(person), TokenPurpose.LETTER, timedelta(days=30), secret=code)
    db.session.commit()
    return code


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,  # noqa: S607
                          check=True).stdout


@pytest.fixture
def staff(create_unit, create_person):
    unit = create_unit("Sở Tư pháp", code="STP")
    office = create_unit("Phòng Văn bản", parent=unit, code="STP-VB")
    people = {
        "paper": create_person("Lê Văn Cường", unit=office, birth_date=BORN),
        "paper2": create_person("Đinh Thị Hoa", unit=unit, birth_date=date(1990, 1, 2)),
        "mail": create_person("Trần Thị Bình", unit=unit, email="binh@example.gov.vn"),
        "active": create_person("Phạm Thị Dung", unit=unit, email="dung@example.gov.vn"),
        "gone": create_person("Hoàng Văn Em", unit=unit, active=False),
    }
    db.session.commit()
    _account(people["active"]).status = AccountStatus.ACTIVE.value
    db.session.commit()
    return unit, people


def test_the_letter_code_activates_once(app, client, staff):
    _unit, people = staff
    person = people["paper"]
    code = _letter_code(person)
    page = client.post("/kich-hoat-ma", data={"employee_code": person.employee_code.lower(),
                                              "birth_date": "14-3-1985", "code": code.lower().replace("-", " ")})
    assert page.status_code == 302 and page.location.endswith("/kich-hoat-ma/mat-khau")
    done = client.post("/kich-hoat-ma/mat-khau", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    db.session.expire_all()
    account = _account(person)
    assert account.status == AccountStatus.ACTIVE and account.check_password(NEW_PASSWORD)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.activated"))
    assert event.actor_id == account.id and event.detail["method"] == "letter"
    again = app.test_client().post("/kich-hoat-ma", data={"employee_code": person.employee_code,
                                                          "birth_date": "14/03/1985", "code": code})
    assert again.status_code == 400 and "không đúng" in again.get_data(as_text=True)


def test_a_wrong_date_of_birth_or_code_gets_one_generic_answer(app, client, staff):
    _unit, people = staff
    person = people["paper"]
    code = _letter_code(person)
    answers = []
    for data in ({"birth_date": "15/03/1985", "code": code}, {"birth_date": "14/03/1985", "code": "AAAAA-AAAAA"},
                 {"birth_date": "không phải ngày", "code": code}):
        response = client.post("/kich-hoat-ma", data={"employee_code": person.employee_code, **data})
        assert response.status_code == 400
        answers.append(re.search(r'<div class="alert[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S).group(1))
    unknown = client.post("/kich-hoat-ma", data={"employee_code": "KHONGCO", "birth_date": "14/03/1985",
                                                 "code": code})
    answers.append(re.search(r'<div class="alert[^>]*>(.*?)</div>', unknown.get_data(as_text=True), re.S).group(1))
    assert len(set(answers)) == 1 and "Mã cán bộ, ngày sinh hoặc mã kích hoạt không đúng" in answers[0]
    db.session.expire_all()
    assert _account(person).status == AccountStatus.INVITED
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "auth.activation_failed")) == 4


def test_wrong_codes_are_limited_per_account_across_addresses(app, staff):
    _unit, people = staff
    person = people["paper"]
    code = _letter_code(person)
    for n in range(5):
        wrong = app.test_client().post("/kich-hoat-ma", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
                                       data={"employee_code": person.employee_code, "birth_date": "01/01/1970",
                                             "code": code})
        assert wrong.status_code == 400
    # The right answer from yet another address now waits too: a guesser spread over addresses gets nowhere.
    right = app.test_client().post("/kich-hoat-ma", environ_base={"REMOTE_ADDR": "10.0.1.1"},
                                   data={"employee_code": person.employee_code, "birth_date": "14/03/1985",
                                         "code": code})
    assert right.status_code == 429 and "sai nhiều lần" in right.get_data(as_text=True)


def test_the_code_page_is_rate_limited_per_address(app, client):
    app.config["ACTIVATION_RATE_LIMIT"] = "2 per minute"
    try:
        codes = [client.post("/kich-hoat-ma", data={"employee_code": f"X{n}", "birth_date": "01/01/1990",
                                                    "code": "AAAAA-AAAAA"}).status_code for n in range(3)]
    finally:
        app.config["ACTIVATION_RATE_LIMIT"] = "10 per minute"
    assert codes == [400, 400, 429]


def test_a_disabled_account_with_a_valid_letter_gets_its_message(app, client, staff):
    _unit, people = staff
    person = people["paper"]
    code = _letter_code(person)
    person.left_on = date(2020, 1, 1)
    db.session.commit()
    response = client.post("/kich-hoat-ma", data={"employee_code": person.employee_code, "birth_date": "14/03/1985",
                                                  "code": code})
    assert response.status_code == 403 and "vô hiệu hóa" in response.get_data(as_text=True)


def test_letters_command_writes_one_letter_per_person_and_retires_old_codes(app, staff, tmp_path):
    unit, people = staff
    old = _letter_code(people["paper"])
    out = tmp_path / "thu.pdf"
    result = app.test_cli_runner().invoke(args=["accounts", "letters", "--unit", "STP", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 letters" in result.output
    assert out.read_bytes().startswith(b"%PDF")
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout  # noqa: S607
    assert re.search(r"Pages:\s+2\b", pages)
    text = _pdf_text(out)
    assert "Lê Văn Cường" in text and "Đinh Thị Hoa" in text and "Trần Thị Bình" not in text
    assert "http://verify.test/kich-hoat-ma" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert people["paper"].employee_code in text and "Phòng Văn bản" in text
    assert tokens.find_for_account(_account(people["paper"]), old, TokenPurpose.LETTER) is None
    printed = re.findall(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}", text.replace(" ", ""))  # printed spaced out
    assert len(printed) == 2
    assert any(tokens.find_for_account(_account(people["paper"]), c, TokenPurpose.LETTER) for c in printed)
    expiry = (utcnow() + timedelta(days=30, hours=7)).strftime("%d/%m/%Y")
    assert expiry in text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.letters_issued")).detail["count"] == 2


def test_hr_prints_the_letters_of_their_unit(app, client, login, create_account, staff):
    unit, _people = staff
    hr = create_account((Role.HR, unit), unit=unit, email="hr@example.gov.vn")
    response = login(hr).post(f"/don-vi/{unit.id}/thu-kich-hoat")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "thu-kich-hoat-STP.pdf" in response.headers["Content-Disposition"]
    assert db.session.scalar(select(func.count(AccountToken.id)).where(
        AccountToken.purpose == TokenPurpose.LETTER.value)) == 2


def test_letters_for_an_unknown_unit_or_nobody(app, staff, tmp_path):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["accounts", "letters", "--unit", "KHONG", "--out", str(tmp_path / "a.pdf")])
    assert unknown.exit_code != 0 and "Không có đơn vị" in unknown.output
    _unit, people = staff
    for key in ("paper", "paper2"):
        _account(people[key]).status = AccountStatus.ACTIVE.value
    db.session.commit()
    nobody = runner.invoke(args=["accounts", "letters", "--unit", "STP", "--out", str(tmp_path / "b.pdf")])
    assert nobody.exit_code == 0 and "Không ghi tệp" in nobody.output and not (tmp_path / "b.pdf").exists()


def test_invite_dry_run_prints_counts_and_writes_nothing(app, staff, smtp):
    runner = app.test_cli_runner()
    before = db.session.scalar(select(func.count(AuditEvent.id)))
    result = runner.invoke(args=["accounts", "invite", "--unit", "STP", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would invite: 1" in result.output and "no e-mail: 2" in result.output
    assert "already active: 1" in result.output and "not present: 1" in result.output
    assert smtp.messages == []
    assert db.session.scalar(select(func.count(AccountToken.id))) == 0
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before


def test_invite_sends_by_unit_all_or_codes(app, staff, smtp, tmp_path):
    _unit, people = staff
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "invite", "--all"])
    assert result.exit_code == 0, result.output
    assert "invite: 1" in result.output and "sent: 1, failed: 0" in result.output
    assert [m["To"] for m in smtp.messages] == ["binh@example.gov.vn"]
    codes = tmp_path / "codes.txt"
    codes.write_text(f"# danh sách\n{people['mail'].employee_code}\n{people['active'].employee_code}\nKHONGCO\n")
    again = runner.invoke(args=["accounts", "invite", "--codes", str(codes)])
    assert again.exit_code == 0, again.output
    assert "invite: 1" in again.output and "already active: 1" in again.output and "unknown codes: 1" in again.output
    assert len(smtp.messages) == 2
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.invitations_queued")).all()
    assert [e.detail["source"] for e in events] == ["all", "codes:codes.txt"]


def test_invite_needs_exactly_one_selection(app):
    runner = app.test_cli_runner()
    for args in ([], ["--all", "--unit", "STP"]):
        result = runner.invoke(args=["accounts", "invite", *args])
        assert result.exit_code == 2 and "exactly one" in result.output
