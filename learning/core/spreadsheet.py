"""Excel and CSV exports: formatted header, frozen first row, real dates, no formula injection.

In Excel a text starting with = + - @ is written as a text cell (never a formula); in CSV, which
has no cell types, it gets the customary leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from learning.core.text import neutralise_formula

HEADER_FILL = PatternFill("solid", fgColor="9B1C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def add_sheet(workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[object]],
              widths: Sequence[int] | None = None) -> None:
    """Append a sheet; text cells that look like formulas are stored as text."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, row in enumerate(rows, start=2):
        sheet.append(list(row))
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                sheet.cell(index, column).data_type = "s"  # text, never a formula
    for column, header in enumerate(headers, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = (widths[column - 1] if widths else max(12, len(header) + 4))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


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
    return "" if value is None else neutralise_formula(value)
