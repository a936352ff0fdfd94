"""Question interchange: Moodle GIFT, Moodle XML and an Excel sheet ↔ the question bank files.

A reader turns a file into ``Parsed``: neutral ``Item``s (one question each, with the line it starts
on), the problems that stop an import, notices (a question type we do not have, skipped; markup lost)
and the count of skipped types. ``bank.py`` turns items into bank entries and validates them with the
same checks as ``flask content check``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from learning.catalog.citations import INLINE_PATTERN

MAX_BYTES = 50 * 1024 * 1024  # a bank of 10,000 questions in Moodle XML is well under 20 MB


@dataclass
class Choice:
    text: str
    correct: bool
    feedback: str = ""


@dataclass
class Item:
    """One question as a Moodle file holds it."""

    line: int
    kind: str  # single | multiple | true_false
    title: str
    stem: str
    options: list[Choice]
    explanation: str = ""  # Moodle's general feedback, without the [[citations]]
    cite: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)  # category path below the top
    tags: list[str] = field(default_factory=list)


@dataclass
class Parsed:
    items: list[Item] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason): stop the import
    notices: list[tuple[int, str]] = field(default_factory=list)  # (line, reason): reported, not blocking
    skipped: dict[str, int] = field(default_factory=dict)  # Moodle type → questions skipped

    def skip(self, line: int, qtype: str) -> None:
        self.skipped[qtype] = self.skipped.get(qtype, 0) + 1
        self.notices.append((line, f"bỏ qua câu hỏi loại “{qtype}”: hệ thống chưa có loại này"))


def detect(data: bytes) -> str:
    """``xlsx``, ``xml`` or ``gift``, from the content (the file name is not trusted)."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<quiz") or head.startswith(b"<!--"):
        return "xml"
    return "gift"


_PLAIN_TAGS = {"p", "br", "div", "span"}  # layout only: dropping them loses nothing a learner needs
_BLOCK_TAGS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lost: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _PLAIN_TAGS or (tag == "span" and attrs):
            self.lost.add(tag)
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> tuple[str, set[str]]:
    """Plain text of an HTML fragment, and the tags whose meaning was lost (bold, links, images…)."""
    stripper = _Stripper()
    stripper.feed(html)
    stripper.close()
    return tidy("".join(stripper.parts)), stripper.lost


def tidy(text: str) -> str:
    """NFC, spaces collapsed, paragraphs kept as one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\xa0", " "))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def split_citations(text: str) -> tuple[str, list[str]]:
    """General feedback "… [[source#anchor]]" → (explanation without the keys, the keys)."""
    keys = INLINE_PATTERN.findall(text)
    rest = INLINE_PATTERN.sub("", text)
    return tidy(re.sub(r"[ \t]+([.,;:])", r"\1", rest)), list(dict.fromkeys(keys))


def join_citations(explanation: str, cite: list[str]) -> str:
    return " ".join([explanation, *(f"[[{key}]]" for key in cite)]).strip()


def lost_notice(line: int, where: str, lost: set[str]) -> tuple[int, str]:
    tags = ", ".join(f"<{t}>" for t in sorted(lost))
    return line, f"{where}: định dạng HTML ({tags}) bị bỏ, chỉ giữ chữ"
