"""The fast paths of the staff import read and validate exactly what the slow ones would."""

import io
from datetime import date, datetime

import pytest
from email_validator import EmailNotValidError, validate_email
from openpyxl import Workbook

from learning.org import importer, table_files

ADDRESSES = [
    "lan.nt@tinh.gov.vn", "Lan.NT@Tinh.Gov.VN", "a+b_c%d-e@so-tu-phap.quangninh.gov.vn", "x@y.vn",
    ".lan@tinh.gov.vn", "lan.@tinh.gov.vn", "la..n@tinh.gov.vn", "lan@tinh", "lan@-tinh.gov.vn",
    "lan@tinh-.gov.vn", "lan@tinh..gov.vn", "lan@localhost", "lan@tinh.test", "lan@tinh.invalid",
    "lan@123.456", "lan@tinh.gov.v", "lan@" + "a" * 64 + ".vn", "l" * 64 + "@tinh.gov.vn", "l" * 65 + "@tinh.gov.vn",
    "nguyễn@tinh.gov.vn", "lan@tỉnh.vn", "\"lan\"@tinh.gov.vn", "lan@[127.0.0.1]", "lan@@tinh.gov.vn",
    "lan tinh@gov.vn", "postmaster@tinh.gov.vn", "lan@tinh.gov.vn.", "a@" + ".".join(["b" * 60] * 4) + ".vn",
]


def reference(address: str) -> str | None:
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


@pytest.mark.parametrize("address", ADDRESSES)
def test_email_fast_path_agrees_with_validate_email(address):
    try:
        ours = importer.normal_email(address)
    except EmailNotValidError:
        ours = None
    assert ours == reference(address)


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_sheet_without_formulas_reads_as_openpyxl_would(monkeypatch):
    data = workbook([
        [None, None, None, None],
        ["Mã cán bộ", None, "Ngày sinh", "Tên"],
        [12345, "x", datetime(1979, 1, 2), "Lan"],
        ["CB2", True, date(1980, 5, 6), None],
        [None, None, None, None],
        ["CB3", 2.5, "05/09/1988", "Bình"],
    ])
    fast = table_files._read_xlsx(data)
    monkeypatch.setattr(table_files, "_has_formulas", lambda _data: True)
    slow = table_files._read_xlsx(data)
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert [importer._text(v) for v in a] == [importer._text(v) for v in b]
        assert [importer._date(v) if isinstance(v, date) else None for v in a] == \
               [importer._date(v) if isinstance(v, date) else None for v in b]


def test_a_sheet_with_formulas_is_read_by_openpyxl():
    assert table_files._has_formulas(workbook([["Mã cán bộ", "Vị trí"], ["CB1", "=HYPERLINK(\"x\")"]]))
    assert not table_files._has_formulas(workbook([["Mã cán bộ", "Vị trí"], ["CB1", "'=HYPERLINK"]]))
