"""The date field of every form: shows dd/mm/yyyy, accepts what people type or paste, refuses the rest."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import InputRequired, Optional

from learning.core.forms import DATE_ERROR, LocalDateField, parse_local_date


class DatesForm(Form):
    due = LocalDateField("Hạn", validators=[InputRequired("Hãy chọn hạn.")])
    left = LocalDateField("Ngày thôi việc", validators=[Optional()])


@pytest.mark.parametrize("text", ["05/03/2027", "5/3/2027", "05-03-2027", "5-3-2027", "05.03.2027", "2027-03-05",
                                  " 05 / 03 / 2027 ", "2027-3-5"])
def test_accepts_day_first_and_iso(text):
    assert parse_local_date(text) == date(2027, 3, 5)


@pytest.mark.parametrize("text", ["", "05/03/27", "31/02/2027", "13/13/2027", "03/12", "05/03-2027", "2027/03/05",
                                  "5 tháng 3 2027", "05/03/0202", "١٢/٠٣/٢٠٢٧", "05/03/20270"])
def test_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_local_date(text)


def test_day_comes_before_month_whatever_the_browser():
    assert parse_local_date("12/03/2027") == date(2027, 3, 12)


def test_field_reads_shows_and_explains():
    form = DatesForm(MultiDict({"due": "5/3/2027", "left": ""}))
    assert form.validate(), form.errors
    assert form.due.data == date(2027, 3, 5) and form.left.data is None
    html = form.due()
    assert 'type="text"' in html and 'value="05/03/2027"' in html and 'class="date"' in html
    assert 'inputmode="numeric"' not in html  # a numeric pad has no "/" on iOS
    assert form.due.description == "dd/mm/yyyy"


def test_field_shows_a_wrong_value_back_with_the_vietnamese_error():
    form = DatesForm(MultiDict({"due": "31/02/2027", "left": "hôm qua"}))
    assert not form.validate()
    assert form.due.errors == [str(DATE_ERROR)] and form.left.errors == [str(DATE_ERROR)]
    assert str(DATE_ERROR) == "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 03/12/2026"
    assert 'value="31/02/2027"' in form.due()


def test_blank_required_date_asks_for_it():
    form = DatesForm(MultiDict({"due": "  "}))
    assert not form.validate() and form.due.errors == ["Hãy chọn hạn."]


def test_a_stored_date_is_shown_dd_mm_yyyy():
    assert 'value="05/03/2027"' in DatesForm(data={"due": date(2027, 3, 5)}).due()
