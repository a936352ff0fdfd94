"""Each detector: positives in the forms office text uses, and the tricky negatives it must leave alone."""

from __future__ import annotations

import unicodedata

import pytest

from learning.textcheck.analyzer import analyze


def found(text: str) -> list[tuple[str, str]]:
    return [(f.type, f.text) for f in analyze(text).findings]


@pytest.mark.parametrize(("text", "expected"), [
    ("CCCD số 022085001234 cấp ngày 10/4/2021", ("cccd", "022085001234")),
    ("Số định danh cá nhân: 001190012345.", ("cccd", "001190012345")),
    ("022 085 001 234", ("cccd", "022 085 001 234")),
    ("CMND số 100234567 do Công an Quảng Ninh cấp", ("cmnd", "100234567")),
    ("SĐT: 0912 345 678", ("phone", "0912 345 678")),
    ("gọi 0912.345.678 nhé", ("phone", "0912.345.678")),
    ("Zalo +84 912 345 678", ("phone", "+84 912 345 678")),
    ("ĐT cơ quan (0203) 3835 123", ("phone", "(0203) 3835 123")),
    ("gửi vào an.nguyen85@gmail.com giúp em", ("email", "an.nguyen85@gmail.com")),
    ("STK 1903 4567 8901 23 tại Techcombank", ("bank_account", "1903 4567 8901 23")),
    ("Số tài khoản: 0911000123456 Vietcombank", ("bank_account", "0911000123456")),
    ("thẻ 4111 1111 1111 1111 hết hạn 12/27", ("card", "4111 1111 1111 1111")),
    ("Mã số thuế: 5701234567-001", ("tax_code", "5701234567-001")),
    ("Mã số BHXH 2220123456", ("social_insurance", "2220123456")),
    ("thẻ BHYT DN4220123456789", ("social_insurance", "DN4220123456789")),
    ("xe biển số 14B2-345.67 đỗ trước cổng", ("plate", "14B2-345.67")),
    ("ô tô 29A-123.45", ("plate", "29A-123.45")),
    ("sinh ngày 12/05/1985 tại Hạ Long", ("birth_date", "12/05/1985")),
    ("Nguyễn Thị Hoa, sinh năm 1962", ("birth_date", "1962")),
    ("trú tại số nhà 12, đường Lê Lợi, phường Hồng Gai", ("address", "số nhà 12, đường Lê Lợi, phường Hồng Gai")),
    ("Hộ gia đình ở thôn 3, xã Yên Than, huyện Tiên Yên", ("address", "thôn 3, xã Yên Than, huyện Tiên Yên")),
    ("Họ và tên: NGUYỄN VĂN AN", ("person_name", "NGUYỄN VĂN AN")),
    ("Đề nghị ông Trần Quốc Bảo bổ sung hồ sơ", ("person_name", "Trần Quốc Bảo")),
    ("nhờ chị Lan gửi lại", ("person_name", "Lan")),
    ("Cháu bị trầm cảm từ năm ngoái", ("sensitive", "trầm cảm")),
    ("dân tộc: Tày", ("sensitive", "dân tộc: Tày")),
    ("Đương sự có tiền án về tội trộm cắp", ("sensitive", "tiền án")),
    ("Kèm mẫu vân tay", ("sensitive", "mẫu vân tay")),
    ("TỐI MẬT", ("secret_marker", "TỐI MẬT")),
    ("Tài liệu lưu hành nội bộ", ("secret_marker", "lưu hành nội bộ")),
    ("Mật khẩu: Hoasen@2024", ("credential", "Hoasen@2024")),
    ("mã OTP của anh là 482913", ("credential", "482913")),
    ("key: sk-proj-abcdefghijklmnopqrstuvwx12", ("credential", "sk-proj-abcdefghijklmnopqrstuvwx12")),
])
def test_positive(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "Căn cứ Quyết định số 22/2024/QĐ-UBND ngày 15/3/2024 của UBND tỉnh Quảng Ninh.",
    "Công văn số 1480/VP.UBND ngày 14/5/2023 về việc triển khai.",
    "Tổng kinh phí 150.000.000 đồng; đã giải ngân 25.500.000 đ.",
    "Hỗ trợ 1500000 đồng mỗi hộ, tổng 123456789 đồng.",
    "Mã hồ sơ: 000.00.24.H46-240315-0012 đã tiếp nhận.",
    "Hà Nội, ngày 12 tháng 5 năm 2024",
    "UBND phường Hồng Hải, thành phố Hạ Long tổ chức hội nghị.",
    "Đường Nguyễn Văn Cừ và đường Trần Hưng Đạo được sửa.",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Bệnh viện Tâm thần tỉnh tổ chức khám.",
    "Cần đặt mật khẩu mạnh cho tài khoản.",
    "PHẠM VI ĐIỀU CHỈNH",
    "CHƯƠNG II. BẢO MẬT THÔNG TIN",
    "Hình thức này không phổ biến ở địa phương.",
    "Hotline 1900 1234 hỗ trợ 24/7.",
    "Ông Chủ tịch UBND xã chỉ đạo.",
    "Điều 5, khoản 3, điểm a.",
])
def test_negative(text):
    assert found(text) == []


def test_offsets_are_code_points_of_nfc():
    decomposed = unicodedata.normalize("NFD", "Ông Nguyễn Văn An, SĐT 0912345678")
    analysis = analyze(decomposed)
    assert analysis.text == unicodedata.normalize("NFC", decomposed)
    phone = next(f for f in analysis.findings if f.type == "phone")
    assert analysis.text[phone.start:phone.end] == "0912345678"
    assert analysis.redacted == "Ông [HỌ TÊN], SĐT [SỐ ĐIỆN THOẠI]"


def test_card_needs_luhn():
    assert ("card", "4111 1111 1111 1112") not in found("thẻ 4111 1111 1111 1112")


def test_cccd_structure():
    # 999 is no province code, 8 no century digit: without a label these are just numbers
    assert found("mã 999085001234 và 022885001234") == []
