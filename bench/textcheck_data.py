"""Fake but realistic values for the text-check corpus (bench/textcheck_corpus.py). Nothing here is a real person.

Every value is drawn from ``rng`` (a ``random.Random`` with a fixed seed), so the corpus is reproducible.
"""

from __future__ import annotations

import random

FAMILY = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Trịnh Lương Đinh "
          "Mai Tô Lâm Hà Vương").split()
MIDDLE_M = "Văn Hữu Đức Minh Quang Công Đình Xuân Thanh Quốc Tiến Mạnh".split()
MIDDLE_F = "Thị Ngọc Thu Hồng Kim Thanh Minh Phương Thùy Diệu".split()
GIVEN_M = "An Bình Cường Dũng Hải Hùng Khánh Long Nam Phong Quân Sơn Tuấn Việt Thắng Trung Hiếu Tùng Duy Khoa".split()
GIVEN_F = "Anh Hoa Hương Lan Linh Mai Nga Ngân Oanh Phương Thảo Trang Vân Yến Hằng Hạnh Dung Huyền Loan".split()
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Lê Thánh Tông", "Cao Thắng", "Kênh Liêm", "Bến Đoan",
           "Giếng Đồn", "Trần Phú", "Nguyễn Du", "Hải Phượng", "Tuệ Tĩnh", "Bái Tử Long", "Lý Tự Trọng")
WARDS = ("Hồng Gai", "Hồng Hải", "Bạch Đằng", "Cao Xanh", "Hà Khánh", "Hà Lầm", "Hà Tu", "Cẩm Trung", "Cẩm Thủy",
         "Quang Trung", "Thanh Sơn", "Yên Thanh", "Trần Hưng Đạo", "Hải Hòa", "Ka Long")
COMMUNES = ("Yên Than", "Đông Ngũ", "Hải Lạng", "Quảng Long", "Sơn Dương", "Đồng Tâm", "Thống Nhất", "Vạn Yên",
            "Đài Xuyên", "Hoành Mô")
DISTRICTS = ("Tiên Yên", "Hải Hà", "Đầm Hà", "Bình Liêu", "Ba Chẽ", "Vân Đồn")
CITIES = ("Hạ Long", "Cẩm Phả", "Uông Bí", "Móng Cái")
VILLAGES = ("Khe Tiền", "Đồng Mạ", "Nà Cáng", "Khe Lặc", "Pò Hèn", "Tài Chi")
BANKS = ("Vietcombank", "BIDV", "Agribank", "VietinBank", "Techcombank", "MB Bank", "Sacombank", "VPBank")
MOBILE = ("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076", "077", "078", "079",
          "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098")
AREA = ("0203", "024", "028", "0225", "0204")
PROVINCE = ("022", "001", "031", "036", "024", "030", "034", "008", "037", "020")
DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "quangninh.gov.vn", "halong.edu.vn")
ASCII = str.maketrans("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
                      "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd")
ETHNIC = ("Tày", "Dao", "Sán Dìu", "Sán Chay", "Hoa", "Nùng")
HEALTH = ("trầm cảm", "HIV", "ung thư", "tiểu đường", "suy thận mạn", "động kinh", "viêm gan B")
CRIMINAL = ("tiền án", "tiền sự", "án treo", "bị khởi tố")


def name(rng: random.Random, female: bool | None = None) -> str:
    female = rng.random() < 0.5 if female is None else female
    middle, given = (MIDDLE_F, GIVEN_F) if female else (MIDDLE_M, GIVEN_M)
    parts = [rng.choice(FAMILY), rng.choice(middle), rng.choice(given)]
    if rng.random() < 0.15:
        parts.insert(2, rng.choice(middle))
    return " ".join(dict.fromkeys(parts)) if len(set(parts)) < len(parts) else " ".join(parts)


def given(rng: random.Random) -> str:
    return rng.choice(GIVEN_F + GIVEN_M)


def cccd(rng: random.Random, spaced: bool = False) -> str:
    year = rng.randint(1950, 2006)
    century = (0 if year < 2000 else 2) + rng.randint(0, 1)
    value = f"{rng.choice(PROVINCE)}{century}{year % 100:02d}{rng.randint(0, 999999):06d}"
    return " ".join(value[i:i + 3] for i in range(0, 12, 3)) if spaced else value


def cmnd(rng: random.Random) -> str:
    return f"1{rng.randint(0, 99999999):08d}"


def phone(rng: random.Random) -> str:
    if rng.random() < 0.15:
        area = rng.choice(AREA)
        rest = "".join(str(rng.randint(0, 9)) for _ in range(11 - len(area)))
        return rng.choice([f"({area}) {rest[:4]} {rest[4:]}", f"{area} {rest}", f"{area}.{rest}"])
    prefix, rest = rng.choice(MOBILE), f"{rng.randint(0, 9999999):07d}"
    forms = [f"{prefix}{rest}", f"{prefix} {rest[:3]} {rest[3:]}", f"{prefix}.{rest[:3]}.{rest[3:]}",
             f"+84 {prefix[1:]} {rest[:3]} {rest[3:]}", f"{prefix[:4]} {prefix[4:]}{rest[:3]} {rest[3:]}".replace(
                 "  ", " "), f"+84{prefix[1:]}{rest}"]
    return rng.choice(forms)


