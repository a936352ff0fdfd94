"""Staff import: all or nothing, with every bad row named the way Excel shows it."""

import io
import unicodedata
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from learning.audit import retention
from learning.auth.models import Role
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org import importer, table_files
from learning.org.models import Person, StaffImport
from tests.factories import EXPORT_PURPOSE

HEADERS = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Email", "Mã đơn vị", "Vị trí việc làm", "Loại", "Trạng thái"]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(rows, headers=HEADERS, bom=True) -> bytes:
    lines = [",".join(headers)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return (("\ufeff" if bom else "") + "\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def units(province, create_unit):
    return {"STP": create_unit("Sở Tư pháp", parent=province, code="STP"),
            "SYT": create_unit("Sở Y tế", parent=province, code="SYT"),
            "H-OLD": create_unit("Huyện cũ", parent=province, code="H-OLD", kind="huyen",
                                 valid_to=date(2025, 6, 30))}


GOOD = [
    ["CB1", "Nguyễn Thị Lan", "05/09/1988", "lan@tinh.gov.vn", "STP", "Chuyên viên", "công chức", "đang làm việc"],
    ["CB2", "Trần  Văn   Bình", datetime(1979, 1, 2), "", "SYT", "Bác sĩ", "Viên chức", ""],
]


def test_a_good_file_creates_people_and_reimport_changes_nothing(app, units):
    result = importer.plan(xlsx(GOOD), "ds.xlsx")
    assert result.errors == []
    assert importer.apply(result) == {"created": 2, "updated": 0, "unchanged": 0,
                                      "deactivated": 0, "moved": 0, "errors": 0}
    db.session.commit()
    binh = db.session.scalar(select(Person).where(Person.employee_code == "CB2"))
    assert (binh.middle_name, binh.given_name, binh.birth_date) == ("Trần Văn", "Bình", date(1979, 1, 2))
    again = importer.plan(xlsx(GOOD), "ds.xlsx")
    assert again.summary() == {"created": 0, "updated": 0, "unchanged": 2, "deactivated": 0, "moved": 0, "errors": 0}


def test_bad_rows_are_all_named_and_nothing_is_written(app, units):
    rows = GOOD + [
        ["CB1", "Lê Văn Cường", "", "", "STP", "", "công chức", ""],             # line 4: duplicate code
        ["CB4", "Phạm Thị Dung", "", "", "KHONGCO", "", "công chức", ""],        # line 5: unknown unit
        ["CB5", "Vũ Văn Em", "31/02/1990", "", "STP", "", "công chức", ""],      # line 6: bad date
        ["CB6", "Hồ Thị Gấm", "", "gam@@x", "STP", "", "công chức", ""],         # line 7: bad e-mail
        ["CB7", "Đỗ Văn Hải", "", "", "H-OLD", "", "thợ", ""],                   # line 8: dissolved + category
    ]
    result = importer.plan(xlsx(rows), "ds.xlsx")
    assert result.errors == [
        "dòng 4, cột Mã cán bộ: mã “CB1” bị trùng với dòng 2",
        "dòng 5, cột Mã đơn vị: không có đơn vị mã “KHONGCO”",
        "dòng 6, cột Ngày sinh: ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1988)",
        "dòng 7, cột Email: “gam@@x” không phải địa chỉ e-mail hợp lệ",
        "dòng 8, cột Loại: phải là một trong: cán bộ, công chức, viên chức, người lao động",
        "dòng 8, cột Mã đơn vị: đơn vị “H-OLD” đã giải thể từ 30/06/2025",
    ]
    with pytest.raises(ValueError):
        importer.apply(result)
    assert db.session.scalar(select(func.count(Person.id))) == 0


def test_nfd_names_and_headers_are_matched_and_stored_nfc(app, units):
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    headers = [f"  {nfd(h).upper()} " for h in HEADERS]
    data = csv([["CB9", nfd("Nguyễn   Thị Ánh"), "", "", "STP", "", nfd("CÔNG CHỨC"), ""]], headers=headers)
    importer.apply(importer.plan(data, "ds.csv"))
    person = db.session.scalar(select(Person).where(Person.employee_code == "CB9"))
    assert person.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", person.full_name)


def test_csv_with_or_without_bom_and_blank_rows(app, units):
    rows = [GOOD[0][:2] + ["", ""] + GOOD[0][4:], ["", "", "", "", "", "", "", ""], GOOD[1][:2] + ["", ""] + GOOD[1][4:]]
    for bom in (True, False):
        result = importer.plan(csv(rows, bom=bom), "ds.csv")
        assert result.errors == [] and len(result.created) == 2


def test_formula_like_values_are_stored_as_text(app, units):
    importer.apply(importer.plan(xlsx([["CB1", "Nguyễn Văn An", "", "", "STP", "=HYPERLINK(\"x\")", "công chức", ""]]), "a.xlsx"))
    assert db.session.scalar(select(Person.position)) == "=HYPERLINK(\"x\")"


def test_whole_file_problems_get_one_message(app, units):
    with pytest.raises(importer.ImportRejected, match="Chỉ nhận tệp Excel"):
        importer.plan(b"%PDF-1.7", "a.pdf")
    with pytest.raises(importer.ImportRejected, match="Tệp rỗng"):
        importer.plan(b"", "a.xlsx")
    with pytest.raises(importer.ImportRejected, match="không phải bảng tính"):
        importer.plan(b"hello", "a.xlsx")
    with pytest.raises(importer.ImportRejected, match="Thiếu cột bắt buộc: Mã đơn vị"):
        importer.plan(xlsx([["CB1", "An", "", "", "", "", "công chức", ""]],
                           headers=["Mã cán bộ", "Họ và tên", "x", "y", "z", "w", "Loại", "t"]), "a.xlsx")
    with pytest.raises(importer.ImportRejected, match="mã hóa UTF-8"):
        importer.plan("Mã cán bộ\n".encode("utf-16"), "a.csv")


def test_a_zip_bomb_is_refused_before_inflating(app, units, monkeypatch):
    monkeypatch.setattr(table_files, "MAX_XLSX_UNCOMPRESSED", 1000)
    with pytest.raises(importer.ImportRejected, match="giải nén ra quá lớn"):
        importer.plan(xlsx(GOOD), "ds.xlsx")


def test_former_staff_of_a_dissolved_unit_can_be_reimported_but_nobody_placed_there(app, units, create_person):
    create_person("Lý Văn Cũ", unit=units["H-OLD"], code="OLD1", active=False)
    kept = importer.plan(xlsx([["OLD1", "Lý Văn Cũ", "", "", "H-OLD", "", "công chức", "nghỉ việc"]]), "a.xlsx")
    assert kept.errors == [] and kept.unchanged == 1
    revived = importer.plan(xlsx([["OLD1", "Lý Văn Cũ", "", "", "H-OLD", "", "công chức", "đang làm việc"]]), "a.xlsx")
    assert revived.errors == ["dòng 2, cột Mã đơn vị: đơn vị “H-OLD” đã giải thể từ 30/06/2025"]


def test_updates_and_deactivations_are_counted(app, units):
    importer.apply(importer.plan(xlsx(GOOD), "ds.xlsx"))
    changed = [GOOD[0][:4] + ["SYT"] + GOOD[0][5:], GOOD[1][:7] + ["nghỉ việc"]]
    result = importer.plan(xlsx(changed), "ds.xlsx")
    assert result.summary() == {"created": 0, "updated": 2, "unchanged": 0, "deactivated": 1, "moved": 1, "errors": 0}


def test_web_import_preview_then_confirm(client, login, create_account, units):
    login(create_account((Role.HR, None)))
    preview = client.post("/can-bo/nhap", data={"file": (io.BytesIO(xlsx(GOOD)), "ds.xlsx")},
                          content_type="multipart/form-data")
    assert preview.status_code == 200 and "Thêm mới" in preview.text
    assert db.session.scalar(select(func.count(Person.id))) == 1  # only the HR account's person
    batch_id = preview.text.split("/can-bo/nhap/")[1].split("/")[0]
    done = client.post(f"/can-bo/nhap/{batch_id}/xac-nhan", follow_redirects=True)
    assert "Đã nhập: 2 thêm mới" in done.text
    again = client.post(f"/can-bo/nhap/{batch_id}/xac-nhan", follow_redirects=True)
    assert "đã được nhập rồi" in again.text
    assert db.session.scalar(select(func.count(Person.id))) == 3
    # The uploaded list (names, e-mails, dates of birth) is not kept once applied; the summary is.
    batch = db.session.get(StaffImport, int(batch_id))
    assert batch.data == b"" and batch.summary["created"] == 2


def test_a_preview_left_unconfirmed_is_deleted_by_the_retention_purge(client, login, create_account, units):
    login(create_account((Role.HR, None)))
    preview = client.post("/can-bo/nhap", data={"file": (io.BytesIO(xlsx(GOOD)), "ds.xlsx")},
                          content_type="multipart/form-data")
    batch_id = int(preview.text.split("/can-bo/nhap/")[1].split("/")[0])
    db.session.commit()
    assert retention.purge(dry_run=True).imports_deleted == 0  # a fresh preview stays
    later = utcnow() + timedelta(hours=retention.IMPORT_PREVIEW_HOURS + 1)
    assert retention.purge(now=later).imports_deleted == 1
    db.session.commit()
    assert db.session.get(StaffImport, batch_id) is None
    stale = client.post(f"/can-bo/nhap/{batch_id}/xac-nhan", follow_redirects=True)
    assert "đã hết hạn" in stale.text and "Hãy tải tệp lên lại" in stale.text
    assert db.session.scalar(select(func.count(Person.id))) == 1  # nothing imported


def test_web_import_shows_errors_and_writes_nothing(client, login, create_account, units):
    login(create_account((Role.HR, None)))
    bad = client.post("/can-bo/nhap", data={"file": (io.BytesIO(xlsx([["", "An", "", "", "STP", "", "x", ""]])), "a.xlsx")},
                      content_type="multipart/form-data")
    assert "dòng 2, cột Mã cán bộ: bắt buộc" in bad.text and "Xác nhận nhập" not in bad.text


def test_subtree_hr_cannot_import_into_other_units(client, login, create_account, units):
    login(create_account((Role.HR, units["STP"]), unit=units["STP"]))
    response = client.post("/can-bo/nhap", data={"file": (io.BytesIO(xlsx(GOOD)), "ds.xlsx")},
                           content_type="multipart/form-data")
    assert "dòng 3, cột Mã đơn vị: đơn vị “SYT” ngoài phạm vi bạn được quản lý" in response.text


def test_unit_head_cannot_import(client, login, create_account, units):
    login(create_account((Role.UNIT_HEAD, units["STP"])))
    assert client.get("/can-bo/nhap").status_code == 403


def test_template_and_exports_use_the_import_headers(client, login, create_account, units):
    login(create_account((Role.HR, None), full_name="=Mallory Cmd"))
    template = load_workbook(io.BytesIO(client.get("/can-bo/nhap/mau.xlsx").data)).active
    assert [c.value for c in template[1]] == importer.TEMPLATE_HEADERS
    export = client.post("/can-bo/xuat.csv", data=EXPORT_PURPOSE).data.decode("utf-8-sig")
    assert export.splitlines()[0] == ",".join(importer.TEMPLATE_HEADERS)
    assert "'=Mallory" in export
    sheet = load_workbook(io.BytesIO(client.post("/can-bo/xuat.xlsx", data=EXPORT_PURPOSE).data)).active
    assert sheet["B2"].value == "=Mallory" and sheet["B2"].data_type == "s"  # text, not a formula
    for fmt in ("xlsx", "csv"):
        result = importer.plan(client.post(f"/can-bo/xuat.{fmt}", data=EXPORT_PURPOSE).data, f"roundtrip.{fmt}")
        assert result.summary() == {"created": 0, "updated": 0, "unchanged": 1,
                                    "deactivated": 0, "moved": 0, "errors": 0}


def test_cli_import_dry_run_and_errors(app, units, tmp_path):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.csv"
    good.write_bytes(xlsx(GOOD))
    bad.write_bytes(csv([["CB1", "An", "", "x@", "STP", "", "công chức", ""]]))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["staff", "import", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "Kiểm tra (không ghi): 2 thêm mới" in dry.output
    assert db.session.scalar(select(func.count(Person.id))) == 0
    failed = runner.invoke(args=["staff", "import", str(bad)])
    assert failed.exit_code == 1 and "dòng 2, cột Email" in failed.output
    ok = runner.invoke(args=["staff", "import", str(good)])
    assert ok.exit_code == 0 and "Đã nhập: 2 thêm mới" in ok.output
    out = tmp_path / "all.csv"
    assert runner.invoke(args=["staff", "export", "--out", str(out), "--purpose", "Đối chiếu danh sách"]).exit_code == 0
    assert "Nguyễn Thị" in out.read_text(encoding="utf-8-sig")


def test_web_preview_names_the_changed_columns_as_the_file_does(client, login, create_account, units):
    importer.apply(importer.plan(xlsx(GOOD), "ds.xlsx"))
    db.session.commit()
    login(create_account((Role.HR, None)))
    moved = [GOOD[0][:4] + ["SYT"] + GOOD[0][5:]]
    preview = client.post("/can-bo/nhap", data={"file": (io.BytesIO(xlsx(moved)), "ds.xlsx")},
                          content_type="multipart/form-data")
    assert "<td>Mã đơn vị</td>" in preview.text and "unit_id" not in preview.text


def test_values_longer_than_the_database_allows_are_named_at_preview(app, units):
    long_name = "Nguyễn Văn " + "A" * 61  # the given name (tên) holds at most 60 characters
    rows = GOOD + [["CB9", long_name, "", "", "STP", "x" * 161, "công chức", ""], ["C" * 41, "Lê Văn Tư", "", "", "STP",
                                                                                   "", "công chức", ""]]
    result = importer.plan(xlsx(rows), "ds.xlsx")
    assert result.errors == ["dòng 4, cột Họ và tên: dài quá 60 ký tự", "dòng 4, cột Vị trí việc làm: dài quá 160 ký tự",
                             "dòng 5, cột Mã cán bộ: dài quá 40 ký tự"]


def test_a_sheet_past_the_row_cap_is_refused_without_reading_it_whole(app, units, monkeypatch):
    monkeypatch.setattr(table_files, "MAX_ROWS", 5)
    read = []
    original = table_files._as_openpyxl
    monkeypatch.setattr(table_files, "_as_openpyxl", lambda value: read.append(1) or original(value))
    data = xlsx([GOOD[0]] * 50)
    with pytest.raises(table_files.ImportRejected, match="hơn 5 dòng"):
        importer.plan(data, "ds.xlsx")
    # the rows where the header may be and one row past the cap, not all 50 rows
    assert len(read) <= (5 + table_files.HEADER_SEARCH_ROWS + 1) * len(HEADERS) < 50 * len(HEADERS)
