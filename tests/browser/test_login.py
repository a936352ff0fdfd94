import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def test_learner_logs_in_through_the_real_page_and_home_passes_axe(page):
    log_in(page, "DEMO-HV")
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Nguyễn Thị Lan"
    assert axe_violations(page) == []


def test_wrong_password_shows_the_generic_error(page):
    log_in(page, "DEMO-HV", "sai-mat-khau")
    assert page.get_by_role("alert").inner_text().strip() == "Mã cán bộ/e-mail hoặc mật khẩu không đúng."
    assert axe_violations(page) == []


@pytest.mark.parametrize("code", ["DEMO-TCCB", "DEMO-TT"])
def test_hr_and_unit_head_see_their_units(page, code):
    log_in(page, code)
    page.wait_for_url("**/")
    assert page.get_by_role("table").count() >= 1
    page.get_by_role("link", name="Cán bộ", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cán bộ")
    assert axe_violations(page) == []


def test_keyboard_only_sign_in(page):
    page.goto("/dang-nhap")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "identifier":
            break
        page.keyboard.press("Tab")
    page.keyboard.type("DEMO-HV")
    page.keyboard.press("Tab")
    page.keyboard.type("Demo@2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "Xin chào" in page.get_by_role("heading", level=1).inner_text()
