"""Vietnamese text conventions: NFC, collapsed whitespace, collation, name order."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Letters of the Vietnamese alphabet in dictionary order; ă, â, đ, ê, ô, ơ, ư are letters
# of their own, not accented variants.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_QUALITY = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}
_WITH_QUALITY = {
    ("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô",
    ("o", "+"): "ơ", ("u", "+"): "ư",
}
# Tone order of Vietnamese dictionaries: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: str | None) -> str:
    """NFC with surrounding spaces removed and inner whitespace collapsed."""
    if value is None:
        return ""
    return _SPACES.sub(" ", nfc(str(value))).strip()


def ascii_fold(value: str) -> str:
    """Strip Vietnamese diacritics: "Đặng Thị Ánh" → "Dang Thi Anh" (for codes and file names)."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def vi_sort_key(value: str | None) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Sort key following Vietnamese collation: letters first, then tones, then case."""
    text = unicodedata.normalize("NFD", (value or "").lower())
    letters: list[int] = []
    tones: list[int] = []
    for ch in text:
        if ch in _QUALITY and letters:
            base = _ALPHABET[letters[-1]] if letters[-1] < len(_ALPHABET) else ""
            merged = _WITH_QUALITY.get((base, _QUALITY[ch]))
            if merged:
                letters[-1] = _LETTER_RANK[merged]
            continue
        if ch in _TONE_RANK:
            if tones:
                tones[-1] = _TONE_RANK[ch]
            continue
        if unicodedata.combining(ch):
            continue
        letters.append(_LETTER_RANK.get(ch, len(_ALPHABET) + ord(ch)))
        tones.append(0)
    return tuple(letters), tuple(tones), value or ""


def vi_collate(left: str | None, right: str | None) -> int:
    """A comparison function for SQLite's ``create_collation``."""
    a, b = vi_sort_key(left), vi_sort_key(right)
    return (a > b) - (a < b)


def split_full_name(full_name: str) -> tuple[str, str]:
    """Split "Nguyễn Thị Minh Anh" into (họ đệm, tên) = ("Nguyễn Thị Minh", "Anh")."""
    parts = clean(full_name).split(" ")
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


def neutralise_formula(value: object) -> object:
    """Make a spreadsheet cell safe: text starting with = + - @ (or tab/CR) is prefixed by '."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
