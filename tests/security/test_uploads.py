"""Every upload form: oversize files get the 413 page in the site layout, wrong types a message that says
what the file really is, and spreadsheets that would inflate too much are refused before inflating."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.fields.core import UnboundField

from learning.auth.models import Role
from learning.certification.forms import BadgeForm
from learning.certification.forms import UploadForm as CertificateUploadForm
from learning.org import table_files
from learning.org.forms import UploadForm as StaffUploadForm
from learning.par import services as par_services
from learning.par.views import RubricUploadForm
from learning.textcheck.views import CheckForm

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# endpoint → (URL, form field, role allowed to upload, the form class)
UPLOADS = {
    "staff.upload": ("/can-bo/nhap", "file", Role.HR, StaffUploadForm),
    "unit_import.upload": ("/don-vi/nhap", "file", Role.HR, StaffUploadForm),  # the same form as the staff import
    "certification.verify_upload": ("/xac-thuc/kiem-tra-tep", "pdf", None, CertificateUploadForm),
    "par.rubrics": ("/cchc/bo-tieu-chi", "file", Role.ADMIN, RubricUploadForm),
    "textcheck.page": ("/kiem-tra-van-ban", "file", Role.HR, CheckForm),  # every signed-in user; any role here
    "badges.check": ("/xac-thuc/kiem-tra-huy-hieu", "file", None, BadgeForm),  # public: an Open Badges .jwt
}


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def test_every_upload_form_in_the_app_is_covered_here(app):
    """A new form with a file field fails here until it is added to UPLOADS (and so to these tests)."""
    with_files = {form for form in _all_subclasses(FlaskForm) if form.__module__.startswith("learning.")
                  and any(isinstance(v, UnboundField) and issubclass(v.field_class, FileField)
                          for v in vars(form).values())}
    assert with_files == {form for *_, form in UPLOADS.values()}
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert set(UPLOADS) <= posting


@pytest.fixture
def uploader(client, login, create_account):
    def as_role(role):
        if role is not None:
            login(create_account((role, None)))
        return client

    return as_role


def _post(client, url, field, data, name):
    return client.post(url, data={field: (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("endpoint", sorted(UPLOADS))
@pytest.mark.parametrize("csrf", [False, True], ids=["no-csrf-check", "csrf-on"])
def test_an_oversize_upload_gets_the_413_page_in_the_site_layout(app, uploader, monkeypatch, endpoint, csrf):
    url, field, role, _form = UPLOADS[endpoint]
    client = uploader(role)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", csrf)  # the CSRF check reads the form first
    response = _post(client, url, field, b"%PDF-" + b"0" * (1024 * 1024 + 10), "lon.pdf")
    assert response.status_code == 413
    assert 'class="site-header"' in response.text
    if endpoint == "textcheck.page":  # its own page again, with the form and both of its limits
        assert "tệp tối đa 1 MB" in response.text and 'name="file"' in response.text
    else:
        assert "Tệp quá lớn" in response.text and "mức tối đa 1 MB" in response.text
        assert "Về trang chủ" in response.text


@pytest.mark.parametrize(("data", "name", "message"), [
    (EXE, "danh-sach.xlsx", "nội dung là chương trình (.exe)"),
    (PDF, "danh-sach.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)"),
    (PDF, "danh-sach.csv", "Tệp có đuôi CSV (.csv) nhưng nội dung là PDF"),
    (PNG, "danh-sach.csv", "nội dung là ảnh PNG"),
    (XLS, "danh-sach.xlsx", "Tệp Excel đời cũ (.xls)"),
    (_zip({"word/document.xml": b"<w/>"}), "danh-sach.xlsx", "không phải bảng tính Excel (.xlsx)"),
], ids=["exe-as-xlsx", "pdf", "pdf-as-csv", "png-as-csv", "xls", "docx-as-xlsx"])
@pytest.mark.parametrize("url", ["/can-bo/nhap", "/don-vi/nhap"], ids=["staff", "units"])
def test_the_staff_and_unit_imports_name_a_wrong_file_type(uploader, data, name, message, url):
    response = _post(uploader(Role.HR), url, "file", data, name)
    assert response.status_code == 400 and message in response.text
    assert "Xác nhận nhập" not in response.text


def test_the_open_badges_check_refuses_a_file_over_64_kb_and_reads_a_binary_as_unreadable(uploader):
    client = uploader(None)
    big = _post(client, "/xac-thuc/kiem-tra-huy-hieu", "file", b"e" * (64 * 1024 + 1), "chung-nhan.jwt")
    assert big.status_code == 400 and "Tệp lớn hơn 64 KB" in big.text
    binary = _post(client, "/xac-thuc/kiem-tra-huy-hieu", "file", PNG, "chung-nhan.jwt")
    assert binary.status_code == 200 and "Không đọc được" in binary.text


@pytest.mark.parametrize(("data", "name"), [(PNG, "chung-nhan.png"), (PNG, "chung-nhan.pdf"), (EXE, "cn.pdf")],
                         ids=["png", "png-as-pdf", "exe-as-pdf"])
def test_the_certificate_check_refuses_what_is_not_a_pdf(uploader, data, name):
    response = _post(uploader(None), "/xac-thuc/kiem-tra-tep", "pdf", data, name)
    assert response.status_code == 400 and "Tệp không phải PDF" in response.text


BILLION_LAUGHS = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                           + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]"
                              for i in range(8)]) + "\n"


@pytest.mark.parametrize(("data", "name", "message"), [
    (PNG, "bo-tieu-chi.yaml", "Tệp không phải văn bản (.yaml)"),
    (PDF, "bo-tieu-chi.pdf", "Chỉ nhận tệp bộ tiêu chí dạng văn bản .yaml"),
    (b"\xff\xfe" + "code: x".encode("utf-16-le"), "bo-tieu-chi.yaml", "Tệp không phải văn bản (.yaml)"),
    ("tiêu chí".encode("cp1258") + b"\xfe", "bo-tieu-chi.yaml", "Tệp phải là văn bản UTF-8"),
    (b"# " + b"x" * 200_001, "bo-tieu-chi.yaml", "Tệp lớn hơn 200 KB"),
    (BILLION_LAUGHS.encode(), "bo-tieu-chi.yaml", "không dùng tham chiếu YAML"),
    (b"code: " + b"[" * 5000 + b"]" * 5000 + b"\n", "bo-tieu-chi.yaml", "lồng nhau quá 20 cấp"),
], ids=["png-as-yaml", "pdf", "utf16", "not-utf8", "too-big", "billion-laughs", "deeply-nested"])
def test_the_rubric_upload_names_a_wrong_file(app, uploader, data, name, message):
    par_services.ensure_shipped_rubric()
    response = _post(uploader(Role.ADMIN), "/cchc/bo-tieu-chi", "file", data, name)
    assert response.status_code == 400 and message in response.text


def _bomb(compression=zipfile.ZIP_DEFLATED, size=table_files.MAX_XLSX_UNCOMPRESSED + 1) -> bytes:
    """A real workbook plus one entry of zeros that deflates to almost nothing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
            entry.write(b"\x00" * (size % len(chunk)))
    return buffer.getvalue()


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2], ids=["deflate", "bzip2"])
def test_an_xlsx_zip_bomb_is_refused_before_anything_is_inflated(uploader, monkeypatch, compression):
    bomb = _bomb(compression) if compression == zipfile.ZIP_DEFLATED else _bomb(compression, size=1000)
    assert len(bomb) < 1024 * 1024  # well under the upload limit: only the inflated size is the problem

    def must_not_read(*_args, **_kwargs):
        raise AssertionError("the workbook was read")

    monkeypatch.setattr(table_files, "_read_xlsx", must_not_read)  # every reader (openpyxl, calamine) is behind it
    response = _post(uploader(Role.HR), "/can-bo/nhap", "file", bomb, "danh-sach.xlsx")
    assert response.status_code == 400 and "giải nén ra quá lớn" in response.text
