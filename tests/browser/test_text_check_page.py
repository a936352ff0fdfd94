"""The text-check page in a real browser: a plain form post without JavaScript, with it, at phone and desk widths;
axe-core (WCAG 2.1 AA) finds nothing, and nothing is wider than the screen."""

import os

import pytest

from tests.browser.conftest import axe_violations, log_in, open_menu

pytestmark = pytest.mark.browser

PETITION = ("Kính gửi UBND phường Hồng Gai.\nTôi là Nguyễn Văn An, CCCD 022085001234, SĐT 0912 345 678, "
            "e-mail an.nguyen@example.com. Tài liệu MẬT, mật khẩu: Hoa-sen-2026.\n")
SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.mark.parametrize("javascript", [False, True])
@pytest.mark.parametrize("width", [390, 1366])
def test_a_petition_is_checked_and_redacted(browser, live_server, javascript, width):
    context = browser.new_context(base_url=live_server, locale="vi-VN", java_script_enabled=javascript,
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, "DEMO-QT")
    open_menu(page)
    page.get_by_role("link", name="Kiểm tra văn bản").first.click()
    assert page.get_by_role("heading", name="Kiểm tra văn bản trước khi dùng AI").is_visible()
    page.get_by_label("Văn bản cần kiểm tra").fill(PETITION)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert page.get_by_role("heading", name="Kết quả").is_visible()
    redacted = page.get_by_label("Bản đã che (sao chép để dùng)").input_value()
    assert "[SỐ CCCD]" in redacted and "[HỌ TÊN]" in redacted and "022085001234" not in redacted
    assert page.locator("mark.tc-cccd").inner_text() == "Số CCCD: 022085001234"
    assert page.get_by_role("link", name="khoản 3 Điều 5", exact=False).count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/text-check-{width}-{'js' if javascript else 'nojs'}.png", full_page=True)
    if javascript:  # axe runs in the page
        assert axe_violations(page) == []
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_page_fits_320_px_and_its_errors_are_accessible(page):
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, "DEMO-QT")
    page.goto("/kiem-tra-van-ban")
    assert axe_violations(page) == []  # the empty state
    page.get_by_label("Văn bản cần kiểm tra").fill(PETITION * 3)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Văn bản cần kiểm tra").fill("   ")
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert page.get_by_role("alert").inner_text().startswith("Chưa có văn bản để kiểm tra")
    assert axe_violations(page) == []
