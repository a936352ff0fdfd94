"""What each finding type is, and which rule of the regulation library it touches (a citation key or None)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Personal identifiers: the leaflet's "không chia sẻ, tiết lộ cho bên thứ ba không có thẩm quyền" (a chatbot
# is such a third party). Secrecy markers: its responsible-AI point "không dùng AI để xử lý thông tin mật".
# Credentials: QĐ 22/2024 Điều 5 khoản 3, "bảo mật tài khoản của cá nhân".
SHARE = "leaflet#p2-i-3"
PROTECT = "leaflet#p2-ii-1"
CLASSIFIED = "leaflet#p1-iii-4"
ACCOUNT = "qd-22-2024-qn#d5-k3"


@dataclass(frozen=True)
class Rule:
    label: str
    explanation: str
    key: str | None


RULES: dict[str, Rule] = {
    "cccd": Rule(_l("Số CCCD"), _l("Số căn cước công dân định danh một người: là dữ liệu cá nhân, không được đưa "
                                   "cho bên thứ ba như công cụ AI."), SHARE),
    "cmnd": Rule(_l("Số CMND"), _l("Số chứng minh nhân dân (9 số) vẫn định danh một người: không chia sẻ cho bên "
                                   "thứ ba."), SHARE),
    "phone": Rule(_l("Số điện thoại"), _l("Số điện thoại cá nhân là dữ liệu cá nhân: chỉ dùng đúng mục đích công "
                                          "vụ, không chia sẻ cho bên thứ ba."), SHARE),
    "email": Rule(_l("Thư điện tử"), _l("Địa chỉ thư điện tử của công dân là dữ liệu cá nhân: không chia sẻ cho "
                                        "bên thứ ba."), SHARE),
    "bank_account": Rule(_l("Số tài khoản ngân hàng"), _l("Số tài khoản ngân hàng là dữ liệu cá nhân, có thể bị "
                                                          "lợi dụng để lừa đảo: không tiết lộ."), SHARE),
    "card": Rule(_l("Số thẻ ngân hàng"), _l("Số thẻ thanh toán là dữ liệu tài chính của một người: không tiết lộ, "
                                            "tránh rò rỉ."), PROTECT),
    "tax_code": Rule(_l("Mã số thuế"), _l("Mã số thuế cá nhân định danh một người: không chia sẻ cho bên thứ "
                                          "ba."), SHARE),
    "social_insurance": Rule(_l("Số BHXH"), _l("Số sổ bảo hiểm xã hội định danh một người: không chia sẻ cho "
                                               "bên thứ ba."), SHARE),
    "plate": Rule(_l("Biển số xe"), _l("Biển số xe gắn với chủ xe nên là dữ liệu cá nhân: không chia sẻ cho bên "
                                       "thứ ba."), SHARE),
    "birth_date": Rule(_l("Ngày sinh"), _l("Ngày sinh cùng họ tên đủ để nhận ra một người: không chia sẻ cho bên "
                                           "thứ ba."), SHARE),
    "address": Rule(_l("Địa chỉ"), _l("Địa chỉ nơi ở của công dân là dữ liệu cá nhân: không chia sẻ cho bên thứ "
                                      "ba."), SHARE),
    "person_name": Rule(_l("Họ tên"), _l("Họ tên là dữ liệu cá nhân cơ bản: hãy thay bằng cách gọi chung trước "
                                         "khi đưa văn bản ra ngoài."), SHARE),
    "sensitive": Rule(_l("Dữ liệu nhạy cảm"), _l("Sức khỏe, dân tộc, tôn giáo, quan điểm chính trị, tiền án, sinh "
                                                 "trắc học là dữ liệu cá nhân nhạy cảm, cần bảo vệ chặt nhất, "
                                                 "tránh mọi rò rỉ."), PROTECT),
    "secret_marker": Rule(_l("Dấu mật, nội bộ"), _l("Văn bản mang dấu mật hoặc “lưu hành nội bộ” tuyệt đối không "
                                                    "được đưa vào công cụ AI."), CLASSIFIED),
    "credential": Rule(_l("Mật khẩu, mã OTP, khóa API"), _l("Mật khẩu, mã OTP và khóa truy cập phải được giữ kín; "
                                                            "lộ ra là mất quyền kiểm soát tài khoản."), ACCOUNT),
}
