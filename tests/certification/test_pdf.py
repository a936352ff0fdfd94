"""The issued PDF is a real document: Vietnamese text intact, font embedded, QR to the verify page."""

import io
from datetime import UTC, datetime

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from learning.certification.pdf import CertificateRenderer, place_and_date


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_text_keeps_vietnamese_name_and_heading(issue_certificate):
    cert = issue_certificate()
    text = _text(cert.file.pdf)
    for expected in ("Nguyễn Thị Ánh Tuyết", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "GIẤY CHỨNG NHẬN", cert.serial,
                     "ỦY BAN NHÂN DÂN", "Quảng Ninh, ngày"):
        assert expected in text, expected


def test_pdf_is_a4_landscape_with_embedded_font_and_metadata(issue_certificate):
    cert = issue_certificate()
    reader = PdfReader(io.BytesIO(cert.file.pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [fonts[name].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   if "/DescendantFonts" in fonts[name].get_object()
                   else fonts[name].get_object()["/FontDescriptor"] for name in fonts]
    assert descriptors and all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    # The family name only exists in the bundled @font-face, so no system font was substituted.
    assert all("Cert-Serif" in str(d["/FontName"]) for d in descriptors)
    meta = reader.metadata
    assert cert.serial in meta.title and "Nguyễn Thị Ánh Tuyết" in meta.title
    assert meta.author == "Ủy ban nhân dân tỉnh Quảng Ninh"
    assert "Ứng xử văn minh" in meta.subject


def test_qr_code_decodes_to_the_verify_url(issue_certificate):
    cert = issue_certificate()
    page = pypdfium2.PdfDocument(cert.file.pdf)[0]
    image = page.render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [f"http://verify.test/xac-thuc/{cert.code}"]


def test_user_text_is_escaped_in_the_template():
    renderer = CertificateRenderer(org_name="UBND", org_place="Quảng Ninh")
    from datetime import date, datetime

    from learning.certification.pdf import CertificateView

    html = renderer.html(CertificateView("QN-2026-000001", "A" * 16, "<img src=x onerror=1>", "Đơn vị",
                                         "Khóa", 90, datetime(2026, 1, 1), date(2027, 1, 1), "http://x/y"))
    assert "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.parametrize(("when", "text"), [
    (datetime(2026, 2, 5, 3, 0, tzinfo=UTC), "Quảng Ninh, ngày 05 tháng 02 năm 2026"),
    (datetime(2026, 8, 17, 3, 0, tzinfo=UTC), "Quảng Ninh, ngày 17 tháng 8 năm 2026"),
    (datetime(2026, 12, 31, 18, 0, tzinfo=UTC), "Quảng Ninh, ngày 01 tháng 01 năm 2027"),  # already 1 January in Hà Nội
])
def test_place_and_date_follow_the_administrative_style(when, text):
    assert place_and_date("Quảng Ninh", when) == text
