"""Citation keys read as a Vietnamese reader expects."""

import pytest

from learning.catalog.citations import anchor_label, citation_label, citation_url


@pytest.mark.parametrize(("anchor", "label"), [
    ("d5", "Điều 5"),
    ("d5-k3", "khoản 3 Điều 5"),
    ("d12-k2-b", "điểm b khoản 2 Điều 12"),
    ("d6-k1-dd", "điểm đ khoản 1 Điều 6"),
    ("qd", "Quyết định"),
    ("qd-d2", "Điều 2 của Quyết định"),
    ("chuong-4", "Chương IV"),
    ("muc-3", "Mục 3"),
    ("muc-1-a", "Mục 1 điểm a"),
    ("p1-ii-6", "Phần 1, II.6"),
    ("p2-iii-3", "Phần 2, III.3"),
    ("noi-nhan", "Nơi nhận"),
    ("something-else", "something-else"),
])
def test_anchor_labels(anchor, label):
    assert anchor_label(anchor) == label


def test_citation_label_and_url():
    names = {"qd-22-2024-qn": "QĐ 22/2024/QĐ-UBND"}
    assert citation_label("qd-22-2024-qn#d5-k3", names) == "khoản 3 Điều 5, QĐ 22/2024/QĐ-UBND"
    assert citation_label("qd-22-2024-qn#d12-k2-b", names) == "điểm b khoản 2 Điều 12, QĐ 22/2024/QĐ-UBND"
    # The decision's own parts do not name the decision twice.
    assert citation_label("qd-22-2024-qn#qd-d2", names) == "Điều 2 QĐ 22/2024/QĐ-UBND"
    assert citation_label("qd-22-2024-qn#qd", names) == "QĐ 22/2024/QĐ-UBND"
    assert citation_url("qd-22-2024-qn#d5-k3") == "/thu-vien/qd-22-2024-qn#d5-k3"
