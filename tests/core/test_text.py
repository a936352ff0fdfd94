import unicodedata
from datetime import date

from learning.core.dates import format_date, format_decimal
from learning.core.text import ascii_fold, clean, neutralise_formula, split_full_name, vi_sort_key


def test_vietnamese_collation_orders_letters_then_tones():
    names = ["Đức", "Dũng", "Ánh", "Bình", "An", "Ấn", "Ăn", "Anh", "Ơn", "Ôn", "On", "Ư", "Uy"]
    assert sorted(names, key=vi_sort_key) == [
        "An", "Anh", "Ánh", "Ăn", "Ấn", "Bình", "Dũng", "Đức", "On", "Ôn", "Ơn", "Uy", "Ư",
    ]


def test_collation_treats_nfd_like_nfc():
    assert vi_sort_key(unicodedata.normalize("NFD", "Đặng"))[:2] == vi_sort_key("Đặng")[:2]


def test_clean_normalises_and_collapses_whitespace():
    assert clean(unicodedata.normalize("NFD", "  Nguyễn   Thị\tÁnh ")) == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", clean(unicodedata.normalize("NFD", "Lưu Quỳnh")))


def test_split_full_name_keeps_the_last_word_as_ten():
    assert split_full_name("Nguyễn Thị Minh Anh") == ("Nguyễn Thị Minh", "Anh")
    assert split_full_name("Anh") == ("", "Anh")


def test_dates_and_numbers_follow_vietnamese_conventions():
    assert format_date(date(2026, 3, 5)) == "05/03/2026"
    assert format_decimal(1234.5) == "1.234,5"


def test_formula_cells_are_neutralised():
    assert neutralise_formula("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("Nguyễn") == "Nguyễn"
    assert neutralise_formula(12) == 12


def test_ascii_fold():
    assert ascii_fold("Đặng Thị Ánh") == "Dang Thi Anh"


def test_csv_cells_are_neutralised_after_a_semicolon_too():
    from learning.core.spreadsheet import to_csv
    body = to_csv(["Ghi chú"], [["ok; =HYPERLINK(\"http://x\")"], ["=1+1"], ["a;b"]]).decode("utf-8-sig")
    assert "; '=HYPERLINK" in body and "'=1+1" in body and "a;b" in body
