"""Sign-in through the province's OpenID provider (node-oidc-provider, tests/oidc) in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations
from tests.oidc.provider import running_provider

pytestmark = pytest.mark.browser

LAN = {"employee_code": "DEMO-HV", "name": "Nguyễn Thị Lan"}  # a demo learner (demo seed)


@pytest.fixture(scope="module")
def provider(live_app, live_server, tmp_path_factory):
    """The provider, and the live site configured for it (the configuration is put back afterwards)."""
    with running_provider(tmp_path_factory.mktemp("oidc-browser"), f"{live_server}/dang-nhap/oidc/callback",
                          f"{live_server}/dang-nhap") as provider:
        settings = provider.config(OIDC_CODE_CLAIM="employee_code")
        saved = {key: live_app.config.get(key) for key in settings}
        live_app.config.update(settings)
        provider.set_accounts({"lan-sub": LAN})
        yield provider
        live_app.config.update(saved)


def test_signs_in_through_the_providers_form_lands_home_and_logs_out_there(page, provider, live_server):
    page.goto("/dang-nhap")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Đăng nhập bằng tài khoản của tỉnh").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.locator('input[name="login"]').fill("lan-sub")
    page.locator('input[name="password"]').fill("mat-khau-o-tinh")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Nguyễn Thị Lan"

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")  # the provider's own log-out confirmation
    page.locator("button[autofocus], button[type=submit]").first.click()
    page.wait_for_url(f"{live_server}/dang-nhap**")
    assert "Bạn đã đăng xuất." in page.content()
    page.goto("/")
    assert "/dang-nhap" in page.url  # signed out here as well


def test_unknown_subject_sees_whom_to_ask(page, provider, live_server):
    provider.set_accounts({"lan-sub": LAN, "khach-sub": {"employee_code": "KHONG-CO-AI"}})
    page.goto("/dang-nhap")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản của tỉnh").click()
    page.locator('input[name="login"]').fill("khach-sub")
    page.locator('input[name="password"]').fill("x")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{live_server}/dang-nhap/oidc/callback**")
    assert "bộ phận tổ chức cán bộ của đơn vị bạn" in page.get_by_role("alert").inner_text()
    assert "KHONG-CO-AI" in page.content()
    assert axe_violations(page) == []
