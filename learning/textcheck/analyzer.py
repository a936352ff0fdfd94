"""``analyze(text)``: the findings of every recognizer, and the redacted copy (Presidio's anonymizer, "replace")."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from learning.textcheck import keywords, numbers, people
from learning.textcheck.recognizers import FunctionRecognizer, Result, resolve

TYPES = ("cccd", "cmnd", "phone", "email", "bank_account", "card", "tax_code", "social_insurance", "plate",
         "birth_date", "address", "person_name", "sensitive", "secret_marker", "credential")
PLACEHOLDERS = {
    "cccd": "[SỐ CCCD]", "cmnd": "[SỐ CMND]", "phone": "[SỐ ĐIỆN THOẠI]", "email": "[EMAIL]",
    "bank_account": "[SỐ TÀI KHOẢN]", "card": "[SỐ THẺ]", "tax_code": "[MÃ SỐ THUẾ]",
    "social_insurance": "[SỐ BHXH]", "plate": "[BIỂN SỐ XE]", "birth_date": "[NGÀY SINH]", "address": "[ĐỊA CHỈ]",
    "person_name": "[HỌ TÊN]", "sensitive": "[DỮ LIỆU NHẠY CẢM]", "secret_marker": "[DẤU MẬT]",  # nosec B105 - a placeholder label
    "credential": "[THÔNG TIN ĐĂNG NHẬP]",
}
RECOGNIZERS = [*numbers.RECOGNIZERS, *keywords.RECOGNIZERS,
               FunctionRecognizer("person_name", people.scan_names),
               FunctionRecognizer("address", people.scan_addresses),
               FunctionRecognizer("secret_marker", keywords.scan_markers)]


@dataclass(frozen=True, slots=True)
class Finding:
    type: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"type": self.type, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Analysis:
    text: str  # NFC
    findings: list[Finding]
    redacted: str

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(f.type for f in self.findings)
        return {t: counter[t] for t in TYPES if counter[t]}

    def segments(self) -> list[tuple[str, str | None]]:
        """The text cut into (piece, type or None), for highlighting."""
        out, position = [], 0
        for f in self.findings:
            if f.start > position:
                out.append((self.text[position:f.start], None))
            out.append((self.text[f.start:f.end], f.type))
            position = f.end
        if position < len(self.text):
            out.append((self.text[position:], None))
        return out


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def find(text: str) -> list[Result]:
    return resolve(r for recognizer in RECOGNIZERS for r in recognizer.analyze(text))


def redact(text: str, findings: list[Finding]) -> str:
    pieces, position = [], 0
    for f in findings:
        pieces.append(text[position:f.start])
        pieces.append(PLACEHOLDERS[f.type])
        position = f.end
    pieces.append(text[position:])
    return "".join(pieces)


def analyze(text: str) -> Analysis:
    text = normalise(text)
    findings = [Finding(r.type, r.start, r.end, text[r.start:r.end]) for r in find(text)]
    return Analysis(text, findings, redact(text, findings))
