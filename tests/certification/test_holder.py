"""Holder and unit as a reader needs them: a disambiguator beside the name, the employer, validity, local dates."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from learning.certification.models import Certificate
from learning.config import Config
from learning.core.dates import valid_until
from learning.extensions import db
from learning.org.models import committee_name


def _cert(completion) -> Certificate:
    return db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))


@pytest.fixture
def disambiguator(app):
    saved = app.config.get("CERT_HOLDER_DISAMBIGUATOR")

    def set_to(value: str) -> None:
        app.config["CERT_HOLDER_DISAMBIGUATOR"] = value

    yield set_to
    app.config["CERT_HOLDER_DISAMBIGUATOR"] = saved


@pytest.mark.parametrize(("mode", "note"), [("none", ""), ("birth_date", "sinh ngày 05/03/1985"),
                                            ("code_tail", "mã cán bộ …4321")])
def test_the_disambiguator_is_printed_beside_the_name(app, client, disambiguator, create_person, create_completion,
                                                      issue_certificate, mode, note):
    disambiguator(mode)
    person = create_person("Nguyễn Văn An", code="NV0054321", birth_date=date(1985, 3, 5))
    cert = issue_certificate(person)
    assert cert.holder_note == note
    html = tasks_html(cert)
    page = client.get(f"/xac-thuc/{cert.code}").text
    data = client.get(f"/xac-thuc/{cert.code}.json").json
    assert data["name"] == "Nguyễn Văn An" and data["holder_note"] == (note or None)
    if note:
        assert f"({note})" in html and f"Nguyễn Văn An ({note})" in page
    else:
        assert "holder-note" not in html and "sinh ngày" not in page and "mã cán bộ" not in page


def test_without_a_birth_date_nothing_is_printed(app, disambiguator, create_person, issue_certificate):
    disambiguator("birth_date")
    assert issue_certificate(create_person("Lê Thị Hoa")).holder_note == ""


def test_an_unknown_setting_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("CERT_HOLDER_DISAMBIGUATOR", "ngay_sinh")
    with pytest.raises(ValueError, match="none, birth_date, code_tail"):
        Config()


def tasks_html(cert: Certificate) -> str:
    from learning.certification import services
    from learning.certification.settings import issue_settings

    return issue_settings().renderer().html(services.view_of(cert, "http://verify.test"))


@pytest.mark.parametrize(("name", "employer"), [
    ("Phường Bãi Cháy", "UBND phường Bãi Cháy"), ("Xã Tiên Yên", "UBND xã Tiên Yên"),
    ("Đặc khu Vân Đồn", "UBND đặc khu Vân Đồn"), ("Ủy ban nhân dân tỉnh Quảng Ninh", "Ủy ban nhân dân tỉnh Quảng Ninh"),
    ("UBND phường Hà Tu", "UBND phường Hà Tu"),
])
def test_committee_names(name, employer):
    assert committee_name(name) == employer


def test_the_unit_is_printed_as_the_employer(app, create_unit, province, create_person, create_completion):
    ward = create_unit("Phường Bãi Cháy", parent=province, kind="xa_phuong")
    ward_office = create_unit("Văn phòng HĐND và UBND", parent=ward)
    district = create_unit("Huyện Tiên Yên", parent=province, kind="huyen")
    justice = create_unit("Sở Tư pháp", parent=province, kind="so_nganh")
    office = create_unit("Văn phòng Sở", parent=justice)
    expected = {ward: "UBND phường Bãi Cháy", ward_office: "Văn phòng HĐND và UBND, UBND phường Bãi Cháy",
                district: "UBND huyện Tiên Yên", justice: "Sở Tư pháp", office: "Văn phòng Sở, Sở Tư pháp"}
    for unit, printed in expected.items():
        assert _cert(create_completion(create_person(unit=unit))).unit_name == printed


def test_twelve_months_from_03_12_2026_is_valid_until_02_12_2027(app, create_person, create_completion):
    assert valid_until(datetime(2026, 12, 2, 17, 6), 12) == date(2027, 12, 2)  # 00:06 on 03/12 local
    assert valid_until(datetime(2026, 12, 3, 3, 0), 12) == date(2027, 12, 2)
    assert valid_until(datetime(2026, 1, 31, 3, 0), 1) == date(2026, 2, 27)
    cert = _cert(create_completion(create_person(), completed_at=datetime(2026, 12, 3, 3, 0)))
    assert cert.valid_until == date(2027, 12, 2)
    assert cert.status_on(date(2027, 12, 2)).value != "expired" and cert.status_on(date(2027, 12, 3)).value == "expired"


def test_stored_validity_is_kept(app, client, issue_certificate):
    cert = issue_certificate()
    cert.valid_until = date(2027, 12, 3)  # issued before the rule changed
    db.session.commit()
    assert client.get(f"/xac-thuc/{cert.code}.json").json["valid_until"] == "2027-12-03"


def test_the_verify_page_shows_the_local_issue_date(app, client, create_person, create_completion, issue_certificate):
    cert = issue_certificate(completed_at=datetime(2026, 12, 2, 17, 6))  # 00:06 on 03/12/2026 in Hà Nội
    assert client.get(f"/xac-thuc/{cert.code}.json").json["issued_on"] == "2026-12-03"
    page = client.get(f"/xac-thuc/{cert.code}").text
    assert "03/12/2026" in page and "02/12/2026" not in page
    assert "ngày 03 tháng 12 năm 2026" in tasks_html(cert)
