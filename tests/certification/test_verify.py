"""The public verify page: every printed field, a clear status, nothing more."""

import io
from datetime import timedelta

from learning.certification.pdf import format_code
from learning.core.dates import local_today
from learning.extensions import db


def test_verify_page_shows_printed_fields_and_valid_status(client, issue_certificate):
    cert = issue_certificate()
    page = client.get(f"/xac-thuc/{cert.code}")
    assert page.status_code == 200
    for expected in ("Nguyễn Thị Ánh Tuyết", cert.serial, format_code(cert.code), "Hợp lệ",
                     cert.valid_until.strftime("%d/%m/%Y")):
        assert expected in page.text
    assert cert.person.employee_code not in page.text  # not printed on the certificate


def test_typed_codes_are_forgiving(client, issue_certificate):
    cert = issue_certificate()
    typed = format_code(cert.code).lower().replace("-", " ")
    response = client.get("/xac-thuc", query_string={"code": typed})
    assert response.status_code == 302 and response.location.endswith(f"/xac-thuc/{cert.code}")


def test_unknown_code_is_a_404_with_the_form(client):
    response = client.get("/xac-thuc/ABCDEFGHJKMNPQRS")
    assert response.status_code == 404
    assert "Không tìm thấy chứng nhận với mã này" in response.text
    assert client.get("/xac-thuc", query_string={"code": "khong-co"}).status_code == 404
    assert client.get("/xac-thuc/ABCDEFGHJKMNPQRS.json").status_code == 404


def test_revoked_certificate_shows_revoked_with_reason(client, issue_certificate, create_account):
    cert = issue_certificate()
    admin = create_account()
    cert.revoke("Kết quả kiểm tra bị hủy do thi hộ", admin)
    db.session.commit()
    page = client.get(f"/xac-thuc/{cert.code}").text
    assert "Đã thu hồi" in page and "Kết quả kiểm tra bị hủy do thi hộ" in page
    data = client.get(f"/xac-thuc/{cert.code}.json").json
    assert data["status"] == "revoked" and data["revoke_reason"] == "Kết quả kiểm tra bị hủy do thi hộ"


def test_expired_and_expiring_certificates_say_so(client, issue_certificate):
    cert = issue_certificate()
    cert.valid_until = local_today() - timedelta(days=1)
    db.session.commit()
    assert "Hết hạn" in client.get(f"/xac-thuc/{cert.code}").text
    cert.valid_until = local_today() + timedelta(days=10)
    db.session.commit()
    assert client.get(f"/xac-thuc/{cert.code}.json").json["status"] == "expiring"


def test_json_has_only_printed_fields(client, issue_certificate):
    cert = issue_certificate()
    data = client.get(f"/xac-thuc/{cert.code}.json").json
    assert set(data) == {"serial", "code", "name", "holder_note", "unit", "course", "score", "issued_on",
                         "valid_until", "status", "status_label", "revoked_on", "revoke_reason"}


def test_the_issued_pdf_matches_and_an_edited_one_does_not(client, issue_certificate):
    cert = issue_certificate()
    same = client.post("/xac-thuc/kiem-tra-tep", data={"pdf": (io.BytesIO(cert.file.pdf), "cn.pdf")},
                       content_type="multipart/form-data")
    assert "Chứng nhận thật, không bị sửa đổi" in same.text and cert.serial in same.text
    assert "bản này không có chữ ký số" in same.text
    edited = cert.file.pdf + b"\n% edited after issue\n"
    other = client.post("/xac-thuc/kiem-tra-tep", data={"pdf": (io.BytesIO(edited), "cn.pdf")},
                        content_type="multipart/form-data")
    assert "Không khớp chứng nhận nào" in other.text and cert.serial not in other.text


def test_uploads_are_limited_in_type_and_size(client):
    not_pdf = client.post("/xac-thuc/kiem-tra-tep", data={"pdf": (io.BytesIO(b"PK\x03\x04zip"), "a.pdf")},
                          content_type="multipart/form-data")
    assert not_pdf.status_code == 400 and "Tệp không phải PDF" in not_pdf.text
    big = client.post("/xac-thuc/kiem-tra-tep",
                      data={"pdf": (io.BytesIO(b"%PDF-" + b"0" * (2 * 1024 * 1024)), "a.pdf")},
                      content_type="multipart/form-data")
    assert big.status_code == 400 and "lớn hơn 2 MB" in big.text
    empty = client.post("/xac-thuc/kiem-tra-tep", data={}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "Hãy chọn tệp PDF" in empty.text


def test_guessing_codes_is_rate_limited(client):
    codes = [client.get(f"/xac-thuc/AAAAAAAAAAAAAA{n:02d}").status_code for n in range(62)]
    assert codes[:60] == [404] * 60 and codes[60:] == [429, 429]
