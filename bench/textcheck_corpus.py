"""Writes bench/textcheck/corpus/generated.jsonl (templates + fake data, fixed seed) and converts the
hand-written texts bench/textcheck/corpus/handwritten.txt into handwritten.jsonl.

    .venv/bin/python bench/textcheck_corpus.py          # rewrite both .jsonl files
    .venv/bin/python bench/textcheck_corpus.py --check  # fail if the committed files differ

One JSON object per line: {"id", "genre", "text", "spans": [{"type", "start", "end"}]}, offsets in code
points of the NFC text. Hand-written texts mark each span inline as ``{type|text}``; texts are separated by
a line ``=== id genre``.
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textcheck_data as fake  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "textcheck" / "corpus"
SEED = 20


class Doc:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.length = 0

    def add(self, *pieces: str) -> Doc:
        for piece in pieces:
            self.parts.append(piece)
            self.length += len(piece)
        return self

    def put(self, kind: str, value: str) -> Doc:
        self.spans.append({"type": kind, "start": self.length, "end": self.length + len(value)})
        return self.add(value)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def petition(rng: random.Random, d: Doc) -> None:
    person, female = fake.name(rng), rng.random() < 0.5
    d.add("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n")
    d.add(rng.choice(["ĐƠN ĐỀ NGHỊ", "ĐƠN KIẾN NGHỊ", "ĐƠN XIN XÁC NHẬN", "ĐƠN PHẢN ÁNH"]), "\n\n")
    d.add(f"Kính gửi: Ủy ban nhân dân phường {rng.choice(fake.WARDS)}\n\n")
    d.add("Tôi tên là: ").put("person_name", person.upper() if rng.random() < 0.4 else person).add("\n")
    if rng.random() < 0.7:
        d.add("Sinh ngày: ").put("birth_date", fake.date(rng)).add("\n")
    if rng.random() < 0.8:
        d.add(rng.choice(["Số CCCD: ", "Căn cước công dân số ", "Số định danh cá nhân: "]))
        d.put("cccd", fake.cccd(rng, spaced=rng.random() < 0.2))
        d.add(f", cấp ngày {fake.date(rng, 2021, 2024)} tại Cục Cảnh sát QLHC về TTXH\n")
    else:
        d.add("CMND số ").put("cmnd", fake.cmnd(rng)).add(" do Công an tỉnh Quảng Ninh cấp\n")
    d.add(rng.choice(["Nơi thường trú: ", "Địa chỉ: ", "Trú tại: "])).put("address", fake.street_address(rng))
    d.add("\nSố điện thoại: ").put("phone", fake.phone(rng)).add("\n\n")
    d.add(f"Căn cứ {fake.decision(rng)} của UBND tỉnh Quảng Ninh, ")
    topic = rng.randrange(4)
    if topic == 0:
        d.add("tôi đề nghị được hỗ trợ tiền điện cho hộ nghèo năm 2024 với mức ", fake.money(rng), ". ")
        d.add("Đề nghị chuyển vào số tài khoản ").put("bank_account", fake.bank_account(rng))
        d.add(f" tại {rng.choice(fake.BANKS)}, chủ tài khoản ").put("person_name", person).add(".\n")
    elif topic == 1:
        d.add("tôi đề nghị xem xét chế độ cho con tôi là cháu ").put("person_name", fake.name(rng))
        d.add(", đang điều trị ").put("sensitive", rng.choice(fake.HEALTH))
        d.add(f" tại Bệnh viện Bãi Cháy từ ngày {fake.date(rng, 2023, 2024)}.\n")
    elif topic == 2:
        d.add("tôi phản ánh việc xe ô tô biển số ").put("plate", fake.plate(rng))
        d.add(" thường xuyên đỗ chắn lối đi chung trước nhà số ", str(rng.randint(2, 99)), ".\n")
    else:
        d.add("tôi đề nghị xác nhận hộ gia đình là người dân tộc thiểu số (").put(
            "sensitive", f"dân tộc: {rng.choice(fake.ETHNIC)}").add(") để làm hồ sơ vay vốn ", fake.money(rng), ".\n")
    d.add(f"Hồ sơ kèm theo: {fake.doc_code(rng)}.\n\n")
    d.add(f"{rng.choice(fake.CITIES)}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2024\n")
    d.add("Người làm đơn\n").put("person_name", person)
    if female:
        d.add("\n")


def report(rng: random.Random, d: Doc) -> None:
    d.add(f"UBND PHƯỜNG {rng.choice(fake.WARDS).upper()}\n")
    if rng.random() < 0.3:
        d.put("secret_marker", rng.choice(["MẬT", "TỐI MẬT"])).add("\n")
    d.add(f"Số: {rng.randint(10, 400)}/BC-UBND\n\nBÁO CÁO\nKết quả rà soát hộ nghèo, hộ cận nghèo năm 2024\n\n")
    d.add(f"Thực hiện {fake.decision(rng)}, UBND phường báo cáo như sau:\n")
    d.add(f"1. Tổng số hộ rà soát: {rng.randint(300, 3000)} hộ; kinh phí thực hiện {fake.money(rng)}.\n")
    d.add("2. Một số trường hợp cần lưu ý: hộ bà ").put("person_name", fake.name(rng, True))
    d.add(", trú tại ").put("address", fake.street_address(rng)).add(", có chồng là ông ")
    d.put("person_name", fake.name(rng, False)).add(rng.choice([" đang chấp hành án", " có "]))
    if rng.random() < 0.5:
        d.add("; con trai ").put("sensitive", rng.choice(fake.CRIMINAL)).add(" về tội trộm cắp tài sản.\n")
    else:
        d.add("; bản thân bà mắc bệnh ").put("sensitive", rng.choice(fake.HEALTH))
        d.add(", không có khả năng lao động.\n")
    d.add("3. Đầu mối liên hệ: đồng chí ").put("person_name", fake.name(rng)).add(", công chức LĐTBXH, ĐT ")
    d.put("phone", fake.phone(rng)).add(".\n")
    d.add(f"Báo cáo căn cứ {fake.doc_code(rng)}.\n")
    if rng.random() < 0.4:
        d.add("Tài liệu ").put("secret_marker", "lưu hành nội bộ").add(".\n")
    d.add("\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n").put("person_name", fake.name(rng))


def minutes(rng: random.Random, d: Doc) -> None:
    d.add("BIÊN BẢN HỌP\nV/v giải quyết kiến nghị của công dân\n\n")
    d.add(f"Thời gian: 8 giờ 30, ngày {fake.date(rng, 2024, 2025)}. Địa điểm: hội trường UBND xã ")
    d.add(rng.choice(fake.COMMUNES), ".\n")
    d.add("Thành phần: ông ").put("person_name", fake.name(rng, False)).add(" - Chủ tịch UBND xã, chủ trì; bà ")
    d.put("person_name", fake.name(rng, True)).add(" - công chức Tư pháp - Hộ tịch, thư ký.\n")
    d.add("Công dân: ông ").put("person_name", fake.name(rng, False)).add(", sinh năm ")
    d.put("birth_date", str(rng.randint(1950, 1990))).add(", CCCD số ").put("cccd", fake.cccd(rng))
    d.add(", trú tại ").put("address", fake.street_address(rng)).add(".\n")
    d.add(f"Nội dung: công dân đề nghị xem xét lại việc thu hồi đất theo {fake.decision(rng)}, ")
    d.add(f"diện tích {rng.randint(50, 900)} m2, số tiền bồi thường {fake.money(rng)}.\n")
    d.add(f"Theo quy định tại {fake.doc_code(rng)} Luật Đất đai, UBND xã sẽ trả lời trước ngày ")
    d.add(fake.date(rng, 2025, 2025), ".\n")
    if rng.random() < 0.5:
        d.add("Công dân cung cấp thêm số điện thoại ").put("phone", fake.phone(rng)).add(" và email ")
        person = fake.name(rng)
        d.put("email", fake.email(rng, person)).add(" để nhận kết quả.\n")
    d.add("Biên bản kết thúc lúc 10 giờ cùng ngày.\n\nTHƯ KÝ\t\tCHỦ TRÌ\n")


def zalo(rng: random.Random, d: Doc) -> None:
    style = rng.randrange(5)
    if style == 0:
        d.add("e gửi a thông tin hộ ").put("person_name", fake.name(rng)).add(" nhé: cccd ")
        d.put("cccd", fake.cccd(rng)).add(", sđt ").put("phone", fake.phone(rng))
        d.add(f", a xem giúp e theo {fake.decision(rng)} với ạ")
    elif style == 1:
        d.add("Chị ơi, tài khoản dịch vụ công của phường: tên đăng nhập motcua.phuong, ")
        d.add(rng.choice(["mật khẩu: ", "mk: "]))
        d.put("credential", f"Motcua@{rng.randint(2020, 2025)}").add(" nha, đừng chia sẻ ra ngoài nhóm 😅")
    elif style == 2:
        d.add("Anh ").put("person_name", fake.given(rng)).add(" ơi, chuyển khoản tiền hỗ trợ vào STK ")
        d.put("bank_account", fake.bank_account(rng)).add(f" {rng.choice(fake.BANKS)} giúp em, số tiền ")
        d.add(fake.money(rng), " ạ")
    elif style == 3:
        d.add("mã OTP đăng nhập hệ thống của em là ").put("credential", f"{rng.randint(0, 999999):06d}")
        d.add(", bác nhập hộ em với, hạn 5 phút")
    else:
        d.add("Thông báo: lịch tiếp công dân tuần này theo ", fake.decision(rng), "; ")
        d.add(fake.doc_code(rng), ". Đề nghị các đồng chí ")
        d.add("tổ trưởng tổ dân phố nắm và thông báo tới người dân. Liên hệ chị ").put(
            "person_name", fake.given(rng)).add(" số ").put("phone", fake.phone(rng)).add(" nếu cần hỗ trợ.")


def mail(rng: random.Random, d: Doc) -> None:
    sender = fake.name(rng)
    d.add("Từ: ").put("person_name", sender).add(" <").put("email", fake.email(rng, sender)).add(">\n")
    d.add(f"Tiêu đề: Hồ sơ đề nghị cấp thẻ theo {fake.decision(rng)}\n\n")
    d.add("Kính gửi bộ phận Một cửa,\n\nEm gửi hồ sơ của ông ").put("person_name", fake.name(rng, False))
    kind = rng.randrange(3)
    if kind == 0:
        d.add(", mã số BHXH ").put("social_insurance", fake.social_insurance(rng))
        d.add(", mã số thuế cá nhân ").put("tax_code", fake.tax_code(rng)).add(".\n")
    elif kind == 1:
        d.add(", số thẻ ngân hàng ").put("card", fake.card(rng)).add(" (để nhận trợ cấp qua thẻ).\n")
    else:
        d.add(", sinh ngày ").put("birth_date", fake.date(rng)).add(", thẻ BHYT ")
        d.put("social_insurance", fake.social_insurance(rng)).add(".\n")
    d.add(f"Tổng số tiền đề nghị chi trả: {fake.money(rng)}. {fake.doc_code(rng).capitalize()}.\n")
    d.add("Mọi vướng mắc xin liên hệ số ").put("phone", fake.phone(rng)).add(".\n\nTrân trọng,\n").put(
        "person_name", sender)


def excel(rng: random.Random, d: Doc) -> None:
    d.add(f"DANH SÁCH HỘ ĐƯỢC HỖ TRỢ THEO {fake.decision(rng).upper()}\n")
    d.add("STT\tHọ và tên\tNgày sinh\tSố CCCD\tSố điện thoại\tĐịa chỉ\tSố tiền\n")
    for row in range(1, rng.randint(3, 7)):
        d.add(f"{row}\t").put("person_name", fake.name(rng)).add("\t").put("birth_date", fake.date(rng)).add("\t")
        d.put("cccd", fake.cccd(rng)).add("\t").put("phone", fake.phone(rng)).add("\t")
        d.put("address", fake.street_address(rng)).add("\t", fake.money(rng), "\n")
    d.add(f"Tổng cộng\t\t\t\t\t\t{fake.money(rng)}\n")


GENRES = {"petition": petition, "report": report, "minutes": minutes, "zalo": zalo, "email": mail, "excel": excel}
COUNTS = {"petition": 70, "report": 50, "minutes": 50, "zalo": 60, "email": 50, "excel": 40}


def generated() -> list[dict]:
    rng = random.Random(SEED)
    out = []
    for genre, count in COUNTS.items():
        for i in range(count):
            d = Doc()
            GENRES[genre](rng, d)
            out.append({"id": f"gen-{genre}-{i + 1:03d}", "genre": genre, "text": d.text, "spans": d.spans})
    return out


MARK = re.compile(r"\{([a-z_]+)\|([^{}|]+)\}")


def handwritten(source: str) -> list[dict]:
    out = []
    for block in re.split(r"^=== ", source, flags=re.MULTILINE)[1:]:
        header, _, body = block.partition("\n")
        ident, genre = header.split()
        text, spans, position = [], [], 0
        body = body.rstrip("\n")
        for match in MARK.finditer(body):
            text.append(body[position:match.start()])
            start = sum(map(len, text))
            text.append(match.group(2))
            spans.append({"type": match.group(1), "start": start, "end": start + len(match.group(2))})
            position = match.end()
        text.append(body[position:])
        out.append({"id": ident, "genre": genre, "text": "".join(text), "spans": spans})
    return out


def dump(records: list[dict]) -> str:
    for record in records:
        assert unicodedata.normalize("NFC", record["text"]) == record["text"], record["id"]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    files = {"generated.jsonl": dump(generated()),
             "handwritten.jsonl": dump(handwritten((CORPUS / "handwritten.txt").read_text(encoding="utf-8")))}
    if "--check" in sys.argv:
        stale = [n for n, body in files.items() if (CORPUS / n).read_text(encoding="utf-8") != body]
        print("stale: " + ", ".join(stale) if stale else "corpus up to date")
        return 1 if stale else 0
    for n, body in files.items():
        (CORPUS / n).write_text(body, encoding="utf-8")
        print(f"{n}: {body.count(chr(10))} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
