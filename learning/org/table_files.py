"""An uploaded table (Excel .xlsx or CSV) read safely into a DataFrame of text and dates.

What the staff import needs before it looks at a single row: the file is what its name says (a PDF or
a photo renamed .xlsx is named as such), a workbook is no zip bomb and has no evaluated formulas, the
CSV is UTF-8, and the size stays within bounds. Every refusal says what to do instead.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

import pandas as pd
from flask_babel import gettext, lazy_gettext
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024  # refuses zip bombs before openpyxl inflates them
MAX_XLSX_ENTRIES = 10_000
MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 15  # a title block ("DANH SÁCH CÁN BỘ…") may sit above the header row


class ImportRejected(Exception):
    """The file as a whole cannot be read (not a spreadsheet, empty, missing columns)."""


def header_key(text: object) -> str:
    """A header or a word as people write it: case, spaces and Unicode composition do not matter."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


@dataclass(frozen=True)
class Headers:
    """The header row an import looks for: ``names`` maps ``header_key(header)`` → column name;
    ``missing(found)`` gives the labels of the required columns a row lacks (empty: the row is the header);
    ``expected`` lists the required columns for the message when no row has them all."""

    names: Mapping[str, str]
    missing: Callable[[set[str]], list[str]]
    expected: str


def read_table(data: bytes, filename: str, headers: Headers | None = None) -> pd.DataFrame:
    """The table under its header row; the frame's index is each row's number as the spreadsheet shows it.

    Without ``headers`` the first row is the header. With them, the header is the first of the first
    ``HEADER_SEARCH_ROWS`` rows that has every required column; if none has, the refusal names the columns
    needed and what the closest row has.
    """
    rows = _read_rows(data, filename)
    if not any(_filled(row) for row in rows[:HEADER_SEARCH_ROWS if headers else 1]):
        raise ImportRejected(gettext("Tệp không có dòng tiêu đề. Hãy dùng tệp mẫu."))
    at = 0 if headers is None else _header_row(rows, headers)
    header = rows[at]
    labels = [clean_label(h) if h not in (None, "") else f"(cột {i + 1})" for i, h in enumerate(header)]
    body = []
    for row in rows[at + 1:]:
        if len(row) > len(labels) and _filled(row[len(labels):]):
            raise ImportRejected(gettext("Không đọc được tệp CSV: hãy kiểm tra dấu phân cách là dấu phẩy."))
        body.append(list(row[: len(labels)]) + [None] * (len(labels) - len(row)))
    if len(body) > MAX_ROWS:
        raise ImportRejected(gettext("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.",
                                     n=format(MAX_ROWS, ",").replace(",", ".")))
    frame = pd.DataFrame(body, columns=labels, dtype=object)
    frame.index = pd.RangeIndex(at + 2, at + 2 + len(body))
    return frame


def clean_label(value: object) -> str:
    return " ".join(str(value).split())


def _filled(cells) -> bool:
    return any(c is not None and str(c).strip() != "" for c in cells)


def _header_row(rows: list[list[object]], headers: Headers) -> int:
    """The index of the header row, or ImportRejected saying what was expected and what was found where."""
    best: tuple[int, list[str], list[str]] | None = None  # (row index, headers found, columns missing)
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {headers.names[k]: clean_label(c) for c in row if (k := header_key(c)) in headers.names}
        missing = headers.missing(set(found))
        if not missing:
            return at
        if found and (best is None or len(found) > len(best[1])):
            best = (at, list(dict.fromkeys(found.values())), missing)
    if best is not None:
        at, found, missing = best
        raise ImportRejected(gettext("Thiếu cột bắt buộc: %(missing)s. Dòng tiêu đề tìm thấy là dòng %(line)s, có các "
                                     "cột: %(found)s. Dòng tiêu đề phải có đủ: %(expected)s (trong %(n)s dòng đầu "
                                     "của tệp). Hãy dùng tệp mẫu.", missing=", ".join(missing), line=at + 1,
                                     found=", ".join(found), expected=headers.expected, n=HEADER_SEARCH_ROWS))
    at, first = next((at, row) for at, row in enumerate(rows) if _filled(row))
    text = " | ".join(clean_label(c) for c in first if c is not None and str(c).strip())
    raise ImportRejected(gettext("Không tìm thấy dòng tiêu đề trong %(n)s dòng đầu của tệp: cần một dòng có các cột "
                                 "%(expected)s. Dòng %(line)s ghi: “%(text)s”. Hãy dùng tệp mẫu.",
                                 n=HEADER_SEARCH_ROWS, expected=headers.expected, line=at + 1,
                                 text=text if len(text) <= 120 else text[:119] + "…"))


