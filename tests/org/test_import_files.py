"""Staff lists as HR really keeps them: a title block above the header row (issue 18, item 9)."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from learning.auth.models import Role
from learning.extensions import db
from learning.org import importer, unit_import
from learning.org.models import Person, StaffImport
from learning.org.table_files import ImportRejected
from tests.org.test_import import HEADERS, csv

ROW = ["CB1", "Nguyễn Thị Lan", "05/09/1988", "lan@tinh.gov.vn", "STP", "Chuyên viên", "công chức", ""]


def titled(rows, headers=HEADERS, title=("DANH SÁCH CÁN BỘ, CÔNG CHỨC SỞ TƯ PHÁP", "(Kèm theo Công văn số 12/STP)"),
           gap=0) -> bytes:
    """An .xlsx as HR keeps it: the title lines, ``gap`` empty rows, then the header row and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    for line in title:
        sheet.append([line])
    for _ in range(gap):
        sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def units(province, create_unit):
    return {"STP": create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")}


def test_the_header_row_is_found_below_a_title_block_and_lines_are_the_sheets(app, units):
    result = importer.plan(titled([ROW, ["CB2", "Trần Văn Bình", "31/02/1990", "", "STP", "", "viên chức", ""]]),
                           "ds.xlsx")
    # Header in row 3: the bad date is on row 5 of the sheet, as Excel shows it.
    assert result.errors == ["dòng 5, cột Ngày sinh: ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy "
                             "(ví dụ 05/09/1988)"]
    lower = importer.plan(titled([ROW], gap=10), "ds.xlsx")  # header in row 13
    assert lower.errors == [] and [r.line for r in lower.created] == [14]


def test_a_csv_title_line_is_skipped_too(app, units):
    data = ("DANH SÁCH CÁN BỘ\n\n" + csv([ROW], bom=False).decode()).encode()
    result = importer.plan(data, "ds.csv")
    assert result.errors == [] and [r.line for r in result.created] == [4]


def test_without_a_header_row_the_message_says_what_was_expected_and_found_where(app, units):
    partial = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Đơn vị", "Loại"]
    with pytest.raises(ImportRejected) as error:
        importer.plan(titled([ROW[:5]], headers=partial), "ds.xlsx")
    assert str(error.value) == (
        "Thiếu cột bắt buộc: Mã đơn vị. Dòng tiêu đề tìm thấy là dòng 3, có các cột: Mã cán bộ, Họ và tên, "
        "Ngày sinh, Loại. Dòng tiêu đề phải có đủ: Mã cán bộ, Mã đơn vị, Loại, Họ và tên (hoặc Họ đệm và Tên) "
        "(trong 15 dòng đầu của tệp). Hãy dùng tệp mẫu.")
    with pytest.raises(ImportRejected) as error:
        importer.plan(titled([ROW], headers=["STT", "Họ tên", "Chức vụ"]), "ds.xlsx")
    assert str(error.value) == (
        "Không tìm thấy dòng tiêu đề trong 15 dòng đầu của tệp: cần một dòng có các cột Mã cán bộ, Mã đơn vị, "
        "Loại, Họ và tên (hoặc Họ đệm và Tên). Dòng 1 ghi: “DANH SÁCH CÁN BỘ, CÔNG CHỨC SỞ TƯ PHÁP”. "
        "Hãy dùng tệp mẫu.")
    with pytest.raises(ImportRejected, match="Không tìm thấy dòng tiêu đề"):  # below row 15 is not looked at
        importer.plan(titled([ROW], gap=14), "ds.xlsx")


def test_the_unit_import_finds_its_header_row_the_same_way(app, province):
    data = titled([["STP", "tạo", "Sở Tư pháp", "Sở, ban, ngành", "", "", ""]],
                  headers=unit_import.TEMPLATE_HEADERS, title=("KẾ HOẠCH SẮP XẾP ĐƠN VỊ",))
    result = unit_import.plan(data, "dv.xlsx")
    assert result.errors == [] and [r.line for r in result.rows] == [3]


def test_unit_codes_match_whatever_their_case(app, units, create_unit):
    create_unit("Phường Bãi Cháy", code="X-BAICHAY", kind="xa_phuong")
    rows = [ROW[:4] + ["stp"] + ROW[5:], ["CB2", "Trần Văn Bình", "", "", "x-BaiChay", "", "công chức", ""]]
    result = importer.plan(titled(rows), "ds.xlsx")
    assert result.errors == [] and [r.unit_code for r in result.created] == ["STP", "X-BAICHAY"]
    importer.apply(result)
    assert {p.employee_code: p.unit.code for p in db.session.query(Person)} == {"CB1": "STP", "CB2": "X-BAICHAY"}


def test_iso_dates_are_read_beside_dd_mm_yyyy(app, units):
    rows = [ROW[:2] + ["1991-03-04"] + ROW[3:], ["CB2", "Trần Văn Bình", "04/03/1991", "", "STP", "", "công chức", ""],
            ["CB3", "Lê Văn Cường", "1991-03-04 00:00:00", "", "STP", "", "công chức", ""]]
    result = importer.plan(csv(rows), "ds.csv")
    assert result.errors == [] and {r.birth_date for r in result.created} == {date(1991, 3, 4)}
    bad = importer.plan(csv([ROW[:2] + ["1991-13-04"] + ROW[3:]]), "ds.csv")
    assert bad.errors == ["dòng 2, cột Ngày sinh: ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1988)"]


def test_the_preview_shows_the_category_label_birth_date_email_and_position(client, login, create_account, units):
    login(create_account((Role.HR, None)))
    preview = client.post("/can-bo/nhap", data={"file": (io.BytesIO(titled([ROW])), "ds.xlsx")},
                          content_type="multipart/form-data")
    row = preview.text.split("<tbody>")[1].split("</tbody>")[0]
    for shown in ("Nguyễn Thị Lan", "05/09/1988", "lan@tinh.gov.vn", "Chuyên viên", "<td>Công chức</td>"):
        assert shown in row
    assert "cong_chuc" not in preview.text


def test_a_reupload_with_nothing_to_change_says_so_and_offers_no_confirmation(client, login, create_account, units):
    importer.apply(importer.plan(titled([ROW]), "ds.xlsx"))
    db.session.commit()
    login(create_account((Role.HR, None)))
    again = client.post("/can-bo/nhap", data={"file": (io.BytesIO(titled([ROW])), "ds.xlsx")},
                        content_type="multipart/form-data")
    assert "Không có thay đổi nào: 1 cán bộ trong tệp đều đã có đúng như dữ liệu hiện tại" in again.text
    assert "Xác nhận nhập" not in again.text and "/xac-nhan" not in again.text
    assert db.session.scalar(select(func.count()).select_from(StaffImport)) == 0
    changed = client.post("/can-bo/nhap", data={"file": (io.BytesIO(titled([ROW[:5] + ["Trưởng phòng"] + ROW[6:]])),
                                                         "ds.xlsx")}, content_type="multipart/form-data")
    assert "Xác nhận nhập" in changed.text and "Không có thay đổi nào" not in changed.text
