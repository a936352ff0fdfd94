"""The assignment form in a browser (issue 18 items 10 and 11): dates stay dd/mm/yyyy on an English PC."""

from datetime import date

import pytest
from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.core.dates import local_today
from learning.extensions import db
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_dates_stay_day_first_in_an_english_browser(browser, live_app, live_server, live_course):
    context = browser.new_context(base_url=live_server, locale="en-US", timezone_id="America/New_York")
    page = context.new_page()
    log_in(page, "DEMO-TCCB")
    page.goto("/giao-hoc/moi")
    start = page.get_by_label("Ngày bắt đầu", exact=True)
    assert start.get_attribute("type") == "text"
    assert start.input_value() == f"{local_today():%d/%m/%Y}"
    assert page.locator("#starts_on-hint").inner_text() == "dd/mm/yyyy"
    page.get_by_label("Khóa học").select_option(label="Khóa học thử")
    page.locator("#unit_code").fill("TTT")
    page.get_by_label("Kỳ (năm)", exact=True).fill("2031")
    start.fill("1/3/2031")
    page.get_by_label("Hạn hoàn thành", exact=True).fill("12/03/2031")  # 12 March, not 3 December
    page.get_by_role("button", name="Giao khóa học").click()
    assert "Đã giao khóa học" in page.content()
    with live_app.app_context():
        stored = db.session.scalar(select(Assignment).where(Assignment.period == 2031))
        assert (stored.starts_on, stored.due_on) == (date(2031, 3, 1), date(2031, 3, 12))
    context.close()
