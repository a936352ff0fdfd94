"""HR imports staff, assigns a course, and the unit head sees the new people as not started."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


def staff_file(tmp_path) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã cán bộ", "Họ đệm", "Tên", "Ngày sinh", "Email", "Mã đơn vị", "Vị trí việc làm", "Loại"])
    sheet.append(["BT-001", "Quách Thị", "Xuyến", "02/03/1990", "", "STP-1", "Chuyên viên", "công chức"])
    sheet.append(["BT-002", "Ông Văn", "Ích", "", "", "STP-2", "Văn thư", "Người lao động"])
    path = tmp_path / "nhan-su.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_hr_imports_assigns_and_the_unit_head_sees_not_started(browser, live_server, live_course, tmp_path):
    hr = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    log_in(hr, "DEMO-TCCB")
    hr.goto("/can-bo/nhap")
    hr.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(staff_file(tmp_path))
    hr.get_by_role("button", name="Kiểm tra và xem trước").click()
    assert "Quách Thị Xuyến" in hr.content()
    hr.get_by_role("button", name="Xác nhận nhập").click()
    assert "Đã nhập: 2 thêm mới" in hr.content()
    hr.goto("/giao-hoc/moi")
    hr.get_by_label("Khóa học").select_option(label="Khóa học thử")
    hr.get_by_label("Đơn vị (áp dụng cả các đơn vị trực thuộc)").fill("STP")
    hr.get_by_label("Kỳ (năm)", exact=True).fill(str(date.today().year))
    hr.get_by_label("Ngày bắt đầu", exact=True).fill(date(date.today().year, 1, 1).isoformat())
    hr.get_by_label("Hạn hoàn thành", exact=True).fill(date(date.today().year, 12, 31).isoformat())
    hr.get_by_role("button", name="Giao khóa học").click()
    assert "Đã giao khóa học" in hr.content()

    head = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    log_in(head, "DEMO-TT")
    head.get_by_role("link", name="Tuân thủ").click()
    assert "Sở Tư pháp" in head.get_by_role("heading", level=1).inner_text()
    assert axe_violations(head) == []
    head.get_by_role("link", name="Danh sách từng người và trạng thái").click()
    rows = head.locator("tbody tr", has_text="Quách Thị Xuyến")
    # one row per enrolment: other browser tests on the same live server may have assigned more in Sở Tư pháp
    assert any("Chưa học" in text for text in rows.all_inner_texts())
    assert head.locator("tbody tr", has_text="Ông Văn Ích").count() >= 1
    assert axe_violations(head) == []
