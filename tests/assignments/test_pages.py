import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from learning.auth.models import Role
from tests.factories import EXPORT_PURPOSE


@pytest.fixture
def setup(org, create_person, create_assignment, create_completion, create_course_version):
    version = create_course_version(title="Bảo vệ dữ liệu cá nhân")
    create_assignment(org["province"], version, due_on=date(2026, 1, 31))
    late = create_person("Nguyễn Văn Trễ", unit=org["office"])
    done = create_person("Lê Thị Xong", unit=org["office"])
    outsider = create_person("Hồ Văn Ngoài", unit=org["other"])
    create_completion(done, version, completed_at=datetime(2026, 1, 10))
    return {"late": late, "done": done, "outsider": outsider, "version": version}


def test_unit_head_sees_who_is_late_in_their_unit_only(client, login, create_account, org, setup):
    login(create_account((Role.UNIT_HEAD, org["dept"]), unit=org["dept"]))
    page = client.get("/tuan-thu?nam=2026")
    assert page.status_code == 200
    assert "Nguyễn Văn Trễ" in page.text and "Hồ Văn Ngoài" not in page.text
    assert "Phòng Hành chính tư pháp" in page.text and "Sở Y tế" not in page.text
    assert client.get(f"/tuan-thu?nam=2026&don-vi={org['other'].id}").status_code == 403
    people = client.get("/tuan-thu/can-bo?nam=2026&trang-thai=overdue").text
    assert "Nguyễn Văn Trễ" in people and "Lê Thị Xong" not in people and "Hồ Văn Ngoài" not in people
    export = client.post("/tuan-thu/can-bo/xuat.csv?nam=2026", data=EXPORT_PURPOSE).data.decode("utf-8-sig")
    assert "Trễ" in export and "Ngoài" not in export


def test_province_dashboard_drills_down_with_chart_and_table(client, login, create_account, org, setup):
    login(create_account((Role.HR, None)))
    page = client.get("/tuan-thu?nam=2026").text
    assert "<svg" in page and "Theo đơn vị trực thuộc" in page
    assert "Sở Tư pháp" in page and "Sở Y tế" in page
    drill = client.get(f"/tuan-thu?nam=2026&don-vi={org['dept'].id}").text
    assert "Phòng Hành chính tư pháp" in drill
    empty = client.get("/tuan-thu?nam=2030").text
    assert "chưa có khóa học bắt buộc nào được giao" in empty


def test_exports_match_the_dashboard(client, login, create_account, org, setup):
    login(create_account((Role.HR, None)))
    sheet = load_workbook(io.BytesIO(client.post("/tuan-thu/xuat.xlsx?nam=2026", data=EXPORT_PURPOSE).data)).active
    assert sheet.freeze_panes == "A2"
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["STP"][2].value == 2 and rows["STP"][3].value == 1 and rows["STP"][4].value == 50.0
    pdf = client.post("/tuan-thu/bao-cao.pdf?nam=2026", data=EXPORT_PURPOSE)
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "BÁO CÁO TUÂN THỦ HỌC TẬP BẮT BUỘC" in text and "Nguyễn Văn Trễ" in text


def test_hr_creates_an_assignment_with_clear_errors(client, login, create_account, org, create_course_version):
    version = create_course_version()
    login(create_account((Role.HR, None)))
    dates = client.post("/giao-hoc/moi", data={"course_id": version.course_id, "unit_code": "STP",
                                               "period": 2026, "starts_on": "2026-02-01", "due_on": "2026-01-01"})
    assert dates.status_code == 400 and "Hạn hoàn thành phải sau ngày bắt đầu." in dates.text
    unit = client.post("/giao-hoc/moi", data={"course_id": version.course_id, "unit_code": "NOPE", "period": 2026,
                                              "starts_on": "2026-01-01", "due_on": "2026-06-30"})
    assert unit.status_code == 400 and "Không có đơn vị mã “NOPE”" in unit.text
    ok = client.post("/giao-hoc/moi", data={"course_id": version.course_id, "unit_code": "STP", "period": 2026,
                                            "starts_on": "2026-01-01", "due_on": "2026-06-30",
                                            "categories": ["cong_chuc"]}, follow_redirects=True)
    assert "Đã giao khóa học" in ok.text and "Sở Tư pháp" in ok.text


def test_subtree_hr_cannot_assign_outside_and_unit_head_cannot_assign(client, login, create_account, org,
                                                                      create_course_version):
    version = create_course_version()
    login(create_account((Role.HR, org["dept"])))
    response = client.post("/giao-hoc/moi", data={"course_id": version.course_id, "unit_code": "SYT",
                                                  "period": 2026, "starts_on": "2026-01-01",
                                                  "due_on": "2026-06-30"})
    assert response.status_code == 403
    client.post("/dang-xuat")
    login(create_account((Role.UNIT_HEAD, org["dept"])))
    assert client.get("/giao-hoc").status_code == 403


def test_people_of_the_unit_itself_have_their_own_row_so_rows_add_up(client, login, create_account, org, setup,
                                                                      create_person):
    create_person("Phan Văn Trực", unit=org["dept"])  # in Sở Tư pháp itself, not in one of its offices
    login(create_account((Role.HR, None), unit=org["other"]))
    sheet = load_workbook(io.BytesIO(client.post(f"/tuan-thu/xuat.xlsx?nam=2026&don-vi={org['dept'].id}",
                                                 data=EXPORT_PURPOSE).data)).active
    lines = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    total, units = lines[0], lines[1:]
    assert [line[1] for line in units] == ["Phòng Hành chính tư pháp", "Thuộc trực tiếp Sở Tư pháp"]
    assert total[2] == 3 and sum(line[2] for line in units) == 3
    page = client.get(f"/tuan-thu?nam=2026&don-vi={org['dept'].id}").text
    assert "Thuộc trực tiếp Sở Tư pháp" in page
