"""A unit head asks from a late person's transcript for an exemption, HR approves it, and the dashboard and
the PAR evidence count the person as exempt instead of late."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from learning.assignments import services as assignments
from learning.catalog.models import Course
from learning.core.dates import local_today
from learning.extensions import db
from learning.org.models import Category, Person, Unit
from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def past_due(live_app, live_course):
    """An assignment of the test course over Sở Tư pháp, a week past due (the people the demo seeds
    today are not counted in past periods)."""
    today = local_today()
    due = today - timedelta(days=7)
    with live_app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == live_course))
        unit = db.session.scalar(select(Unit).where(Unit.code == "STP"))
        assignments.create(by=None, course_id=course.id, unit_id=unit.id, categories=[], positions=[],
                           period=today.year, starts_on=date(today.year, 1, 1), due_on=due, note="Kiểm thử miễn")
        db.session.add(Person(employee_code="BT-MIEN", middle_name="Đỗ Thị", given_name="Nghỉ", unit=unit,
                              category=Category.CIVIL_SERVANT, joined_on=date(2015, 3, 1)))
        db.session.commit()
        return today.year, unit.id, due.strftime("%d/%m/%Y")


def _kpi(page, label: str) -> str:
    return page.locator("dl.kpis div", has=page.locator("dt", has_text=re.compile(f"^{label}$"))) \
        .locator("dd").inner_text()


def _evidence(page, year: int, unit_id: int) -> list:
    """The PAR evidence workbook of the unit, downloaded through the purpose form: its "Số liệu" row."""
    page.goto(f"/cchc/{year}/don-vi/{unit_id}")
    page.get_by_role("link", name="Bảng Excel (từng người, từng tiêu chí)").click()
    page.get_by_label("Mục đích xuất dữ liệu").select_option("cchc")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải về").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = book["Số liệu"]
    return {sheet.cell(1, c).value: sheet.cell(2, c).value for c in range(1, sheet.max_column + 1)}


def test_unit_head_requests_an_exemption_and_hr_approves_it(browser, live_server, past_due):
    year, unit_id, due = past_due
    dashboard = f"/tuan-thu?don-vi={unit_id}&nam={year}"
    head = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    log_in(head, "DEMO-TT")
    head.goto(dashboard)
    required_before = int(_kpi(head, "Lượt phải học"))
    assert _kpi(head, "Được miễn").startswith("0 lượt")
    late_link = head.locator(".late-list a", has_text="Đỗ Thị Nghỉ")
    name = late_link.inner_text()
    late_link.click()
    assert head.get_by_role("heading", level=1).inner_text() == f"Hồ sơ học tập — {name}"
    assert axe_violations(head) == []
    row = head.locator("tbody tr", has_text="Khóa học thử").filter(has_text=due)
    assert "Quá hạn" in row.inner_text()
    row.get_by_role("link", name="Miễn").click()
    assert axe_violations(head) == []
    head.get_by_label("Lý do").select_option(label="Đã học tương đương")
    head.get_by_role("button", name="Gửi đề nghị").click()
    assert "cần minh chứng" in head.content()  # the evidence is required for this reason
    head.get_by_label(re.compile("^Minh chứng")).fill("Giấy chứng nhận số 12/GCN-TCT ngày 05/3/2025")
    head.get_by_role("button", name="Gửi đề nghị").click()
    assert "Đã gửi đề nghị" in head.content()
    assert "chờ duyệt" in head.locator("tbody tr", has_text="Khóa học thử").filter(has_text=due).first.inner_text()
    head.goto(dashboard)
    assert int(_kpi(head, "Lượt phải học")) == required_before  # nothing changes before HR decides

    hr = browser.new_context(base_url=live_server, locale="vi-VN", accept_downloads=True).new_page()
    log_in(hr, "DEMO-TCCB")
    before = _evidence(hr, year, unit_id)
    hr.goto("/ngoai-le")
    assert axe_violations(hr) == []
    waiting = hr.locator("tbody tr", has_text=name)
    assert "Đã học tương đương" in waiting.inner_text() and "12/GCN-TCT" in waiting.inner_text()
    waiting.get_by_role("link", name=re.compile("^Duyệt")).click()
    assert "Khi duyệt, người này không còn tính vào số phải học" in hr.content()
    assert axe_violations(hr) == []
    hr.get_by_role("button", name="Xác nhận duyệt").click()
    assert f"Đã duyệt: {name}" in hr.content()
    after = _evidence(hr, year, unit_id)
    assert after["Được miễn"] == before["Được miễn"] + 1
    assert after["Lượt phải học"] == before["Lượt phải học"] - 1
    assert after["Quá hạn"] == before["Quá hạn"] - 1

    head.goto(dashboard)
    assert int(_kpi(head, "Lượt phải học")) == required_before - 1
    assert _kpi(head, "Được miễn").startswith("1 lượt")
    assert name not in head.locator(".late-list").inner_text()
