"""``flask text-check FILE [--json]`` and the reading of uploads (bad files give a message, never a crash)."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile

import pytest

from learning.textcheck.extract import ExtractError, decode, text_of

PETITION = "Tôi là Nguyễn Văn An, CCCD 022085001234, SĐT 0912345678.\n"


def _docx(text: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                         f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    return buffer.getvalue()


def test_cli_json(app, tmp_path):
    path = tmp_path / "don.txt"
    path.write_text(unicodedata.normalize("NFD", PETITION), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["text-check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["findings"] == [
        {"type": "person_name", "start": 7, "end": 20, "text": "Nguyễn Văn An"},
        {"type": "cccd", "start": 27, "end": 39, "text": "022085001234"},
        {"type": "phone", "start": 45, "end": 55, "text": "0912345678"},
    ]
    assert out["redacted"] == "Tôi là [HỌ TÊN], CCCD [SỐ CCCD], SĐT [SỐ ĐIỆN THOẠI].\n"


def test_cli_plain_and_docx(app, tmp_path):
    path = tmp_path / "don.docx"
    path.write_bytes(_docx(PETITION))
    result = app.test_cli_runner().invoke(args=["text-check", str(path)])
    assert result.exit_code == 0, result.output
    assert "cccd\t27\t39\t022085001234" in result.output.splitlines()
    assert "Tôi là [HỌ TÊN], CCCD [SỐ CCCD], SĐT [SỐ ĐIỆN THOẠI]." in result.output


def test_cli_empty_file(app, tmp_path):
    path = tmp_path / "rong.txt"
    path.write_text("  \n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["text-check", str(path)])
    assert result.exit_code == 1
    assert "Chưa có văn bản" in result.output


def test_zip_bomb_renamed_docx(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    with pytest.raises(ExtractError, match="giải nén ra quá lớn"):
        text_of("bom.docx", buffer.getvalue())


def test_password_protected_docx(app):
    with pytest.raises(ExtractError, match="mật khẩu"):
        text_of("mat-khau.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)


def test_pdf_without_text_layer(app):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ExtractError, match="không có lớp chữ"):
        text_of("scan.pdf", buffer.getvalue())


def test_xlsx_list(app):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Số CCCD", "Điện thoại"])
    workbook.active.append(["Trần Thị Bình", "022190004321", "0987654321"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    text = text_of("ds.xlsx", buffer.getvalue())
    assert "Trần Thị Bình\t022190004321\t0987654321" in text


def test_encodings(app):
    assert decode("Nguyễn".encode("utf-16")) == "Nguyễn"
    assert decode("Nguyễn".encode("utf-8-sig")) == "Nguyễn"
    assert unicodedata.normalize("NFC", decode("Văn Tư".encode("cp1258"))) == "Văn Tư"
    with pytest.raises(ExtractError, match="bảng mã"):
        decode("Nguyễn ".encode() + "Văn".encode("cp1258") + b"\x8f")
    with pytest.raises(ExtractError, match=r"\.txt, \.docx"):
        text_of("anh.png", b"\x89PNG")
