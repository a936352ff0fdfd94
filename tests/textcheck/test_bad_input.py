"""Bad input on the text-check page: a clear Vietnamese message and a 4xx, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.textcheck.test_cli_extract import _docx


def _pdf_without_text() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def signed_in(client, login, create_account):
    login(create_account())
    return client


def _upload(client, name: str, data: bytes):
    return client.post("/kiem-tra-van-ban", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_an_empty_text_asks_for_one(signed_in):
    response = signed_in.post("/kiem-tra-van-ban", data={"text": "  \n "}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Chưa có văn bản để kiểm tra" in _text(response)


def test_a_text_over_the_limit_is_413_with_the_limit(app, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "TEXTCHECK_MAX_CHARS", 100)
    response = signed_in.post("/kiem-tra-van-ban", data={"text": "a" * 150}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "vượt giới hạn 100 ký tự" in _text(response)


def test_five_megabytes_of_text_is_413_on_the_page_not_the_generic_upload_error(signed_in):
    response = signed_in.post("/kiem-tra-van-ban", data={"text": "Nguyễn Văn An " * 400_000},
                              content_type="multipart/form-data")
    assert response.status_code == 413
    page = _text(response)
    assert "văn bản tối đa 200.000 ký tự" in page and 'name="text"' in page  # the form, to try again


def test_a_text_near_the_limit_is_checked(signed_in):
    """200 000 Vietnamese characters are more than Werkzeug's default 500 kB for a form field."""
    text = ("Bà Trần Thị Bình, SĐT 0912345678.\n" + "ưỡữựằẳẵặậẫ " * 30 + "\n") * 540
    assert len(text.encode()) > 500_000  # Werkzeug and Flask default MAX_FORM_MEMORY_SIZE
    response = signed_in.post("/kiem-tra-van-ban", data={"text": text}, content_type="multipart/form-data")
    assert response.status_code == 200 and "[SỐ ĐIỆN THOẠI]" in _text(response)


def test_a_pdf_without_a_text_layer(signed_in):
    response = _upload(signed_in, "scan.pdf", _pdf_without_text())
    assert response.status_code == 400 and "không có lớp chữ" in _text(response)


def test_a_password_protected_docx(signed_in):
    response = _upload(signed_in, "mat-khau.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert response.status_code == 400 and "được đặt mật khẩu" in _text(response)


def test_a_zip_bomb_renamed_docx(signed_in):
    response = _upload(signed_in, "bao-cao.docx", _zip_bomb())
    assert response.status_code == 400 and "giải nén ra quá lớn" in _text(response)


def test_a_damaged_docx(signed_in):
    response = _upload(signed_in, "hong.docx", b"PK\x03\x04 not really a zip")
    assert response.status_code == 400 and "không phải .docx hợp lệ" in _text(response)


def test_an_unknown_file_type(signed_in):
    response = _upload(signed_in, "anh.png", b"\x89PNG\r\n")
    assert response.status_code == 400 and "Chỉ nhận tệp .txt, .docx, .pdf hoặc .xlsx" in _text(response)


def test_an_empty_file(signed_in):
    response = _upload(signed_in, "rong.txt", b"")
    assert response.status_code == 400 and "không có nội dung" in _text(response)


def test_a_file_over_the_upload_limit(app, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "TEXTCHECK_MAX_UPLOAD_MB", 1)
    response = _upload(signed_in, "lon.txt", b"a" * (1024 * 1024 + 10))
    assert response.status_code == 400 and "Tệp lớn hơn 1 MB" in _text(response)
    response = _upload(signed_in, "rat-lon.txt", b"a" * (3 * 1024 * 1024))  # over the request limit itself
    assert response.status_code == 413 and "tệp tối đa 1 MB" in _text(response)


def test_a_binary_file_renamed_txt(signed_in):
    response = _upload(signed_in, "chuong-trinh.txt", b"MZ\x90\x00\x03\x00\x00\x00")
    assert response.status_code == 400 and "NUL" in _text(response)


@pytest.mark.parametrize(("data", "note"), [
    ("Ông Lê Văn Tư, SĐT 0912345678".encode("cp1258"), True),
    ("Ông Lê Văn Tư, SĐT 0912345678".encode("utf-16"), False),
    ("Ông Lê Văn Tư, SĐT 0912345678".encode("utf-8-sig"), False),
])
def test_txt_encodings_are_read_and_a_guess_is_said(signed_in, data, note):
    response = _upload(signed_in, "don.txt", data)
    page = _text(response)
    assert response.status_code == 200 and "[SỐ ĐIỆN THOẠI]" in page and "Lê Văn Tư" in page
    assert ("Windows-1258" in page) is note


def test_mixed_encodings_in_a_txt(signed_in):
    response = _upload(signed_in, "tron.txt", "Nguyễn ".encode() + "Văn".encode("cp1258") + b"\x8f")
    assert response.status_code == 400 and "trộn nhiều bảng mã" in _text(response)


def test_a_docx_is_read(signed_in):
    response = _upload(signed_in, "don.docx", _docx("Tôi là Nguyễn Văn An, CCCD 022085001234."))
    assert response.status_code == 200 and "[SỐ CCCD]" in _text(response)
