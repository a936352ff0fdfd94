"""The misses the labelled corpus (bench/textcheck/corpus) found, each fixed: positives and tricky negatives."""

from __future__ import annotations

import pytest

from learning.textcheck.analyzer import analyze


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, f.text) for f in analyze(text).findings]


@pytest.mark.parametrize(("text", "name"), [
    ("Gửi hồ sơ của ông Bùi Công Tuấn.", "Bùi Công Tuấn"),  # "Công" is also "Công an", "Công văn"
    ("Hộ ông Lê Tiến Bình", "Lê Tiến Bình"),  # "Bình" is also "Bình Liêu"
    ("hộ bà Phạm Diệu Vân, trú tại", "Phạm Diệu Vân"),  # "Vân" is also "Vân Đồn"
    ("đối tượng Đoàn Văn Hưng (sinh năm 1995)", "Đoàn Văn Hưng"),  # "đối tượng" is no statue ("tượng")
    ("Tôi Tạ Văn Cường đề nghị", "Tạ Văn Cường"),  # the pronoun opens the sentence
    ("Người nhận: Trần Văn Phong", "Trần Văn Phong"),  # "Trần Văn" is no place
    ("Anh Sơn ơi, gửi giúp em", "Sơn"),
])
def test_names_with_words_that_are_also_places(text, name):
    assert ("person_name", name) in found(text)


@pytest.mark.parametrize("text", [
    "UBND huyện Bình Liêu tổ chức hội nghị.",
    "Công an phường Hồng Gai tiếp nhận.",
    "Trung tâm Văn hóa tỉnh mở cửa.",
    "Du lịch Hồ Ba Bể",  # a family name, then place words that are no given names
    "1\tVũ Thị Nhàn\t1955\tTổ 9, khu 5, phường Cao Xanh\tNgười có công",  # "Xanh" ends in "anh": no title
    "STT\tHọ và tên\tChức vụ\tEmail",  # a header cell after "tên" is no name
])
def test_no_name_in_places_institutions_and_headers(text):
    assert [f for f in found(text) if f[0] == "person_name" and f[1] in ("Bình Liêu", "Công", "Trung",
                                                                        "Người", "Chức", "Hồng Gai",
                                                                        "Hồ Ba Bể")] == []


def test_address_stops_at_the_end_of_its_line():
    text = "Trú tại: tổ 2, khu 9, phường Hà Lầm, thành phố Uông Bí\nSố điện thoại: 0912345678"
    assert ("address", "tổ 2, khu 9, phường Hà Lầm, thành phố Uông Bí") in found(text)


def test_address_stops_at_a_table_cell():
    row = "1\tLê Văn An\tTổ 3, khu 2, phường Cao Xanh\tNgười có công"
    assert ("address", "Tổ 3, khu 2, phường Cao Xanh") in found(row)


def test_column_header_is_context_in_a_pasted_list():
    table = "STT\tHọ và tên\tNgày sinh\tSố tài khoản\n1\tLê Văn An\t12/05/1985\t0451000398217\n"
    assert ("birth_date", "12/05/1985") in found(table)
    assert ("bank_account", "0451000398217") in found(table)
    years = "STT\tHọ tên\tNăm sinh\n1\tPhạm Văn Lượng\t1948\n"
    assert ("birth_date", "1948") in found(years)


@pytest.mark.parametrize("text", [
    "STT\tĐơn vị\tNgày ký\tSố tiền\n1\tPhường Hồng Gai\t12/05/2024\t0451000398\n",  # no birth, no account header
    "Năm\tSố hộ\n2024\t312\n",  # a year column that is no year of birth
    "Lập ngày 12/05/2024, năm 2010 chuyển về",  # a bare year outside a table
])
def test_no_header_context_without_the_header(text):
    assert [f for f in found(text) if f[0] in ("birth_date", "bank_account")] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("UBND PHƯỜNG HỒNG GAI\nMẬT\nSố: 12/BC-UBND", ("secret_marker", "MẬT")),  # headings on other lines
    ("MẬT\nBÁO CÁO", ("secret_marker", "MẬT")),
    ("Đề nghị không phổ biến nội dung báo cáo này.", ("secret_marker", "không phổ biến")),
    ("mã OTP đăng nhập hệ thống của em là 532359", ("credential", "532359")),
    ("mật khẩu wifi phòng họp tầng 2: PhongHop@T2", ("credential", "PhongHop@T2")),
    ("Ghi chú: Khuyết tật nặng", ("sensitive", "Khuyết tật nặng")),
])
def test_markers_credentials_sensitive(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "CHƯƠNG II. BẢO MẬT THÔNG TIN",
    "Hình thức này không phổ biến ở địa phương.",
    "Cần đặt mật khẩu mạnh cho tài khoản.",
    "mã OTP sẽ được gửi về điện thoại trong vòng vài giây",
])
def test_still_no_marker_or_credential(text):
    assert found(text) == []


def test_a_password_at_the_end_of_a_sentence_leaves_the_full_stop_out():
    text = "Anh đăng nhập giúp em, mật khẩu: Hoa-sen-2026. Cảm ơn anh."
    assert [t for kind, t in found(text) if kind == "credential"] == ["Hoa-sen-2026"]
