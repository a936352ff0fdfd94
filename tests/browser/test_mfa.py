"""Two-step verification in Chromium: enrol from the QR page, keep the recovery codes, sign in with a code."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from learning.auth import mfa
from learning.auth.models import Account, AccountStatus
from learning.extensions import db
from learning.org.models import Category, Person, Unit
from tests.browser.conftest import axe_violations, log_in, open_menu

pytestmark = pytest.mark.browser
PASSWORD = "Mat-khau-Hai-Buoc-2026"


@pytest.fixture
def person_code(live_app) -> str:
    """A fresh account of the live site (the demo accounts stay without MFA for the other tests)."""
    with live_app.app_context():
        unit = db.session.scalars(select(Unit).order_by(Unit.id)).first()
        person = Person(employee_code="MFA-01", middle_name="Trần Thị", given_name="Hai", unit=unit,
                        category=Category.CIVIL_SERVANT)
        db.session.add(person)
        db.session.commit()
        account = db.session.scalar(select(Account).where(Account.person_id == person.id)) or Account(person=person)
        account.set_password(PASSWORD)
        account.status = AccountStatus.ACTIVE.value
        db.session.add(account)
        db.session.commit()
    return "MFA-01"


def code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).generate_otp(mfa.current_step() + offset)


def test_enrol_then_sign_in_with_a_code(page, person_code):
    log_in(page, person_code, PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Xác thực hai bước").click()
    page.get_by_role("link", name="Bật xác thực hai bước").click()
    image = page.get_by_role("img", name=re.compile("Mã QR"))
    # loaded, waiting for it on a busy machine
    assert image.evaluate("img => (img.complete && img.naturalWidth > 0) || new Promise(done => {"
                          " img.addEventListener('load', () => done(img.naturalWidth > 0));"
                          " img.addEventListener('error', () => done(false)); })")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Mã xác thực").fill(code(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    open_menu(page)
    page.get_by_role("button", name=re.compile("Đăng xuất")).click()

    log_in(page, person_code, PASSWORD)
    page.wait_for_url("**/dang-nhap/ma-xac-thuc")
    assert axe_violations(page) == []
    page.get_by_label("Mã xác thực").fill("000000" if code(secret, 1) != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    assert "không đúng" in page.locator(".error").inner_text()
    page.get_by_label("Mã xác thực").fill(code(secret, 1))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/")
    assert "Xin chào" in page.get_by_role("heading", level=1).inner_text()
