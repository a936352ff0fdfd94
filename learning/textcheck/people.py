"""Recognizers for full names and addresses: small scanners over capitalised words and address parts."""

from __future__ import annotations

import re
from collections.abc import Iterator

UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper() and len(c) == 1 and c.isalpha())
CAPWORD = rf"[{re.escape(UPPER)}][^\W\d_]*(?:'[^\W\d_]+)?"
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

# Vietnamese family names (the common ones cover ~99 % of the population).
FAMILY = frozenset("""nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đào đoàn vương trịnh
 trương lâm phùng mai tô tạ quách lương đinh la cao hà chu thái lưu từ diệp triệu kiều khúc lục mạc nghiêm
 nông tăng thân tôn âu doãn giang hứa kha khổng lã lạc lò mẫn ninh phó quan quản tống ông viên văn hầu
 bạch cù đàm đồng hàn lều lộc""".split())
MIDDLE = frozenset("văn thị hữu đức minh thanh ngọc quang xuân thu hồng kim công đình anh bá gia".split())
# Capitalised words that open institutions and titles, never a person's name.
NOT_NAME = frozenset("""ủy uỷ ban ubnd hđnd sở phòng chủ phó giám trưởng bí trung tâm công bệnh trường tổ hội đảng
 nhà tỉnh huyện xã phường thành quận thị thôn xóm đường phố ngõ khu cục chi viện tòa toà văn kính căn cứ quyết
 luật nghị thông điều khoản mục chương phần báo biên kế đơn giấy thư hồ danh bảng ngày tháng năm số theo về
 cộng độc việt nam quảng ninh hạ long cẩm phả móng uông bí đông triều tiên yên hải bình liêu vân đồn cô tô
 đầm hà ba chẽ kim sơn lạng giang hưng trãi""".split()) - {"văn", "kim", "thị"}
FAMOUS = frozenset({"hồ chí minh", "võ nguyên giáp", "trần hưng đạo", "nguyễn trãi", "lý thường kiệt",
                    "lê thánh tông", "nguyễn du", "phan bội châu", "phan chu trinh", "nguyễn huệ", "lê lợi",
                    "nguyễn văn cừ", "trần phú", "lê hồng phong", "nguyễn thị minh khai", "võ thị sáu",
                    "lê quý đôn", "nguyễn tất thành", "tôn đức thắng", "phạm văn đồng", "trần quốc toản",
                    "nguyễn văn linh", "lê duẩn", "trường chinh", "đinh tiên hoàng", "lý thái tổ"})
PLACES = frozenset({"hà nội", "hà giang", "hà nam", "hà tĩnh", "cao bằng", "lạng sơn", "thái bình", "thái nguyên",
                    "lâm đồng", "hà tu", "hà lầm", "hà khẩu", "hà phong", "hà trung", "hà khánh", "cao xanh",
                    "cao thắng", "mai động", "hoàng mai", "hoàng quế", "hồng hà", "đồng nai", "đồng tháp",
                    "đồng đăng", "bạch đằng", "lê chân", "hà an", "hoàng tân", "phạm vi", "trần văn"})
NAME_CONTEXT = re.compile(
    r"(?:(?<!\w)(?:ông|bà|anh|chị|em|cháu|cô|chú|bác|cụ|đồng chí|đ/c|họ và tên|họ tên|họ, tên|tên|"
    r"người làm đơn|người khiếu nại|người tố cáo|người đề nghị|người phản ánh|bệnh nhân|công dân|học sinh|"
    r"tôi là|tôi tên là|em là|con trai|con gái|vợ|chồng|mẹ|bố|cha|người nhận|người gửi|chủ hộ|"
    r"kính gửi|gửi|thân nhân|người liên hệ|cán bộ|giáo viên|sinh viên) *[:：]? *)$", re.IGNORECASE)
NAME_PREFIX_BLOCK = re.compile(
    r"(?<!\w)(?:đường|phố|phường|xã|quận|huyện|tỉnh|thành phố|thôn|xóm|ấp|trường|ngõ|hẻm|kiệt|khu|cầu|chợ|"
    r"bến|sông|núi|đền|chùa|(?<!đối )tượng|lăng|giải|quỹ|tư tưởng|chủ tịch|đại tướng|thpt|thcs|tiểu học|mầm non|"
    r"tp\.?|p\.|q\.)\s*$", re.IGNORECASE)
TITLE_TOKENS = frozenset({"ông", "bà", "anh", "chị", "em", "cháu", "cô", "chú", "bác", "cụ"})
LEADING = TITLE_TOKENS | {"tôi", "con", "đ/c"}  # "Tôi Tạ Văn Cường": the pronoun opens the sentence, not the name
# Words of NOT_NAME (place names, "công an", "trung tâm") that are also common middle and given names: after a
# family name they continue the name ("Bùi Công Tuấn", "Lê Tiến Bình", "Phạm Diệu Vân", "Đoàn Văn Hưng").
GIVEN_TOO = frozenset("""công sơn trung bình nam hải việt hà long hưng giang ninh thành quang đông an hồng tâm
 phú cao mai vân""".split())


