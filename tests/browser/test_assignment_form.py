"""The assignment form in a browser (issue 18 items 10 and 11): dates stay dd/mm/yyyy on an English PC; the unit
picker is a datalist that works without JavaScript; the validity field is explained."""

import os
from datetime import date

import pytest
from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.core.dates import local_today
from learning.extensions import db
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOT_DIR")


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


@pytest.mark.parametrize("width", [390, 1366])
def test_the_unit_picker_and_the_validity_hint_on_phone_and_desktop(browser, live_server, live_course, width):
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": width, "height": 844})
    page = context.new_page()
    log_in(page, "DEMO-TCCB")
    page.goto("/giao-hoc/moi")
    unit = page.get_by_label("Đơn vị (áp dụng cả các đơn vị trực thuộc)")
    assert unit.get_attribute("list") == "unit-choices"
    options = page.locator("#unit-choices option")
    assert options.count() > 20
    assert page.locator('#unit-choices option[value^="STP — Sở Tư pháp ("]').count() == 1
    assert page.get_by_label("Công nhận chứng nhận đã có (số tháng)").get_attribute("aria-describedby") \
        == "recert_months-hint"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/assignment-form-{width}.png", full_page=True)
    context.close()


def test_a_suggested_unit_is_accepted_without_javascript(browser, live_app, live_server, live_course):
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    log_in(page, "DEMO-TCCB")
    page.goto("/giao-hoc/moi")
    suggestion = page.locator('#unit-choices option[value^="TTT — "]').get_attribute("value")
    assert suggestion.startswith("TTT — Thanh tra tỉnh (")
    page.get_by_label("Khóa học").select_option(label="Khóa học thử")
    page.get_by_label("Đơn vị (áp dụng cả các đơn vị trực thuộc)").fill(suggestion)
    page.get_by_label("Kỳ (năm)", exact=True).fill("2032")
    page.get_by_label("Ngày bắt đầu", exact=True).fill("01/01/2032")
    page.get_by_label("Hạn hoàn thành", exact=True).fill("30/06/2032")
    page.get_by_label("Công nhận chứng nhận đã có (số tháng)").fill("12")
    page.get_by_role("button", name="Giao khóa học").click()
    assert "Đã giao khóa học" in page.content()
    with live_app.app_context():
        stored = db.session.scalar(select(Assignment).where(Assignment.period == 2032))
        assert (stored.unit.code, stored.recert_months) == ("TTT", 12)
    context.close()
