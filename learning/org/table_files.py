"""An uploaded table (Excel .xlsx or CSV) read safely into a DataFrame of text and dates.

What the staff import needs before it looks at a single row: the file is what its name says (a PDF or
a photo renamed .xlsx is named as such), a workbook is no zip bomb and has no evaluated formulas, the
CSV is UTF-8, and the size stays within bounds. Every refusal says what to do instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from itertools import islice

import pandas as pd
from flask_babel import gettext, lazy_gettext
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024  # refuses zip bombs before openpyxl inflates them
MAX_XLSX_ENTRIES = 10_000
MAX_ROWS = 200_000


class ImportRejected(Exception):
    """The file as a whole cannot be read (not a spreadsheet, empty, missing columns)."""


def read_table(data: bytes, filename: str) -> pd.DataFrame:
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
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError):
            raise ImportRejected(gettext("Không đọc được tệp CSV: hãy kiểm tra dấu phân cách là dấu phẩy.")) from None
    elif name.endswith(".xlsx"):
        _check_xlsx(data)
        frame = _read_xlsx(data)
    else:
        raise ImportRejected(gettext("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    if frame.empty and len(frame.columns) == 0:
        raise ImportRejected(gettext("Tệp không có dòng tiêu đề. Hãy dùng tệp mẫu."))
    if len(frame) > MAX_ROWS:
        raise ImportRejected(gettext("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.",
                                     n=format(MAX_ROWS, ",").replace(",", ".")))
    return frame


def _read_xlsx(data: bytes) -> pd.DataFrame:
    """The first sheet; a formula cell is read as its text ("=…"), never evaluated.

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
        header = next(rows, None)
        if header is None:
            return pd.DataFrame()
        labels = [str(h) if h is not None else f"(cột {i + 1})" for i, h in enumerate(header)]
        # One row past the cap is enough to refuse the file: a million-row sheet is never read whole.
        body = [list(r[: len(labels)]) + [None] * (len(labels) - len(r)) for r in islice(rows, MAX_ROWS + 1)]
        if workbook is not None:
            workbook.close()
    except Exception:  # noqa: BLE001 - any parse failure means "not a usable workbook"
        raise ImportRejected(gettext("Không đọc được tệp Excel: hãy lưu lại dưới dạng .xlsx rồi tải lên.")) from None
    return pd.DataFrame(body, columns=labels, dtype=object)


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