def _groups(text: str) -> Iterator[list[re.Match]]:
    group: list[re.Match] = []
    for match in WORD.finditer(text):
        word = match.group()
        if word[0].isupper() and (not group or text[group[-1].end():match.start()] == " "):
            group.append(match)
            continue
        if group:
            yield group
        group = [match] if word[0].isupper() else []
    if group:
        yield group


def _same_case(first: str, word: str) -> bool:
    return first.isupper() == word.isupper() or len(word) == 1


def scan_names(text: str) -> Iterator[tuple[int, int, float]]:
    for group in _groups(text):
        while group and group[0].group().lower() in LEADING and len(group) > 1:
            group = group[1:]  # "Ông Nguyễn Văn An", "Bà Lan": the title is context, not the name
        if not group:
            continue
        first = group[0].group()
        tokens = [group[0]]
        led_by_family = first.lower() in FAMILY
        for match in group[1:6]:
            word = match.group()
            blocked = word.lower() in NOT_NAME and not (led_by_family and word.lower() in GIVEN_TOO)
            if blocked or not _same_case(first, word):
                break
            tokens.append(match)
        start, end = tokens[0].start(), tokens[-1].end()
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, start - 30):start]
        if NAME_PREFIX_BLOCK.search(before):
            continue
        words = [t.group().lower() for t in tokens]
        phrase = " ".join(words)
        if phrase in FAMOUS or phrase in PLACES or (" ".join(words[:2]) in PLACES and words[1] not in MIDDLE):
            continue
        context = NAME_CONTEXT.search(before) is not None or \
            (text[max(line_start, start - 12):start].lower().split() or [""])[-1] in TITLE_TOKENS
        family = words[0] in FAMILY
        if family and (len(words) >= 3 or (len(words) == 2 and (context or words[1] in MIDDLE))):
            yield start, end, 0.95 if context else 0.75
        elif context and (words[0] not in NOT_NAME or (len(words) == 1 and words[0] in GIVEN_TOO)) \
                and len(words) <= 4 and first[0].isupper() \
                and not (len(words) == 1 and first.isupper() and len(first) > 1 and not first.istitle()):
            yield start, end, 0.7


# Addresses: a chain of parts "keyword Name" (số nhà 12, đường Lê Lợi, tổ 5, khu 3, phường Hồng Hải, …).
NUM = r"\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*"
NAME = rf"(?:{NUM}(?: +{CAPWORD}(?: +{CAPWORD}){{0,4}})?|{CAPWORD}(?: +{CAPWORD}){{0,4}})"
PERSONAL_KW = (r"số nhà|nhà số|tổ dân phố|khu phố|khu dân cư|ngõ|ngách|hẻm|kiệt|tổ|khóm|thôn|xóm|ấp|bản|"
               r"khu|số")
ADMIN_KW = r"đường|phố|phường|xã|thị trấn|thị xã|thành phố|quận|huyện|tỉnh|tp\.?|p\.|q\.|tx\.?|tt\."
PART = rf"(?i:{PERSONAL_KW}|{ADMIN_KW}) *{NAME}"
LEAD = rf"{NUM}(?: +{CAPWORD}){{1,5}}|{CAPWORD}(?: +{CAPWORD}){{0,4}}"
SEP = r"(?: *[,\-–] *| +)"  # spaces only: an address does not run on into the next line or table cell
CHAIN = re.compile(rf"(?<!\w)(?P<first>{PART})(?:{SEP}{PART})*")
PART_RE = re.compile(PART)
PERSONAL_START = re.compile(rf"(?i:{PERSONAL_KW})\s*{NAME}|(?i:đường|phố)\s*{NUM}")
ADDRESS_CONTEXT = re.compile(
    r"(?<!\w)(?i:địa chỉ(?: thường trú| liên hệ| cư trú| nhà)?|(?:nơi )?thường trú(?: tại)?|tạm trú(?: tại)?|"
    r"trú tại|cư trú tại|nơi cư trú|nơi ở(?: hiện nay| hiện tại)?|hộ khẩu(?: thường trú)?|quê quán|nguyên quán|"
    r"ở tại|sinh sống tại|đ/c|nhà ở|hiện ở|hiện đang ở|nhà tôi ở|nhà em ở|ở) *(?:tại|ở)? *[:：]? *"
    rf"(?P<addr>(?:{PART}|{LEAD})(?:{SEP}{PART})*)")


def scan_addresses(text: str) -> Iterator[tuple[int, int, float]]:
    for match in ADDRESS_CONTEXT.finditer(text):
        start, end = match.span("addr")
        lead = match.group("addr")
        if PART_RE.match(lead) or re.match(NUM, lead) or len(PART_RE.findall(lead)) >= 1:
            yield start, end, 0.9
    for match in CHAIN.finditer(text):
        parts = PART_RE.findall(match.group())
        if len(parts) >= 2 and PERSONAL_START.match(match.group()):
            yield match.start(), match.end(), 0.75
