"""The Excel template: one row per option; a question's own columns on its first row.

Columns (first row, in any order): ``Mã câu`` (rows with the same or an empty code continue the
question above), ``Loại`` (single | multiple | true_false), ``Bài học`` (lesson file or slug), ``Thẻ``
(comma separated), ``Đề bài``, ``Phương án``, ``Đúng`` (x / có / 1 / true for a correct option),
``Phản hồi``, ``Giải thích``, ``Trích dẫn`` (keys separated by commas or spaces).
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from learning.catalog.interchange import MAX_BYTES, Choice, Item, Parsed, tidy

COLUMNS = ("Mã câu", "Loại", "Bài học", "Thẻ", "Đề bài", "Phương án", "Đúng", "Phản hồi", "Giải thích",
           "Trích dẫn")
_KINDS = {"single": "single", "multiple": "multiple", "true_false": "true_false", "một lựa chọn": "single",
          "nhiều lựa chọn": "multiple", "đúng/sai": "true_false"}
_YES = {"x", "có", "1", "true", "đúng", "yes"}


def _cell(value: object) -> str:
    return tidy(str(value)) if value is not None else ""


def parse(data: bytes) -> Parsed:
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.problems.append((1, f"tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB"))
        return parsed
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        parsed.problems.append((1, f"không đọc được tệp Excel: {error}"))
        return parsed
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        parsed.problems.append((1, f"thiếu cột: {', '.join(missing)}"))
        return parsed
    at = {name: header.index(name) for name in COLUMNS}
    item, code = None, None
    for number, row in enumerate(rows, start=2):
        values = {name: _cell(row[i]) if i < len(row) else "" for name, i in at.items()}
        if not any(values.values()):
            continue
        if item is None or (values["Mã câu"] and values["Mã câu"] != code):
            item, code = _start(parsed, number, values), values["Mã câu"]
        if item is not None and values["Phương án"]:
            item.options.append(Choice(values["Phương án"], values["Đúng"].lower() in _YES, values["Phản hồi"]))
    return parsed


def _start(parsed: Parsed, number: int, values: dict[str, str]) -> Item | None:
    kind = _KINDS.get(values["Loại"].lower())
    if kind is None:
        parsed.problems.append((number, f"loại câu hỏi “{values['Loại']}” không có; dùng single, multiple "
                                        "hoặc true_false"))
        return None
    tags = [t.strip() for t in values["Thẻ"].split(",") if t.strip()]
    cite = [k for k in re.split(r"[,\s]+", values["Trích dẫn"]) if k]
    item = Item(number, kind, values["Mã câu"], values["Đề bài"], [], values["Giải thích"], cite,
                [values["Bài học"].removesuffix(".md")] if values["Bài học"] else [], tags)
    parsed.items.append(item)
    return item


def dump(items: list[Item]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    sheet.append(COLUMNS)
    for item in items:
        lesson = item.category[1] if len(item.category) > 1 else ""
        tags = ", ".join(item.category[2:])
        for i, option in enumerate(item.options):
            head = [item.title, item.kind, lesson, tags, item.stem] if i == 0 else ["", "", "", "", ""]
            tail = [item.explanation, " ".join(item.cite)] if i == 0 else ["", ""]
            sheet.append([*head, option.text, "x" if option.correct else "", option.feedback, *tail])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
