"""Excel and CSV exports: formatted header, frozen first row, real dates, no formula injection.

In Excel a text starting with = + - @ is written as a text cell (never a formula); in CSV, which
has no cell types, it gets the customary leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from learning.core.text import neutralise_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # the mimetype
HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def add_sheet(workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
              widths: Sequence[int] | None = None) -> None:
    """Append a sheet; text cells that look like formulas are stored as text.

    The workbook is write-only (``new_workbook``): rows stream to the file as they come, so a
    sheet of 300,000 rows neither holds 3 million cell objects nor is walked a second time.
    """
    sheet = workbook.create_sheet(title=title[:31])
    for column, header in enumerate(headers, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = (widths[column - 1] if widths else max(12, len(header) + 4))
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 1
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(headers)))}{count}"


def _cell(sheet, value: object) -> object:
    if isinstance(value, str):
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text, never a formula
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    return value


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with BOM (so Excel opens Vietnamese correctly), dates as dd/mm/yyyy."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        # Excel with a ";" list separator (the Vietnamese locale) splits a field at ";": every piece
        # that would start a formula is neutralised too, not only the field's start.
        return _AFTER_SEMICOLON.sub(r";\1'\2", neutralise_formula(value))
    return "" if value is None else neutralise_formula(value)


_AFTER_SEMICOLON = re.compile(r";(\s*)([=+\-@\t\r])")
