"""Recognizers for numbers and codes: CCCD, CMND, phone, e-mail, bank account, card, tax code,
social insurance, vehicle plate, date of birth."""

from __future__ import annotations

import re

from learning.textcheck.recognizers import Pattern, Recognizer

# A run of digits, single spaces or dashes between them; not glued to letters, slashes or dots
# (decision numbers "22/2024/QĐ-UBND", dossier codes "000.00.24.H46", amounts "15.000.000").
NUMBER = re.compile(r"(?<![\w/.,+\-])\d(?:[ \-]?\d){5,18}(?![\w/]|[.,\-]\d)")
MONEY_AFTER = re.compile(r"\s*(?:đồng|đ\b|vnđ|vnd|usd|triệu|nghìn|ngàn|tỷ|%|m2|m²|ha\b|km|kg)", re.IGNORECASE)

# Province / city codes of the 12-digit personal identification number (Circular 07/2016/TT-BCA, annex).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 "
    "038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 "
    "080 082 083 084 086 087 089 091 092 093 094 095 096".split())


def digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def valid_cccd(value: str) -> bool:
    """Province code, a century/sex digit (0-1: 1900s, 2-3: 2000s) and the two digits of the birth year."""
    d = digits(value)
    if len(d) != 12 or d[:3] not in PROVINCE_CODES or d[3] not in "0123":
        return False
    year = (1900 if d[3] in "01" else 2000) + int(d[4:6])
    return year <= 2030


def luhn(value: str) -> bool:
    d = digits(value)
    if not 13 <= len(d) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


MOBILE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "052", "055", "056", "058", "059",
                   "070", "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "087", "088",
                   "089", "090", "091", "092", "093", "094", "096", "097", "098", "099")


def valid_phone(value: str) -> bool:
    d = digits(value)
    if d.startswith("0084"):
        d = "0" + d[4:]
    elif d.startswith("84") and value.lstrip("( ").startswith("+"):
        d = "0" + d[2:]
    if len(d) == 10:
        return d.startswith(MOBILE_PREFIXES)
    return len(d) == 11 and d.startswith("02")


def _length(*allowed: int):
    return lambda value: len(digits(value)) in allowed


PHONE = re.compile(
    r"(?<![\w/.,+\-])(?:(?:\+84|0084)[ .\-]?(?:\(0\)[ .]?)?|\(\+84\)[ .]?|\(?0)"
    r"(?:[35789]\d(?:[ .\-]?\d){7}|2\d\)?(?:[ .\-]?\d){8}|2\d\d\)?(?:[ .\-]?\d){7})"
    r"(?![\w/]|[.,\-]\d)")
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}(?![\w\-])")
CARD = re.compile(r"(?<![\w/.,+\-])\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}(?![\w/]|[.,\-]\d)")
TAX = re.compile(r"(?<![\w/.,+\-])\d{10}(?:[ \-]\d{3})?(?![\w/]|[.,\-]\d)")
BHYT = re.compile(r"(?<![\w/])[A-Z]{2}\d{13}(?![\w/])")  # health-insurance card: 2 letters + 13 digits
PLATE = re.compile(r"(?<![\w/.\-])(?:1[1-9]|[2-9]\d)(?:-?[A-Z]{1,2}\d?)[ \-.]?(?:\d{3}\.\d{2}|\d{5}|\d{4})"
                   r"(?![\w/]|[.\-]\d)")
DATE = re.compile(r"(?<![\w/.\-])(?:[0-3]?\d[/.\-][01]?\d[/.\-](?:19|20)\d\d"
                  r"|ngày\s+[0-3]?\d\s+tháng\s+[01]?\d\s+năm\s+(?:19|20)\d\d)(?![\w/])", re.IGNORECASE)
YEAR_CELL = re.compile(r"(?:(?<=\t)|(?<=^))(?:19|20)\d\d(?= *(?:\t|$))", re.MULTILINE)  # a table's "Năm sinh" cell
BIRTH_YEAR = re.compile(r"(?:sinh năm|năm sinh|SN|NS)\s*[:：]?\s*((?:19|20)\d\d)(?![\w/])", re.IGNORECASE)

