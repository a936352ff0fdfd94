"""Demo organisation: a Quảng Ninh-like province with ~400 people and one account per role.

Deterministic (fixed random seed) and idempotent: units and people are matched by code.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select

from learning.auth import services as auth_services
from learning.auth.models import Account, AccountStatus, Role
from learning.core.text import ascii_fold, split_full_name
from learning.extensions import db
from learning.org.models import Category, Person, Unit, UnitKind
from learning.org.services import upsert_unit

DEMO_PASSWORD = "Demo@2026"  # the published demo log-in  # noqa: S105  # nosec B105
DISTRICTS_DISSOLVED = date(2025, 6, 30)

DEPARTMENTS = [
    ("VPUB", "Văn phòng Ủy ban nhân dân tỉnh", ["Phòng Tổng hợp", "Phòng Hành chính - Tổ chức", "Trung tâm Thông tin"]),
    ("SNV", "Sở Nội vụ", ["Phòng Công chức, viên chức", "Phòng Cải cách hành chính", "Văn phòng Sở"]),
    ("STP", "Sở Tư pháp", ["Phòng Văn bản và Phổ biến pháp luật", "Phòng Hành chính tư pháp", "Văn phòng Sở"]),
    ("STC", "Sở Tài chính", ["Phòng Ngân sách", "Phòng Đầu tư", "Văn phòng Sở"]),
    ("SKHCN", "Sở Khoa học và Công nghệ", ["Phòng Chuyển đổi số", "Phòng Bưu chính, Viễn thông", "Văn phòng Sở"]),
    ("SYT", "Sở Y tế", ["Phòng Nghiệp vụ Y", "Văn phòng Sở"]),
    ("SGDDT", "Sở Giáo dục và Đào tạo", ["Phòng Giáo dục phổ thông", "Văn phòng Sở"]),
    ("SXD", "Sở Xây dựng", ["Phòng Quy hoạch - Kiến trúc", "Văn phòng Sở"]),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", ["Phòng Quản lý đất đai", "Chi cục Thủy lợi", "Văn phòng Sở"]),
    ("SCT", "Sở Công Thương", ["Phòng Quản lý thương mại", "Văn phòng Sở"]),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", ["Phòng Quản lý du lịch", "Văn phòng Sở"]),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", ["Phòng Chính sách dân tộc", "Văn phòng Sở"]),
    ("SNGV", "Sở Ngoại vụ", ["Phòng Lãnh sự", "Văn phòng Sở"]),
    ("TTT", "Thanh tra tỉnh", ["Phòng Tiếp công dân, xử lý đơn thư", "Văn phòng"]),
    ("BQLKKT", "Ban Quản lý Khu kinh tế", ["Phòng Đầu tư", "Văn phòng Ban"]),
    ("SGTVT", "Sở Giao thông vận tải (đã hợp nhất)", []),
    ("BDT", "Ban Dân tộc", ["Văn phòng Ban"]),
    ("VPDDBQH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", ["Phòng Công tác HĐND"]),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", ["Bộ phận Một cửa"]),
    ("BVDKT", "Bệnh viện Đa khoa tỉnh", ["Khoa Khám bệnh", "Phòng Tổ chức cán bộ"]),
    ("THPTHG", "Trường THPT Hòn Gai", []),
]
# Units dissolved or merged before today: shown only in the periods they existed.
MERGED_DEPARTMENTS = {"SGTVT": date(2025, 2, 28), "BDT": date(2025, 2, 28)}
PUBLIC_SERVICE_UNITS = {"TTPVHCC", "BVDKT", "THPTHG"}

COMMUNES = [
    "Phường Hạ Long", "Phường Bãi Cháy", "Phường Hồng Gai", "Phường Tuần Châu", "Phường Hà Tu",
    "Phường Cao Xanh", "Phường Việt Hưng", "Phường Hoành Bồ", "Phường Cẩm Phả", "Phường Mông Dương",
    "Phường Quang Hanh", "Phường Cửa Ông", "Phường Móng Cái 1", "Phường Móng Cái 2",
    "Phường Uông Bí", "Phường Vàng Danh", "Phường Yên Tử", "Phường Đông Triều", "Phường Mạo Khê",
    "Phường Quảng Yên", "Phường Đông Mai", "Xã Tiên Yên", "Xã Điền Xá", "Xã Bình Liêu",
    "Xã Hoành Mô", "Xã Đầm Hà", "Xã Quảng Hà", "Xã Ba Chẽ", "Đặc khu Vân Đồn", "Đặc khu Cô Tô",
]

DISTRICTS = [
    ("H-TIENYEN", "Huyện Tiên Yên", ["Phòng Nội vụ", "Văn phòng HĐND và UBND huyện"]),
    ("H-BINHLIEU", "Huyện Bình Liêu", ["Phòng Nội vụ", "Văn phòng HĐND và UBND huyện"]),
]

SURNAMES = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 + [
    "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Đinh", "Lương",
    "Hà", "Tạ", "Triệu", "Đào", "Mai", "Lâm",
]
MIDDLE_MALE = ["Văn", "Đức", "Hữu", "Minh", "Quang", "Thanh", "Xuân", "Công", "Mạnh", "Tiến", "Duy", "Trọng"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Thùy", "Phương", "Bích", "Kim"]
GIVEN_MALE = ["An", "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đông", "Giang", "Hải", "Hiếu", "Hùng",
              "Huy", "Khánh", "Khoa", "Long", "Lâm", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn",
              "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Ánh", "Ẩn"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền",
                "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
                "Phương", "Quyên", "Tâm", "Thảo", "Thu", "Thúy", "Trang", "Vân", "Yến", "Ánh", "Ân"]

POSITIONS_DEPARTMENT = [
    ("Chuyên viên", Category.CIVIL_SERVANT), ("Chuyên viên chính", Category.CIVIL_SERVANT),
    ("Trưởng phòng", Category.CIVIL_SERVANT), ("Phó Trưởng phòng", Category.CIVIL_SERVANT),
    ("Văn thư", Category.CIVIL_SERVANT), ("Kế toán", Category.PUBLIC_EMPLOYEE),
    ("Biên tập viên Cổng thông tin", Category.PUBLIC_EMPLOYEE),
    ("Lái xe", Category.WORKER), ("Bảo vệ", Category.WORKER),
]
POSITIONS_COMMUNE = [
    ("Chủ tịch UBND", Category.CADRE), ("Phó Chủ tịch UBND", Category.CADRE),
    ("Công chức Văn phòng - Thống kê", Category.CIVIL_SERVANT),
    ("Công chức Tư pháp - Hộ tịch", Category.CIVIL_SERVANT),
    ("Công chức Địa chính - Xây dựng", Category.CIVIL_SERVANT),
    ("Công chức Văn hóa - Xã hội", Category.CIVIL_SERVANT),
    ("Công chức Tài chính - Kế toán", Category.CIVIL_SERVANT),
    ("Biên tập viên Cổng thông tin", Category.CIVIL_SERVANT),
    ("Nhân viên hợp đồng", Category.WORKER),
]
POSITIONS_PUBLIC_SERVICE = [
    ("Viên chức chuyên môn", Category.PUBLIC_EMPLOYEE), ("Bác sĩ", Category.PUBLIC_EMPLOYEE),
    ("Điều dưỡng", Category.PUBLIC_EMPLOYEE), ("Giáo viên", Category.PUBLIC_EMPLOYEE),
    ("Nhân viên hỗ trợ", Category.WORKER),
]


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    code: str
    email: str
    name: str
    unit_code: str
    position: str
    category: Category
    scope_code: str | None  # None = whole province

    @property
    def label(self) -> str:
        return self.role.label


DEMO_LOGINS = [
    DemoLogin(Role.LEARNER, "DEMO-HV", "hocvien@demo.quangninh.gov.vn", "Nguyễn Thị Lan",
              "X-BAICHAY", "Công chức Văn phòng - Thống kê", Category.CIVIL_SERVANT, None),
    DemoLogin(Role.HR, "DEMO-TCCB", "tochuc@demo.quangninh.gov.vn", "Trần Văn Hùng",
              "SNV-1", "Chuyên viên chính", Category.CIVIL_SERVANT, None),
    DemoLogin(Role.UNIT_HEAD, "DEMO-TT", "thutruong@demo.quangninh.gov.vn", "Phạm Minh Đức",
              "STP", "Giám đốc Sở", Category.CIVIL_SERVANT, "STP"),
    DemoLogin(Role.PAR_ASSESSOR, "DEMO-CCHC", "thamdinh@demo.quangninh.gov.vn", "Lê Thu Hà",
              "SNV-2", "Chuyên viên", Category.CIVIL_SERVANT, None),
    DemoLogin(Role.ADMIN, "DEMO-QT", "quantri@demo.quangninh.gov.vn", "Hoàng Quang Vinh",
              "VPUB-3", "Chuyên viên công nghệ thông tin", Category.PUBLIC_EMPLOYEE, None),
]


def _commune_code(name: str) -> str:
    """"Phường Bãi Cháy" → "X-BAICHAY"."""
    folded = ascii_fold(name).lower()
    for prefix in ("phuong ", "xa ", "dac khu "):
        folded = folded.removeprefix(prefix)
    return "X-" + folded.replace(" ", "").upper()


def seed_units() -> dict[str, Unit]:
    by_code = {u.code: u for u in db.session.scalars(select(Unit))}
    province = upsert_unit(by_code, "QN", "Ủy ban nhân dân tỉnh Quảng Ninh", UnitKind.PROVINCE, None)
    for code, name, offices in DEPARTMENTS:
        kind = UnitKind.PUBLIC_SERVICE if code in PUBLIC_SERVICE_UNITS else UnitKind.DEPARTMENT
        dept = upsert_unit(by_code, code, name, kind, province, valid_to=MERGED_DEPARTMENTS.get(code))
        for i, office in enumerate(offices, start=1):
            upsert_unit(by_code, f"{code}-{i}", office, UnitKind.OFFICE, dept,
                        valid_to=MERGED_DEPARTMENTS.get(code))
    for name in COMMUNES:
        upsert_unit(by_code, _commune_code(name), name, UnitKind.COMMUNE, province,
                    valid_from=date(2025, 7, 1))
    for code, name, offices in DISTRICTS:
        district = upsert_unit(by_code, code, name, UnitKind.DISTRICT, province,
                               valid_to=DISTRICTS_DISSOLVED)
        for i, office in enumerate(offices, start=1):
            upsert_unit(by_code, f"{code}-{i}", office, UnitKind.OFFICE, district,
                        valid_to=DISTRICTS_DISSOLVED)
    db.session.flush()
    return by_code


def _positions_for(unit: Unit) -> list[tuple[str, Category]]:
    if unit.kind == UnitKind.COMMUNE:
        return POSITIONS_COMMUNE
    if unit.kind == UnitKind.PUBLIC_SERVICE or (unit.parent and unit.parent.kind == UnitKind.PUBLIC_SERVICE):
        return POSITIONS_PUBLIC_SERVICE
    return POSITIONS_DEPARTMENT


def generate_people(units: list[Unit], count: int, rng: random.Random) -> Iterator[dict]:
    """Rows for ``count`` people with plausible Vietnamese names, spread over ``units``."""
    for n in range(1, count + 1):
        unit = units[rng.randrange(len(units))]
        female = rng.random() < 0.5
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        if rng.random() < 0.35:
            middle = f"{middle} {rng.choice(['Minh', 'Thanh', 'Ngọc', 'Hoài', 'Bảo', 'Gia'])}"
        position, category = rng.choice(_positions_for(unit))
        code = f"NV{n:06d}"
        yield {
            "employee_code": code,
            "middle_name": f"{rng.choice(SURNAMES)} {middle}",
            "given_name": rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
            "email": f"{code.lower()}@demo.quangninh.gov.vn",
            "birth_date": date(rng.randint(1965, 2001), rng.randint(1, 12), rng.randint(1, 28)),
            "unit_id": unit.id,
            "position": position,
            "category": category.value,
            # Staff of dissolved units have left or moved; keep a few as history.
            "active": unit.valid_to is None,
        }


def seed_people(by_code: dict[str, Unit], count: int, progress: Callable[[int], None] | None = None,
                chunk: int = 5000) -> int:
    """Add the people NV000001…NV{count} that do not exist yet; return how many were added."""
    leaves = [u for u in by_code.values() if u.kind != UnitKind.PROVINCE]
    existing = set(db.session.scalars(select(Person.employee_code).where(Person.employee_code.like("NV%"))))
    rng = random.Random(2026)  # demo data only  # noqa: S311  # nosec B311
    batch: list[dict] = []
    added = 0
    for row in generate_people(leaves, count, rng):
        if row["employee_code"] in existing:
            continue
        batch.append(row)
        if len(batch) >= chunk:
            db.session.execute(insert(Person), batch)
            added += len(batch)
            batch.clear()
            if progress:
                progress(added)
    if batch:
        db.session.execute(insert(Person), batch)
        added += len(batch)
        if progress:
            progress(added)
    return added


def seed_demo_accounts(by_code: dict[str, Unit]) -> list[DemoLogin]:
    for login in DEMO_LOGINS:
        person = db.session.scalar(select(Person).where(Person.employee_code == login.code))
        middle, given = split_full_name(login.name)
        if person is None:
            person = Person(employee_code=login.code)
            db.session.add(person)
        person.middle_name, person.given_name = middle, given
        person.email = login.email
        person.unit = by_code[login.unit_code]
        person.position = login.position
        person.category = login.category.value
        person.active = True
        db.session.flush()
        account = auth_services.ensure_account(person, DEMO_PASSWORD)
        account.status, account.disabled_reason = AccountStatus.ACTIVE.value, None
        db.session.flush()
        if login.role is not Role.LEARNER:
            scope = by_code[login.scope_code] if login.scope_code else None
            auth_services.grant_role(account, login.role, scope, by=None)
    return DEMO_LOGINS


def seed(people: int = 400, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    by_code = seed_units()
    added = seed_people(by_code, people, progress)
    seed_demo_accounts(by_code)
    return {"units": len(by_code), "people_added": added}


def demo_accounts() -> list[tuple[DemoLogin, Account | None]]:
    rows = []
    for login in DEMO_LOGINS:
        account = db.session.scalar(
            select(Account).join(Person).where(Person.employee_code == login.code)
        )
        rows.append((login, account))
    return rows
