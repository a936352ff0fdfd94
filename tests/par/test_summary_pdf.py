"""The PAR summary PDF is laid out as the compliance report is (issue 18 item 15, Nghị định 30/2020)."""

import re
import subprocess  # nosec B404 - pdftotext on a file the test wrote
from datetime import date

from learning.auth.models import Role
from learning.par import evidence
from tests.factories import EXPORT_PURPOSE


def test_summary_pdf_has_the_heading_date_line_signatures_and_computed_points(
        client, login, create_account, province, create_unit, monkeypatch, tmp_path):
    unit = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    login(create_account((Role.PAR_ASSESSOR, None), full_name="Lê Thu Hà"))
    monkeypatch.setattr(evidence, "local_today", lambda: date(2026, 2, 5))
    response = client.post(f"/cchc/2026/don-vi/{unit.id}/minh-chung.pdf", data=EXPORT_PURPOSE)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "minh-chung.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,  # noqa: S603, S607
                          text=True).stdout  # nosec B603 B607
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert lines[1] == "Độc lập - Tự do - Hạnh phúc"
    assert "Quảng Ninh, ngày 05 tháng 02 năm 2026" in lines
    assert "Người lập biểu Thủ trưởng đơn vị" in lines and "Lê Thu Hà" in lines
    assert "từ số liệu" in text and "Tự đánh giá" not in text