PHONE_CONTEXT = ("điện thoại", "đt", "sđt", "sdt", "dt", "số máy", "di động", "dđ", "liên hệ", "zalo", "gọi",
                 "hotline", "tel", "phone", "mobile", "nhắn tin", "alo")
CCCD_CONTEXT = ("cccd", "căn cước", "căn cước công dân", "thẻ căn cước", "cc", "số định danh", "định danh cá nhân",
                "mã định danh", "số định danh cá nhân", "cmnd/cccd", "cccd/cmnd")
CMND_CONTEXT = ("cmnd", "cmtnd", "chứng minh nhân dân", "chứng minh thư", "số cmt", "cmt", "cmnd/cccd", "cccd/cmnd")
BANK_CONTEXT = ("stk", "số tài khoản", "số tk", "tk số", "tài khoản số", "tài khoản ngân hàng",
                "số tài khoản ngân hàng", "chuyển khoản",
                "ck vào", "vietcombank", "vcb", "bidv", "agribank", "vietinbank", "techcombank",
                "mb bank", "mbbank", "acb", "sacombank", "vpbank", "tpbank", "shb", "hdbank", "ngân hàng")
CARD_CONTEXT = ("số thẻ", "thẻ tín dụng", "thẻ atm", "thẻ visa", "visa", "mastercard", "thẻ ghi nợ", "napas", "jcb",
                "thẻ số")
TAX_CONTEXT = ("mst", "mã số thuế", "mã số thuế cá nhân", "mã thuế", "tax code")
SOCIAL_CONTEXT = ("bhxh", "bảo hiểm xã hội", "mã số bhxh", "sổ bhxh", "số sổ bhxh", "bhyt", "bảo hiểm y tế",
                  "thẻ bhyt", "mã số bảo hiểm")
PLATE_CONTEXT = ("biển số", "biển kiểm soát", "bks", "biển số xe", "xe máy", "ô tô", "xe ô tô", "phương tiện")
BIRTH_CONTEXT = ("sinh ngày", "ngày sinh", "ngày, tháng, năm sinh", "ngày tháng năm sinh", "năm sinh", "sinh năm",
                 "ns", "sn", "dob", "sinh ngày:", "ngày sinh:")

RECOGNIZERS = [
    Recognizer("email", [Pattern(EMAIL, 0.95)]),
    Recognizer("phone", [Pattern(PHONE, 0.7)], context=PHONE_CONTEXT, validate=valid_phone,
               reject_after=MONEY_AFTER),
    Recognizer("cccd", [Pattern(NUMBER, 0.6)], context=CCCD_CONTEXT, validate=valid_cccd),
    Recognizer("cmnd", [Pattern(NUMBER, 0.5)], context=CMND_CONTEXT, context_required=True,
               validate=_length(9, 12), reject_after=MONEY_AFTER),
    Recognizer("card", [Pattern(CARD, 0.6)], context=CARD_CONTEXT, validate=luhn),
    Recognizer("bank_account", [Pattern(NUMBER, 0.5)], context=BANK_CONTEXT, context_required=True,
               validate=_length(*range(6, 20)), reject_after=MONEY_AFTER),
    Recognizer("tax_code", [Pattern(TAX, 0.55)], context=TAX_CONTEXT, context_required=True),
    Recognizer("social_insurance", [Pattern(NUMBER, 0.55)], context=SOCIAL_CONTEXT, context_required=True,
               validate=_length(10), reject_after=MONEY_AFTER),
    Recognizer("social_insurance", [Pattern(BHYT, 0.7)], context=SOCIAL_CONTEXT),
    Recognizer("plate", [Pattern(PLATE, 0.55)], context=PLATE_CONTEXT),
    Recognizer("birth_date", [Pattern(DATE, 0.3), Pattern(BIRTH_YEAR, 0.3, 1), Pattern(YEAR_CELL, 0.3)],
               context=BIRTH_CONTEXT,
               context_required=True, window=26),
]
