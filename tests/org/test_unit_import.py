"""Unit import: one change per row, in order, all or nothing, per-row errors; the web preview and the CLI."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db
from learning.org import unit_import
from learning.org.models import Person, StaffImport, Unit, UnitName
from learning.org.table_files import ImportRejected
from tests.org.test_import import csv, xlsx

HEADERS = unit_import.TEMPLATE_HEADERS  # Mã đơn vị, Thao tác, Tên, Loại, Cấp trên, Tiếp nhận, Ngày hiệu lực

REORGANISATION = [
    ["SNV-1", "tạo", "Phòng Công chức", "Phòng, ban", "SNV", "", "01/01/2020"],
    ["SNV-1-1", "Tạo mới", "Tổ chính quyền", "phòng ban", "snv-1", "", ""],
    ["SNV", "đổi tên", "Sở Nội vụ tỉnh", "", "", "", "01/03/2025"],
    ["SKHDT", "sáp nhập vào", "", "", "", "STC", "01/03/2025"],
    ["SNV-1-1", "chuyển", "", "", "STC", "", ""],
    ["H-HB", "giải thể", "", "", "", "", "01/07/2025"],
]


@pytest.fixture
def tree(province, create_unit, create_person):
    snv = create_unit("Sở Nội vụ", parent=province, code="SNV", kind="so_nganh", valid_from=date(2000, 1, 1))
    skhdt = create_unit("Sở Kế hoạch và Đầu tư", parent=province, code="SKHDT", kind="so_nganh")
    stc = create_unit("Sở Tài chính", parent=province, code="STC", kind="so_nganh")
    district = create_unit("Huyện Hoành Bồ", parent=province, code="H-HB", kind="huyen")
    worker = create_person("Lê Văn An", unit=skhdt)
    db.session.commit()
    return {"snv": snv, "skhdt": skhdt, "stc": stc, "district": district, "worker": worker}


def _unit(code):
    db.session.expire_all()
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _unit_count():
    return db.session.scalar(select(func.count(Unit.id)))


def test_a_reorganisation_file_is_previewed_without_writing_then_applied_in_order(app, tree):
    before = _unit_count()
    result = unit_import.plan(xlsx(REORGANISATION, HEADERS), "to-chuc.xlsx")
    assert result.errors == []
    assert result.summary() == {"created": 2, "renamed": 1, "moved": 1, "merged": 1, "dissolved": 1, "errors": 0}
    db.session.commit()
    assert _unit_count() == before and _unit("SKHDT").valid_to is None  # the preview wrote nothing
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0
    unit_import.apply(result)
    db.session.commit()
    assert _unit("SNV-1").parent_id == tree["snv"].id and _unit("SNV-1").kind == "phong_ban"
    assert _unit("SNV-1-1").parent_id == tree["stc"].id
    assert _unit("SNV").name == "Sở Nội vụ tỉnh"
    assert db.session.scalar(select(UnitName.name).where(UnitName.unit_id == tree["snv"].id)) == "Sở Nội vụ"
    merged = _unit("SKHDT")
    assert (merged.valid_to, merged.successor_id) == (date(2025, 2, 28), tree["stc"].id)
    assert db.session.get(Person, tree["worker"].id).unit_id == tree["stc"].id
    assert _unit("H-HB").valid_to == date(2025, 6, 30)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["unit.created", "unit.created", "unit.renamed", "unit.merged", "unit.moved", "unit.dissolved"]


def test_every_bad_row_is_reported_and_nothing_is_written(app, tree):
    rows = [
        ["SNV-1", "tạo", "Phòng Công chức", "Phòng, ban", "SNV", "", ""],
        ["SNV-2", "tạo", "", "loại lạ", "SNV", "", "31/02/2025"],
        ["SNV", "xóa", "", "", "", "", ""],
        ["SKHDT", "sáp nhập vào", "", "", "", "", "01/03/2025"],
        ["STC", "giải thể", "", "", "", "", ""],
    ]
    result = unit_import.plan(xlsx(rows, HEADERS), "loi.xlsx")
    assert result.errors == [
        "dòng 3, cột Ngày hiệu lực: ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1988)",
        "dòng 3, cột Loại đơn vị: phải là một trong: Tỉnh; Sở, ban, ngành; Xã, phường; Đơn vị sự nghiệp; "
        "Phòng, ban; Huyện (đã giải thể)",
        "dòng 3, cột Tên đơn vị: bắt buộc với thao tác “tạo”",
        "dòng 4, cột Thao tác: phải là một trong: tạo, đổi tên, chuyển, sáp nhập vào, giải thể",
        "dòng 5, cột Mã đơn vị tiếp nhận: bắt buộc với thao tác “sáp nhập vào”",
        "dòng 6, cột Ngày hiệu lực: bắt buộc với thao tác “giải thể”",
    ]
    assert _unit("SNV-1") is None


def test_a_row_the_tree_refuses_fails_the_whole_file_with_its_line(app, tree):
    rows = [
        ["SNV-1", "tạo", "Phòng Công chức", "Phòng, ban", "SNV", "", ""],
        ["SNV", "giải thể", "", "", "", "", "01/07/2025"],  # SNV-1 was just created under it
        ["SKHDT", "sáp nhập vào", "", "", "", "KHONG", "01/03/2025"],
        ["SNV-1", "chuyển", "", "", "SNV-1", "", ""],
    ]
    result = unit_import.plan(xlsx(rows, HEADERS), "loi.xlsx")
    assert len(result.errors) == 3
    assert result.errors[0].startswith("dòng 3 (giải thể SNV): Đơn vị còn 1 đơn vị trực thuộc")
    assert result.errors[1] == "dòng 4 (sáp nhập vào SKHDT): không có đơn vị mã “KHONG”"
    assert result.errors[2].startswith("dòng 5 (chuyển SNV-1): Không thể chuyển đơn vị vào chính nó")
    db.session.commit()
    assert _unit("SNV-1") is None and _unit("SNV").valid_to is None


def test_a_file_without_the_required_columns_or_rows_is_rejected(app, tree):
    with pytest.raises(ImportRejected, match="Thiếu cột bắt buộc: Thao tác"):
        unit_import.plan(xlsx([["SNV"]], ["Mã đơn vị"]), "x.xlsx")
    with pytest.raises(ImportRejected, match="không có dòng dữ liệu"):
        unit_import.plan(xlsx([], HEADERS), "x.xlsx")


def test_the_template_has_the_headers_and_an_example_of_each_change(app):
    sheet = load_workbook(io.BytesIO(unit_import.template_xlsx())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert {r[1] for r in rows[1:]} == {"tạo", "đổi tên", "chuyển", "sáp nhập vào", "giải thể"}


def test_web_import_previews_then_applies_once_confirmed(client, login, create_account, tree):
    hr = create_account((Role.HR, None))
    login(hr)
    assert client.get("/don-vi/nhap").status_code == 200
    template = client.get("/don-vi/nhap/mau.xlsx")
    assert template.status_code == 200 and template.data.startswith(b"PK")
    page = client.post("/don-vi/nhap", data={"file": (io.BytesIO(xlsx(REORGANISATION, HEADERS)), "tc.xlsx")},
                       content_type="multipart/form-data")
    assert page.status_code == 200 and "Xác nhận nhập" in page.text and "sáp nhập vào" in page.text
    assert _unit("SNV-1") is None
    batch = db.session.scalar(select(StaffImport).where(StaffImport.kind == "units"))
    # A staff-import confirmation does not accept a unit batch.
    assert client.post(f"/can-bo/nhap/{batch.id}/xac-nhan").status_code == 403
    done = client.post(f"/don-vi/nhap/{batch.id}/xac-nhan")
    assert done.status_code == 302 and _unit("SNV-1") is not None and _unit("SKHDT").valid_to == date(2025, 2, 28)
    batch = db.session.get(StaffImport, batch.id)
    assert batch.applied_at is not None and batch.data == b""
    again = client.post(f"/don-vi/nhap/{batch.id}/xac-nhan")
    assert again.status_code == 302 and _unit_count() == 7
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "units.imported"))
    assert event.actor_id == hr.id and event.detail["created"] == 2


def test_web_import_of_a_subtree_hr_refuses_units_outside_it(client, login, create_account, tree):
    login(create_account((Role.HR, tree["snv"]), unit=tree["snv"]))
    rows = [["SNV-1", "tạo", "Phòng Công chức", "Phòng, ban", "SNV", "", ""],
            ["SKHDT", "sáp nhập vào", "", "", "", "STC", "01/03/2025"],
            ["SNV", "giải thể", "", "", "", "", "01/07/2025"]]
    page = client.post("/don-vi/nhap", data={"file": (io.BytesIO(xlsx(rows, HEADERS)), "tc.xlsx")},
                       content_type="multipart/form-data")
    assert "dòng 3 (sáp nhập vào SKHDT): đơn vị “SKHDT” ngoài phạm vi" in page.text
    assert "dòng 4 (giải thể SNV): chỉ người quản lý đơn vị cấp trên" in page.text
    assert "Xác nhận nhập" not in page.text


def test_cli_dry_run_reports_and_writes_nothing_then_imports(app, tree, tmp_path):
    path = tmp_path / "to-chuc.xlsx"
    path.write_bytes(xlsx(REORGANISATION, HEADERS))
    runner = app.test_cli_runner()
    before = _unit_count()
    dry = runner.invoke(args=["units", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Kiểm tra (không ghi): 2 tạo mới, 1 đổi tên, 1 chuyển, 1 sáp nhập, 1 giải thể." in dry.output
    assert _unit_count() == before
    done = runner.invoke(args=["units", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert _unit_count() == before + 2 and _unit("SKHDT").successor_id == tree["stc"].id
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "units.imported"))["via"] == "cli"


def test_cli_prints_the_row_errors_and_exits_1(app, tree, tmp_path):
    path = tmp_path / "loi.csv"
    path.write_bytes(csv([["SNV", "giải thể", "", "", "", "", "01/07/2025"],
                          ["X", "bay", "", "", "", "", ""]], HEADERS))
    result = app.test_cli_runner().invoke(args=["units", "import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "dòng 3, cột Thao tác: phải là một trong" in result.output and "1 lỗi" in result.output
    path.write_bytes(csv([["SKHDT", "giải thể", "", "", "", "", "01/07/2025"]], HEADERS))
    result = app.test_cli_runner().invoke(args=["units", "import", str(path)])
    assert result.exit_code == 1 and "dòng 2 (giải thể SKHDT): Đơn vị còn 1 cán bộ" in result.output
    assert _unit("SKHDT").valid_to is None
