"""The export purpose form works without JavaScript; the personal-data pages pass axe (WCAG 2.1 AA)."""

import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_hr_exports_the_staff_list_with_a_purpose_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=False,
                                  accept_downloads=True)
    hr = context.new_page()
    log_in(hr, "DEMO-TCCB")
    hr.goto("/can-bo")
    hr.get_by_role("link", name="Xuất CSV").click()
    assert hr.get_by_role("heading", name="Mục đích xuất dữ liệu").is_visible()
    hr.get_by_role("button", name="Tải về").click()  # nothing chosen: the form says what is missing
    assert "Hãy chọn mục đích xuất dữ liệu." in hr.content()
    hr.get_by_label("Mục đích xuất dữ liệu").select_option(label="Rà soát, đối chiếu danh sách cán bộ")
    with hr.expect_download() as download:
        hr.get_by_role("button", name="Tải về").click()
    assert download.value.suggested_filename == "can-bo.csv"
    context.close()


def test_the_purpose_form_my_data_and_the_retention_page_are_accessible(page):
    log_in(page, "DEMO-QT")  # axe runs in the page, so this one keeps JavaScript on
    for url, heading in (("/can-bo/xuat.csv", "Mục đích xuất dữ liệu"),
                         ("/du-lieu-cua-toi", "Dữ liệu hệ thống lưu về tôi"),
                         ("/quan-tri/luu-tru-du-lieu", "Thời hạn lưu trữ dữ liệu")):
        page.goto(url)
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
        assert axe_violations(page) == [], url
