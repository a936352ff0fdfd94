"""Form fields shared by every form: dates typed the Vietnamese way.

``<input type=date>`` shows and reads the date in the browser's locale (12/03 is 12 March on a
Vietnamese PC and 3 December on an English one), so date fields are text fields that always show
dd/mm/yyyy and accept what people type or paste: d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ISO yyyy-mm-dd.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext
from wtforms import Field
from wtforms.widgets import TextInput

from learning.core.dates import format_date

DATE_HINT = "dd/mm/yyyy"
DATE_ERROR = lazy_gettext("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 03/12/2026")
MIN_YEAR, MAX_YEAR = 1900, 2200  # a date outside is a typo in any form of the platform

_DAY_FIRST = re.compile(r"([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_local_date(text: str | None) -> date:
    """"05/03/2027", "5/3/2027", "05-03-2027", "05.03.2027" or "2027-03-05" → 5 March 2027.

    Day first unless the year comes first (ISO); a two-digit year is refused rather than guessed.
    Raises ValueError for anything else, including dates that do not exist (31/02/2027)."""
    value = (text or "").strip()
    if found := _DAY_FIRST.fullmatch(value):
        day, _, month, year = found.groups()
    elif found := _ISO.fullmatch(value):
        year, month, day = found.groups()
    else:
        raise ValueError(text)
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValueError(text)
    return date(int(year), int(month), int(day))


class LocalDateField(Field):
    """A date shown as dd/mm/yyyy in a text box; an unreadable value is a field error in plain Vietnamese.

    The box keeps the ordinary text keyboard on phones: the numeric pads of ``inputmode=numeric`` and
    ``decimal`` have no "/" on iOS. ``description`` is the hint the ``field`` macro prints under the label."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("description", DATE_HINT)
        render_kw = {"class": "date", "autocomplete": "off", "spellcheck": "false", "maxlength": 20}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if isinstance(self.data, date):  # also what was typed as 5/3/2027 or 2027-03-05: shown as 05/03/2027
            return format_date(self.data)
        return self.raw_data[0] if self.raw_data else ""  # an unreadable value is shown back with its error

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        self.raw_data = [text]  # blanks are no input: InputRequired asks for the date, Optional lets it be
        if not text:
            self.data = None
            return
        try:
            self.data = parse_local_date(text)
        except ValueError:
            self.data = None
            raise ValueError(str(DATE_ERROR)) from None
