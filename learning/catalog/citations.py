"""Citation keys ``<source id>#<anchor>``: parsing, links to the library, readable labels."""

from __future__ import annotations

import re

LIBRARY_PATH = "/thu-vien"
KEY_PATTERN = re.compile(r"^(?P<source>[a-z0-9]+(?:-[a-z0-9]+)*)#(?P<anchor>[a-z0-9]+(?:-[a-z0-9]+)*)$")
INLINE_PATTERN = re.compile(r"\[\[([^\[\]\s]+)\]\]")
_ROMAN = {"i": "I", "ii": "II", "iii": "III", "iv": "IV", "v": "V"}


def split_key(key: str) -> tuple[str, str] | None:
    match = KEY_PATTERN.match(key)
    return (match["source"], match["anchor"]) if match else None


def citation_url(key: str) -> str:
    """``qd-22-2024-qn#d5-k3`` → ``/thu-vien/qd-22-2024-qn#d5-k3``."""
    source, _, anchor = key.partition("#")
    return f"{LIBRARY_PATH}/{source}#{anchor}"


# Parts of a document that are not articles, clauses or points.
_NAMED_PARTS = {
    "qd": "Quyết định", "quy-che": "Quy chế", "quy-dinh": "Quy định", "mo-dau": "Phần mở đầu",
    "dau-van-ban": "Phần đầu văn bản", "ket-thuc": "Phần kết", "noi-nhan": "Nơi nhận",
    "qd-noi-nhan": "Nơi nhận", "chu-ky": "Chữ ký", "qd-chu-ky": "Chữ ký",
}


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out += letters * count
    return out


def _point(part: str) -> str | None:
    """A point letter: ``b`` → ``b``; ``dd`` is how anchors spell the Vietnamese letter ``đ``."""
    if part == "dd":
        return "đ"
    return part if len(part) == 1 and part.isalpha() else None


def anchor_label(anchor: str) -> str:
    """A Vietnamese reading of an anchor, smallest part first as legal usage has it:
    ``d12-k2-b`` → ``điểm b khoản 2 Điều 12``.

    Anchors outside the article/clause/point grammar are returned as they are.
    """
    parts = anchor.split("-")
    if anchor in _NAMED_PARTS:
        return _NAMED_PARTS[anchor]
    if parts[0] == "qd" and len(parts) == 2 and parts[1].startswith("d"):
        return f"Điều {parts[1][1:]} của Quyết định"
    if parts[0] == "chuong" and len(parts) == 2 and parts[1].isdigit():
        return f"Chương {_roman(int(parts[1]))}"
    if parts[0] == "muc" and len(parts) in (2, 3) and parts[1].isdigit():
        label = f"Mục {parts[1]}"
        if len(parts) == 3 and _point(parts[2]):
            return f"{label} điểm {_point(parts[2])}"
        return label if len(parts) == 2 else anchor
    if parts[0] in ("p1", "p2"):
        label = f"Phần {parts[0][1:]}"
        if len(parts) >= 2:
            label += f", {_ROMAN.get(parts[1], parts[1].upper())}"
        if len(parts) >= 3:
            label += f".{parts[2]}"
        return label
    words = {"d": "Điều", "k": "khoản"}
    out = []
    for i, part in enumerate(parts):
        if part[:1] in words and part[1:].isdigit():
            out.append(f"{words[part[0]]} {part[1:]}")
        elif i == 2 and _point(part):
            out.append(f"điểm {_point(part)}")
        else:
            return anchor
    return " ".join(reversed(out))


def citation_label(key: str, source_names: dict[str, str]) -> str:
    """``khoản 3 Điều 5, QĐ 22/2024/QĐ-UBND`` from a key and the sources' short names.

    The decision's own parts name the decision once: ``Điều 2 QĐ 22/2024/QĐ-UBND``, not
    ``Điều 2 của Quyết định, QĐ …``.
    """
    parsed = split_key(key)
    if parsed is None:
        return key
    source, anchor = parsed
    name = source_names.get(source, source)
    if anchor == "qd":
        return name
    parts = anchor.split("-")
    if parts[0] == "qd" and len(parts) == 2 and parts[1].startswith("d") and parts[1][1:].isdigit():
        return f"Điều {parts[1][1:]} {name}"
    return f"{anchor_label(anchor)}, {name}"
