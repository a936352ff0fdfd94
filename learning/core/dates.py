"""Dates shown the Vietnamese way: dd/mm/yyyy, in the province's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Naive UTC timestamp, the form stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def to_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def valid_until(issued: datetime, months: int) -> date:
    """The last day a certificate is valid: issued 03/12/2026 for 12 months → 02/12/2027, the day before the
    same local date ``months`` later. Certificates already issued keep the date stored with them."""
    from dateutil.relativedelta import relativedelta

    return to_local(issued).date() + relativedelta(months=months) - timedelta(days=1)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None, language: str = "vi") -> str:
    """A stored UTC time as read in the province: "00:10 ngày 03/12/2026" (English: "00:10, 03/12/2026")."""
    if value is None:
        return ""
    local = to_local(value)
    joiner = ", " if language == "en" else " ngày "
    return f"{local:%H:%M}{joiner}{local:%d/%m/%Y}"


def format_decimal(value: float | None, digits: int = 1, language: str = "vi") -> str:
    """1234.5 → "1.234,5" (Vietnamese decimal comma and thousands dot; English: "1,234.5")."""
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    if language == "en":
        return text
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def document_date(value: date) -> str:
    """The date of an administrative document as Nghị định 30/2020/NĐ-CP (Phụ lục I) writes it: "ngày 03 tháng 12
    năm 2026". A day below 10 and a month below 3 take a leading zero ("ngày 05 tháng 02", "ngày 15 tháng 4"),
    so that no digit can be added in front of them afterwards."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
