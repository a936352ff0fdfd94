"""The compliance PDF report laid out as an administrative document (issue 18 item 15, Nghị định 30/2020):
the issuing body and the Quốc hiệu on one line each, the date line, the signatures, rows never split across
pages and the header row repeated on every page."""

import re
import subprocess  # nosec B404 - pdftotext on a file the test wrote
from datetime import date

import pytest
from weasyprint.formatting_structure import boxes

from learning.assignments import exports
from learning.assignments import views as assignment_views
from learning.auth.models import Role
from learning.core.dates import document_date
from tests.factories import EXPORT_PURPOSE

LONG_UNIT = "Phòng Hành chính tư pháp, Bổ trợ tư pháp và Quản lý xử lý vi phạm hành chính, theo dõi thi hành pháp luật"
LATE = 70  # enough overdue rows for the list to run over several pages


@pytest.mark.parametrize(("day", "text"), [(date(2026, 12, 3), "ngày 03 tháng 12 năm 2026"),
                                            (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
                                            (date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),
                                            (date(2026, 4, 15), "ngày 15 tháng 4 năm 2026")])
def test_document_dates_follow_decree_30(day, text):
    assert document_date(day) == text


@pytest.fixture
def report(client, login, create_account, create_unit, create_person, create_assignment, create_course_version,
           org, monkeypatch, tmp_path):
    """The report of the whole province on 03/12/2026, its text per page and its laid-out document."""
    unit = create_unit(LONG_UNIT, parent=org["dept"], code="STP-9")
    create_assignment(org["province"], create_course_version(title="Bảo vệ dữ liệu cá nhân"),
                      due_on=date(2026, 1, 31))
    for i in range(LATE):
        create_person(f"Nguyễn Văn Trễ{i:02d}", unit=unit)
    hr = create_account((Role.HR, None), full_name="Trần Thị Lập")
    login(hr)
    monkeypatch.setattr(assignment_views, "local_today", lambda: date(2026, 12, 3))
    laid_out = {}
    original = exports.pdf_document

    def keep(html):  # noqa: ANN001, ANN202
        laid_out["document"] = original(html)
        return laid_out["document"]

    monkeypatch.setattr(exports, "pdf_document", keep)
    response = client.post("/tuan-thu/bao-cao.pdf?nam=2026", data=EXPORT_PURPOSE)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,  # noqa: S603, S607
                          text=True).stdout  # nosec B603 B607
    return {"pages": text.split("\f"), "document": laid_out["document"], "path": path}


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


def test_heading_date_and_signatures(report):
    first = _lines(report["pages"][0])
    # The issuing body and the Quốc hiệu side by side, each whole on one line; the motto on the next.
    assert first[0] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert first[1] == "Độc lập - Tự do - Hạnh phúc"
    assert "Quảng Ninh, ngày 03 tháng 12 năm 2026" in first
    last = _lines(next(p for p in reversed(report["pages"]) if p.strip()))
    assert "Người lập biểu Thủ trưởng đơn vị" in last
    assert "(Ký, ghi rõ họ tên) (Ký, ghi rõ họ tên, đóng dấu)" in last
    assert "Trần Thị Lập" in last


def test_rows_are_not_split_and_the_header_row_is_repeated(report):
    pages = [p for p in report["pages"] if p.strip()]
    late = re.compile(r"Trễ\d\d")
    with_late = [p for p in pages if late.search(p)]
    assert len(with_late) >= 2
    for page in with_late:
        assert "STT Họ và tên Đơn vị Khóa học Hạn" in _lines(page), page[:400]
    assert sum(len(late.findall(p)) for p in pages) == LATE
    seen: dict[int, int] = {}
    for number, page in enumerate(report["document"].pages):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableRowGroupBox) and not box.is_header:
                for row in box.children:
                    assert id(row.element) not in seen, f"a row is split between pages {seen.get(id(row.element))} and {number}"
                    seen[id(row.element)] = number
    assert len(seen) >= LATE
