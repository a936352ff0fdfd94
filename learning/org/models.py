"""Units (a tree with validity dates) and people."""

from __future__ import annotations

import enum
import unicodedata
from datetime import date, datetime

from flask_babel import gettext, pgettext
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, LargeBinary, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.core.dates import utcnow
from learning.core.i18n import N_
from learning.extensions import db


class UnitKind(enum.StrEnum):
    PROVINCE = "tinh"
    DEPARTMENT = "so_nganh"
    COMMUNE = "xa_phuong"
    PUBLIC_SERVICE = "don_vi_su_nghiep"
    OFFICE = "phong_ban"
    DISTRICT = "huyen"  # historical: districts were dissolved on 01/7/2025

    @property
    def label(self) -> str:
        return gettext(UNIT_KIND_LABELS[self])


UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: N_("Tỉnh"),
    UnitKind.DEPARTMENT: N_("Sở, ban, ngành"),
    UnitKind.COMMUNE: N_("Xã, phường"),
    UnitKind.PUBLIC_SERVICE: N_("Đơn vị sự nghiệp"),
    UnitKind.OFFICE: N_("Phòng, ban"),
    UnitKind.DISTRICT: N_("Huyện (đã giải thể)"),
}


class Category(enum.StrEnum):
    CADRE = "can_bo"
    CIVIL_SERVANT = "cong_chuc"
    PUBLIC_EMPLOYEE = "vien_chuc"
    WORKER = "nguoi_lao_dong"

    @property
    def label(self) -> str:
        if self is Category.CADRE:  # "Cán bộ" on its own is also the title of the staff pages
            return pgettext("loại cán bộ", "Cán bộ")
        return gettext(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.CADRE: "Cán bộ",
    Category.CIVIL_SERVANT: N_("Công chức"),
    Category.PUBLIC_EMPLOYEE: N_("Viên chức"),
    Category.WORKER: N_("Người lao động"),
}


def category_labels() -> dict[str, str]:
    """Each category's value → its label in the reader's language (filters and forms)."""
    return {c.value: c.label for c in Category}


COMMITTEE_KINDS = (UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.DISTRICT)
COMMITTEE_PREFIXES = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")


def committee_name(name: str) -> str:
    """An administrative area's name → its People's Committee: "Xã Tiên Yên" → "UBND xã Tiên Yên"; a name that
    already is the committee's ("Ủy ban nhân dân tỉnh Quảng Ninh") is kept."""
    name = unicodedata.normalize("NFC", name.strip())
    if not name or name.lower().startswith(COMMITTEE_PREFIXES):
        return name
    return f"UBND {name[0].lower()}{name[1:]}"


class Unit(db.Model):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    # Materialised path "/1/7/42/": a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(400), index=True, default="")
    depth: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # A unit merged into another ends (valid_to) and points to the unit that took over its people.
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], lazy="joined", join_depth=1,
                                               foreign_keys=[parent_id])
    successor: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label

    @property
    def qualified_name(self) -> str:
        """The name as printed on a document read outside the app, where the tree is not shown: an office or
        a public-service unit of a department names that department ("Văn phòng Sở, Sở Tư pháp"), since many
        departments have a "Văn phòng Sở". Units directly under the province are named as they are."""
        parent = self.parent
        if (self.kind in (UnitKind.OFFICE, UnitKind.PUBLIC_SERVICE) and parent is not None
                and parent.parent_id is not None and parent.name not in self.name):
            return f"{self.name}, {parent.name}"
        return self.name

    @property
    def employer_name(self) -> str:
        """The unit as the employer printed on a certificate. A province, commune, ward, special zone or district
        employs through its People's Committee ("Phường Bãi Cháy" → "UBND phường Bãi Cháy"), and an office of one
        names it ("Văn phòng HĐND và UBND, UBND phường Bãi Cháy"); other units as ``qualified_name``."""
        if self.kind in COMMITTEE_KINDS:
            return committee_name(self.name)
        parent = self.parent
        if (self.kind == UnitKind.OFFICE and parent is not None and parent.kind in COMMITTEE_KINDS
                and parent.kind != UnitKind.PROVINCE):
            return f"{self.name}, {committee_name(parent.name)}"
        return self.qualified_name

    @staticmethod
    def ids_on_path(path: str) -> list[int]:
        """The ids of a materialised path, root first: "/1/7/42/" → [1, 7, 42]."""
        return [int(part) for part in path.strip("/").split("/") if part]

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class UnitName(db.Model):
    """A name the unit had before it was renamed: ``valid_from``..``valid_to`` inclusive (``valid_from`` NULL: since
    the unit began). ``Unit.name`` is the name from the day after the latest row, so a report of a past period
    names the unit as it was then (``org.units.unit_name_on``)."""

    __tablename__ = "unit_name"
    __table_args__ = (Index("ix_unit_name_unit_period", "unit_id", "valid_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    name: Mapped[str] = mapped_column(String(255))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Person(db.Model):
    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_name_order", "given_name", "middle_name"),
        # Log-in finds the account by code or e-mail, case-insensitively (migration 0011).
        Index("ix_person_lower_employee_code", func.lower(text("employee_code"))),
        Index("ix_person_lower_email", func.lower(text("email"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_code: Mapped[str] = mapped_column(String(40), unique=True)
    middle_name: Mapped[str] = mapped_column(String(120), default="")  # họ đệm
    given_name: Mapped[str] = mapped_column(String(60))  # tên
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    position: Mapped[str] = mapped_column(String(160), default="", index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Ngày vào đơn vị / ngày thôi việc: a period counts a person only while they were there.
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")

    @property
    def full_name(self) -> str:
        return f"{self.middle_name} {self.given_name}".strip()

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    def __repr__(self) -> str:
        return f"<Person {self.employee_code}>"


class UnitMembership(db.Model):
    """A person's unit over time: ``valid_from``..``valid_to`` inclusive, NULL meaning open-ended. ``Person.unit_id``
    is the current unit; a move closes the open row and opens a new one, never overwriting the old one, so a
    past period counts the person in the unit they belonged to then. Every new person gets their first row
    at commit (``org.history``)."""

    __tablename__ = "unit_membership"
    __table_args__ = (Index("ix_unit_membership_unit_period", "unit_id", "valid_from", "valid_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class StaffImport(db.Model):
    """An uploaded staff list (or, ``kind`` "unit", a unit list) kept between the preview and the confirmation."""

    __tablename__ = "staff_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="staff", server_default="staff")
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