def email(rng: random.Random, person: str) -> str:
    words = person.lower().translate(ASCII).split()
    local = rng.choice([f"{words[-1]}.{words[0]}", f"{words[-1]}{words[0]}{rng.randint(70, 99)}",
                        "".join(w[0] for w in words[:-1]) + words[-1]])
    return f"{local}@{rng.choice(DOMAINS)}"


def bank_account(rng: random.Random) -> str:
    length = rng.choice([10, 12, 13, 14])
    value = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
    return " ".join(value[i:i + 4] for i in range(0, length, 4)) if rng.random() < 0.25 else value


def card(rng: random.Random) -> str:
    body = rng.choice(["4", "5", "9704"])
    body += "".join(str(rng.randint(0, 9)) for _ in range(15 - len(body)))
    total = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch)
        if i % 2 == 0:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    value = body + str((10 - total % 10) % 10)
    return rng.choice([" ".join(value[i:i + 4] for i in range(0, 16, 4)), value,
                       "-".join(value[i:i + 4] for i in range(0, 16, 4))])


def tax_code(rng: random.Random) -> str:
    value = f"{rng.choice(['57', '80', '01', '03'])}{rng.randint(0, 99999999):08d}"
    return value + (f"-{rng.randint(1, 20):03d}" if rng.random() < 0.2 else "")


def social_insurance(rng: random.Random) -> str:
    if rng.random() < 0.4:
        kind = rng.choice(["DN", "HC", "GD", "HN", "CN"])
        return f"{kind}4{rng.choice(PROVINCE)[1:]}{rng.randint(0, 10**10 - 1):010d}"
    return f"22{rng.randint(0, 99999999):08d}"


def plate(rng: random.Random) -> str:
    area = rng.choice(["14", "29", "30", "15", "34"])
    if rng.random() < 0.5:
        return f"{area}{rng.choice('ABCDFGHKLM')}{rng.randint(1, 9)}-{rng.randint(100, 999)}.{rng.randint(0, 99):02d}"
    return f"{area}{rng.choice('ABCDK')}-{rng.randint(100, 999)}.{rng.randint(0, 99):02d}"


def date(rng: random.Random, start: int = 1950, end: int = 2006) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(start, end)
    return rng.choice([f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}"])


def street_address(rng: random.Random) -> str:
    ward, city = rng.choice(WARDS), rng.choice(CITIES)
    return rng.choice([
        f"số nhà {rng.randint(1, 250)}, đường {rng.choice(STREETS)}, phường {ward}, thành phố {city}",
        f"tổ {rng.randint(1, 12)}, khu {rng.randint(1, 9)}, phường {ward}, thành phố {city}",
        f"số {rng.randint(1, 120)} ngõ {rng.randint(2, 90)} phố {rng.choice(STREETS)}, phường {ward}",
        f"tổ dân phố {rng.randint(1, 15)}, phường {ward}, thành phố {city}",
        f"thôn {rng.choice(VILLAGES)}, xã {rng.choice(COMMUNES)}, huyện {rng.choice(DISTRICTS)}, tỉnh Quảng Ninh",
        f"thôn {rng.randint(1, 9)}, xã {rng.choice(COMMUNES)}, huyện {rng.choice(DISTRICTS)}",
        f"khu phố {rng.randint(1, 8)}, phường {ward}, thành phố {city}",
    ])


def decision(rng: random.Random) -> str:
    year = rng.randint(2019, 2025)
    return rng.choice([f"Quyết định số {rng.randint(1, 4500)}/QĐ-UBND ngày {date(rng, year, year)}",
                       f"Quyết định số {rng.randint(1, 40)}/{year}/QĐ-UBND",
                       "Nghị định số 13/2023/NĐ-CP", f"Công văn số {rng.randint(100, 6500)}/UBND-VX ngày "
                       f"{date(rng, year, year)}", f"Kế hoạch số {rng.randint(10, 350)}/KH-UBND",
                       f"Thông báo số {rng.choice(MOBILE)}{rng.randint(0, 9)}/TB-UBND"])


def money(rng: random.Random) -> str:
    value = rng.randint(1, 9999) * 10**rng.randint(3, 6)
    return rng.choice([f"{value:,}".replace(",", ".") + " đồng", f"{value} đồng", f"{value:,}".replace(",", ".") +
                       " đ", f"{rng.randint(2, 950)} triệu đồng", f"{value:,}".replace(",", ".") + " VNĐ"])


def doc_code(rng: random.Random) -> str:
    return rng.choice([
        f"Mã hồ sơ: 000.00.{rng.randint(10, 30)}.H46-{rng.randint(230101, 251231)}-{rng.randint(1, 9999):04d}",
        f"mã thủ tục 1.{rng.randint(0, 9999):06d}.000.00.00.H46",
        f"số vào sổ {rng.randint(100, 9999)}/{rng.randint(2019, 2025)}",
        f"Số ký hiệu: {rng.randint(1000, 9999)}/BC-UBND",
        f"mã biên nhận H46.{rng.randint(10, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        f"Hotline 1900 {rng.randint(1000, 9999)}", "Tổng đài 1022",
        f"điểm {rng.choice('abcdđ')} khoản {rng.randint(1, 6)} Điều {rng.randint(2, 45)}",
    ])
