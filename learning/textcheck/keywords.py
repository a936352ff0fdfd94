"""Recognizers for sensitive personal data, secrecy markers and credentials (keywords with context)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from learning.textcheck.recognizers import Pattern, Recognizer

_I = re.IGNORECASE
ETHNIC = (r"Kinh|Tày|Thái|Mường|Khmer|Khơ-me|Hoa|Nùng|H'Mông|HMông|Mông|Dao|Gia Rai|Gia-rai|Ê Đê|Ê-đê|Ba Na|"
          r"Sán Chay|Sán Dìu|Chăm|Cơ Ho|Xơ Đăng|Hrê|Ra Glai|Bru - Vân Kiều|Thổ|Giáy|Cơ Tu|Mạ|Khơ Mú|Tà Ôi|"
          r"Chơ Ro|Kháng|Hà Nhì|Chu Ru|Lào|La Chí|Phù Lá|La Hủ|Lự|Lô Lô|Pà Thẻn|Cờ Lao|Bố Y|Pu Péo|Ngái")
RELIGION = (r"Phật giáo|Công giáo|Thiên Chúa giáo|Thiên Chúa|Tin Lành|Cao Đài|Hòa Hảo|Hồi giáo|Islam|"
            r"đạo Phật|đạo Thiên Chúa|đạo Tin Lành|đạo Cao Đài|đạo Hồi")
HEALTH = (r"HIV(?:/AIDS)?|AIDS|ung thư(?: [\wà-ỹ]+)?|tâm thần phân liệt|rối loạn tâm thần|bệnh tâm thần|"
          r"trầm cảm|động kinh|viêm gan [BC]|lao phổi|tiểu đường|đái tháo đường|suy thận(?: mạn)?|"
          r"nghiện ma túy|nghiện ma tuý|cai nghiện|tự kỷ|vô sinh|sảy thai|phá thai|mang thai|"
          r"khuyết tật (?:vận động|nặng|đặc biệt nặng|trí tuệ|nhìn|nghe)|nhóm máu (?:AB|A|B|O)[+-]?|"
          r"bệnh án|hồ sơ bệnh án|kết quả xét nghiệm|dương tính với [\wÀ-ỹ-]+|đột quỵ|ung bướu")
CRIMINAL = (r"tiền án|tiền sự|án tích|bị kết án|đã bị kết án|chấp hành án phạt tù|chấp hành xong án phạt tù|"
            r"án treo|bị khởi tố|bị tạm giam|bị truy nã|đặc xá|cải tạo không giam giữ|"
            r"phạm tội [\wà-ỹ ]{2,25}?(?=[,.;\n])")
BIOMETRIC = r"dấu vân tay|mẫu vân tay|vân tay|mống mắt|ADN|DNA|dữ liệu sinh trắc(?: học)?|sinh trắc học|ảnh khuôn mặt"
POLITICAL = r"quan điểm chính trị|chính kiến|khuynh hướng chính trị|tham gia biểu tình|tổ chức phản động"
SEXUAL = r"xu hướng tính dục|đồng tính(?: nam| nữ)?|song tính|chuyển giới|đời sống tình dục"
NOT_AFTER_ORG = re.compile(r"(?<!\w)(?:bệnh viện|trung tâm|hội|khoa|phòng khám|quỹ|chương trình|dự án|"
                           r"luật|nghị định|phòng,? chống|phòng ngừa)\s*$", _I)


class SensitiveRecognizer(Recognizer):
    """Keywords of the special categories of personal data (Decree 13/2023, Article 2.4), except when
    they name an institution ("Bệnh viện Tâm thần", "Trung tâm cai nghiện", "Luật phòng, chống HIV")."""

    def analyze(self, text: str):
        for result in super().analyze(text):
            line_start = text.rfind("\n", 0, result.start) + 1
            if not NOT_AFTER_ORG.search(text[max(line_start, result.start - 25):result.start]):
                yield result


SENSITIVE = re.compile(
    rf"(?<!\w)(?:dân tộc\s*[:：]?\s*(?:{ETHNIC})|(?:tôn giáo\s*[:：]?\s*|theo\s+|tín đồ\s+)(?:{RELIGION})|"
    rf"{HEALTH}|{CRIMINAL}|{BIOMETRIC}|{POLITICAL}|{SEXUAL})(?!\w)", _I)

# Secrecy markers: the stamps of the Law on Protection of State Secrets and "internal only" notices.
STAMP = re.compile(r"(?<![\w])(?:TUYỆT MẬT|TỐI MẬT|MẬT)(?![\w])")
NOTICE = re.compile(r"(?<!\w)(?:(?:chỉ )?lưu hành nội bộ|(?-i:KHÔNG PHỔ BIẾN)|"
                    r"\((?:không phổ biến|mật|tối mật|tuyệt mật)\)|"
                    r"(?:tài liệu|văn bản|thông tin) không phổ biến|"
                    r"không phổ biến(?= (?:nội dung|tài liệu|văn bản|báo cáo|thông tin|ra ngoài))|"
                    r"độ mật\s*[:：]\s*\w+(?: \w+)?|"
                    r"tài liệu mật|văn bản mật|bí mật nhà nước độ (?:mật|tối mật|tuyệt mật)|"
                    r"không được sao chụp|cấm sao chụp)(?!\w)", _I)
UPPER_WORD_AROUND = re.compile(r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]{2,}")


def scan_markers(text: str) -> Iterator[tuple[int, int, float]]:
    for match in STAMP.finditer(text):
        word = match.group()
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        # the words beside the stamp on its own line: a heading above or below is not "MẬT KHẨU"
        before = text[max(line_start, match.start() - 12):match.start()].split()
        after = text[match.end():min(line_end, match.end() + 12)].split()
        if word == "MẬT" and ((before and UPPER_WORD_AROUND.fullmatch(before[-1].strip(":,.")))
                              or (after and UPPER_WORD_AROUND.fullmatch(after[0].strip(":,.")))):
            continue  # "MẬT KHẨU", "BẢO MẬT", "BÍ MẬT": a word in a capitalised heading, not a stamp
        yield match.start(), match.end(), 0.9
    for match in NOTICE.finditer(text):
        yield match.start(), match.end(), 0.85


# Credentials: the value after a label, or a key whose shape gives it away.
# The value ends before a sentence's closing punctuation ("mật khẩu: Hoa-sen-2026." is the password without the dot).
VALUE_AFTER_LABEL = r"(?P<v>[^\s\"'”’,;]{3,79}[^\s\"'”’,;.!?:)])"
LABELLED = re.compile(
    r"(?<!\w)(?:mật khẩu(?: [^\W\d_]+| \d){0,5}?|mat khau|password|passwd|pass|pwd|"
    r"mk|mã pin|pin|passcode) *(?:(?:là|:|=|-) *)[\"'“‘]?" + VALUE_AFTER_LABEL, _I)
OTP = re.compile(r"(?<!\w)(?:otp|mã xác thực|mã xác nhận|mã xác minh|mã kích hoạt|mã bảo mật|mã đăng nhập)"
                 r"[^\d\n]{0,45}?(?P<v>\d{4,8})(?!\d)", _I)
TOKEN_LABEL = re.compile(r"(?<!\w)(?:api[ _\-]?key|secret(?:[ _]key)?|client[ _]secret|access[ _]token|token|"
                         r"khóa api|khoá api)\s*[:=]\s*[\"']?(?P<v>[A-Za-z0-9._~+/=\-]{16,200})", _I)
KEY_SHAPES = re.compile(
    r"(?<![\w\-])(?:sk-(?:proj-)?[A-Za-z0-9_\-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|"
    r"AIza[0-9A-Za-z_\-]{35}|xox[abprs]-[A-Za-z0-9\-]{10,}|hcv_[A-Za-z0-9_\-]{20,}|"
    r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}|"
    r"-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----)(?![\w\-])")


def _secret_like(value: str) -> bool:
    """A password is not a word of a sentence ("mật khẩu: mạnh"): it has a digit or a symbol, or mixed case."""
    return any(c.isdigit() for c in value) or any(not c.isalnum() for c in value) or \
        (any(c.isupper() for c in value[1:]) and any(c.islower() for c in value))


RECOGNIZERS = [
    SensitiveRecognizer("sensitive", [Pattern(SENSITIVE, 0.75)]),
    Recognizer("credential", [Pattern(LABELLED, 0.85, "v")], validate=_secret_like),
    Recognizer("credential", [Pattern(OTP, 0.85, "v"), Pattern(TOKEN_LABEL, 0.85, "v"), Pattern(KEY_SHAPES, 0.95)]),
]