def _read_rows(data: bytes, filename: str) -> list[list[object]]:
    """Every row of the file (the first sheet of a workbook), refusing what is no usable table."""
    name = filename.lower()
    if not data.strip():
        raise ImportRejected(gettext("Tệp rỗng: hãy chọn tệp danh sách có dòng tiêu đề và dữ liệu."))
    if name.endswith(".csv"):
        _refuse_binary(data, "CSV (.csv)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected(gettext("Tệp CSV phải được lưu với mã hóa UTF-8 "
                                         "(trong Excel: “CSV UTF-8”).")) from None
        try:
            return list(islice(csv.reader(io.StringIO(text, newline="")), MAX_ROWS + HEADER_SEARCH_ROWS + 1))
        except csv.Error:
            raise ImportRejected(gettext("Không đọc được tệp CSV: hãy kiểm tra dấu phân cách là dấu phẩy.")) from None
    if name.endswith(".xlsx"):
        _check_xlsx(data)
        return _read_xlsx(data)
    raise ImportRejected(gettext("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def _read_xlsx(data: bytes) -> list[list[object]]:
    """The rows of the first sheet, from row 1; a formula cell is read as its text ("=…"), never evaluated.

    A sheet without formulas (the usual staff list) is read by calamine, ten times faster than
    openpyxl on 60,000 rows; one with formulas by openpyxl, which gives their text.
    """
    try:
        if _has_formulas(data):
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            rows = workbook.worksheets[0].iter_rows(values_only=True)
        else:
            workbook = None
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            rows = ([_as_openpyxl(v) for v in r] for r in sheet.iter_rows())
        # One row past the cap is enough to refuse the file: a million-row sheet is never read whole.
        result = [list(r) for r in islice(rows, MAX_ROWS + HEADER_SEARCH_ROWS + 1)]
        if workbook is not None:
            workbook.close()
    except Exception:  # noqa: BLE001 - any parse failure means "not a usable workbook"
        raise ImportRejected(gettext("Không đọc được tệp Excel: hãy lưu lại dưới dạng .xlsx rồi tải lên.")) from None
    return result


def _as_openpyxl(value: object) -> object:
    """A calamine cell value as openpyxl gives it: empty is None, a date is a datetime at midnight."""
    if value == "":
        return None
    if type(value) is date:
        return datetime(value.year, value.month, value.day)
    return value


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of the (already size-checked) archive has a formula cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


# Leading bytes of files people pick by mistake, so the message can say what the file really is.
SIGNATURES = {b"%PDF-": "PDF", b"MZ": lazy_gettext("chương trình (.exe)"), b"\x89PNG": lazy_gettext("ảnh PNG"),
              b"\xff\xd8\xff": lazy_gettext("ảnh JPEG"), b"GIF8": lazy_gettext("ảnh GIF"),
              b"PK\x03\x04": lazy_gettext("tệp nén (.zip, .xlsx, .docx)"),
              b"\xd0\xcf\x11\xe0": lazy_gettext("Excel/Word đời cũ (.xls, .doc)"), b"Rar!": lazy_gettext("tệp nén RAR")}


def _sniffed(data: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def _refuse_binary(data: bytes, expected: str) -> None:
    kind = _sniffed(data)
    if kind is not None:
        raise ImportRejected(gettext("Tệp có đuôi %(expected)s nhưng nội dung là %(kind)s. Hãy chọn đúng tệp danh "
                                     "sách (Excel .xlsx hoặc CSV UTF-8).", expected=expected, kind=kind))


def _check_xlsx(data: bytes) -> None:
    """Refuse what is not an .xlsx, and zip bombs, from the archive's directory alone (nothing inflated).

    zipfile never inflates an entry past its declared size, so the sum of declared sizes bounds the work;
    only deflate/stored entries are accepted (bzip2/LZMA chunks inflate without a limit).
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(gettext("Tệp Excel đời cũ (.xls): hãy mở bằng Excel và lưu lại dưới dạng .xlsx "
                                     "rồi tải lên."))
    if not data.startswith(b"PK"):
        kind = _sniffed(data)
        raise ImportRejected(gettext("Tệp không phải bảng tính Excel (.xlsx) hợp lệ: nội dung là %(kind)s.", kind=kind)
                             if kind else gettext("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportRejected(gettext("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")) from None
    if "xl/workbook.xml" not in {info.filename for info in entries}:
        raise ImportRejected(gettext("Tệp nén này không phải bảng tính Excel (.xlsx) (ví dụ: tệp Word hoặc .zip)."))
    too_big = sum(info.file_size for info in entries) > MAX_XLSX_UNCOMPRESSED or len(entries) > MAX_XLSX_ENTRIES
    if too_big or any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in entries):
        raise ImportRejected(gettext("Tệp Excel giải nén ra quá lớn; hãy bỏ các trang tính và định dạng thừa."))
