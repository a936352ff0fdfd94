"""HR imports a file → the invitation mail arrives at a real SMTP server → the person opens the link in
Chromium, sets a password, is signed in and opens a course (issue 14, "Done when")."""

from __future__ import annotations

import io
import re
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from openpyxl import Workbook

from tests.browser.conftest import axe_violations, log_in
from tests.factories import Inbox

pytestmark = pytest.mark.browser


def staff_file(tmp_path) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã cán bộ", "Họ đệm", "Tên", "Ngày sinh", "Email", "Mã đơn vị", "Vị trí việc làm", "Loại"])
    sheet.append(["MOI-001", "Kiều Thị", "Mận", "12/08/1991", "man.kt@example.gov.vn", "STP-1", "Chuyên viên",
                  "công chức"])
    sheet.append(["MOI-002", "Lò Văn", "Páo", "", "", "STP-2", "Văn thư", "Người lao động"])
    path = tmp_path / "nhan-su-moi.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.fixture
def mail_server(live_app, monkeypatch):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(live_app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(live_app.config, "MAIL_PORT", port)
    yield inbox
    controller.stop()


def test_an_imported_person_activates_from_the_mail_and_opens_a_course(browser, live_app, live_server, live_course,
                                                                       mail_server, monkeypatch, tmp_path):
    monkeypatch.setitem(live_app.config, "BASE_URL", live_server)
    hr = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    log_in(hr, "DEMO-TCCB")
    hr.goto("/can-bo/nhap")
    hr.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(staff_file(tmp_path))
    hr.get_by_role("button", name="Kiểm tra và xem trước").click()
    hr.get_by_role("button", name="Xác nhận nhập").click()
    assert "Đã nhập: 2 thêm mới" in hr.content()
    assert "Không có e-mail — in thư kích hoạt" in hr.content() and "Lò Văn Páo" in hr.content()
    assert axe_violations(hr) == []
    hr.get_by_role("button", name="Gửi 1 lời mời").click()
    hr.wait_for_url(re.compile(r"/loi-moi/cong-viec/\d+"))
    assert "Đã gửi 1 / 1 thư" in hr.content()

    assert len(mail_server.messages) == 1
    mail = message_from_bytes(mail_server.messages[0].as_bytes(), policy=policy.default)
    assert mail["To"] == "man.kt@example.gov.vn"
    link = re.search(r"https?://\S+/kich-hoat/[A-Za-z0-9_-]+", mail.get_body(("plain",)).get_content()).group(0)

    person = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    person.goto(link)
    assert "Kiều Thị Mận" in person.content()
    assert axe_violations(person) == []
    person.get_by_label("Mật khẩu mới", exact=True).fill("Hoa-sen-tim-no-som-2026")
    person.get_by_label("Nhập lại mật khẩu mới").fill("Hoa-sen-tim-no-som-2026")
    person.get_by_role("button", name="Đặt mật khẩu và vào học").click()
    person.wait_for_url(f"{live_server}/")
    assert person.get_by_role("button", name="Đăng xuất").count() == 1
    person.goto(f"/khoa-hoc/{live_course}")
    assert "Khóa học thử" in person.get_by_role("heading", level=1).inner_text()

    # The link worked once: opened again it says so and points to the log-in page.
    again = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    again.goto(link)
    assert "Tài khoản đã được kích hoạt" in again.content()
    assert again.get_by_role("link", name="Đến trang đăng nhập").count() == 1
