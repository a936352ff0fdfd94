"""The Open Badges credential of a demo certificate, pasted into the public verify page on a phone: the page says
it is valid, and axe-core (WCAG 2.1 AA) finds nothing on the form or the result."""

import pytest
from sqlalchemy import select

from learning.certification.models import Certificate, StoredStatus
from learning.core.dates import local_today
from learning.extensions import db
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_a_pasted_credential_is_checked_on_a_phone(browser, site):
    app, url = site
    with app.app_context():
        cert = db.session.scalars(select(Certificate).where(Certificate.stored_status == StoredStatus.VALID,
                                                            Certificate.valid_until > local_today())).first()
        assert cert is not None, "demo seed issues valid certificates"
        code, serial = cert.code, cert.serial
    context = browser.new_context(base_url=url, locale="vi-VN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, accept_downloads=True)
    page = context.new_page()
    page.goto(f"/xac-thuc/{code}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Chứng nhận số Open Badges 3.0 (.jwt)").click()
    token = open(download.value.path()).read()
    assert token.count(".") == 2
    page.goto("/xac-thuc")
    assert axe_violations(page) == []
    page.get_by_label("Chứng nhận Open Badges (dán nội dung tệp .jwt)").fill(token)
    page.get_by_role("button", name="Kiểm tra chứng nhận số").click()
    assert page.get_by_role("heading", name="Kết quả kiểm tra chứng nhận Open Badges").is_visible()
    assert page.get_by_role("status").inner_text().startswith("Hợp lệ")
    assert serial in page.content()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
