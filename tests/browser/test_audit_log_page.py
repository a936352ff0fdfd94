"""The audit log in a real browser at phone and desk widths: names and Vietnamese labels, the filters, the
CSV download without JavaScript; axe-core (WCAG 2.1 AA) finds nothing and the page is no wider than the screen."""

import os

import pytest

from tests.browser.conftest import axe_violations, log_in, open_menu

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_an_administrator_reads_and_filters_the_log(browser, live_server, width):
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, "DEMO-QT")
    page.wait_for_url(lambda url: "/dang-nhap" not in url)  # the home page, before its menu is opened
    open_menu(page)
    page.locator("nav.main-nav").get_by_role("link", name="Nhật ký", exact=True).click()
    assert page.get_by_role("heading", name="Nhật ký hệ thống").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # every kind of event the seed wrote
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/audit-log-all-{width}.png", full_page=True)
    page.get_by_label("Loại sự kiện").select_option(label="Đăng nhập")
    page.get_by_label("Cán bộ (họ tên hoặc mã)").fill("DEMO-QT")
    page.get_by_label("Từ ngày").fill("01/01/2020")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/quan-tri/nhat-ky?nguoi=DEMO-QT*")
    rows = page.locator("table.audit-log tbody tr")
    rows.first.wait_for()
    first = rows.first.inner_text()
    assert "Đăng nhập" in first and "(DEMO-QT)" in first and "auth.login" not in first
    assert "Cách thức:" in first and "{" not in first
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/audit-log-{width}.png", full_page=True)
    assert axe_violations(page) == []
    page.get_by_label("Từ ngày").fill("31/02/2020")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**tu-ngay=31%2F02%2F2020*")
    assert "Ngày không hợp lệ" in page.get_by_label("Từ ngày").evaluate(
        "el => document.getElementById(el.getAttribute('aria-describedby')).textContent")
    assert axe_violations(page) == []
    context.close()


def test_the_filtered_log_downloads_as_csv_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=False,
                                  accept_downloads=True)
    page = context.new_page()
    log_in(page, "DEMO-QT")
    page.goto("/quan-tri/nhat-ky?hanh-dong=auth.login")
    page.get_by_role("link", name="Tải về CSV các sự kiện đang lọc").click()
    assert page.get_by_role("heading", name="Mục đích xuất dữ liệu").is_visible()
    page.get_by_label("Mục đích xuất dữ liệu").select_option(label="Lưu hồ sơ, minh chứng của đơn vị")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải về").click()
    assert download.value.suggested_filename == "nhat-ky-he-thong.csv"
    text = open(download.value.path(), encoding="utf-8-sig").read()
    lines = text.splitlines()
    assert lines[0].startswith("Thời điểm,Người thực hiện,Sự kiện,Mã sự kiện")
    assert len(lines) > 1 and all(",Đăng nhập,auth.login," in line for line in lines[1:])
    context.close()
