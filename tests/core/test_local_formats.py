"""Numbers and times as the reader's language writes them; documents stay Vietnamese."""

from datetime import datetime

from flask import render_template_string
from flask_babel import force_locale

from learning.core.dates import format_datetime, format_decimal
from learning.core.i18n import vietnamese


def test_times_read_as_local_time_and_day():
    # 17:10 UTC on 02/12 is 00:10 on 03/12 in the province.
    assert format_datetime(datetime(2026, 12, 2, 17, 10)) == "00:10 ngày 03/12/2026"
    assert format_datetime(datetime(2026, 12, 2, 17, 10), "en") == "00:10, 03/12/2026"


def test_decimals_follow_the_language():
    assert format_decimal(1234.5) == "1.234,5"
    assert format_decimal(1234.5, 1, "en") == "1,234.5"


def test_page_filters_follow_the_reader_and_documents_stay_vietnamese(app):
    template = "{{ 0.892|percent(1) }} {{ 1234.5|vn_decimal }} {{ at|vn_datetime }}"
    at = datetime(2026, 12, 2, 17, 10)
    with app.test_request_context("/"):
        assert render_template_string(template, at=at) == "89,2% 1.234,5 00:10 ngày 03/12/2026"
        with force_locale("en"):
            assert render_template_string(template, at=at) == "89.2% 1,234.5 00:10, 03/12/2026"
            with vietnamese():
                assert render_template_string(template, at=at) == "89,2% 1.234,5 00:10 ngày 03/12/2026"
