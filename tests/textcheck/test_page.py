"""``/kiem-tra-van-ban``: the page a signed-in person uses to check a text before it goes to a chatbot."""

from __future__ import annotations

import re

from learning.catalog.models import RegulationSource
from learning.extensions import db

PETITION = "Tôi là Nguyễn Văn An, CCCD 022085001234, SĐT 0912345678. Tài liệu MẬT."


def _post(client, **data):
    return client.post("/kiem-tra-van-ban", data=data, content_type="multipart/form-data")


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/kiem-tra-van-ban")
    assert response.status_code == 302 and "/dang-nhap" in response.location


def test_the_empty_page_has_the_form_and_the_nav_link(client, login, create_account):
    login(create_account())
    page = client.get("/kiem-tra-van-ban").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="text"' in page and 'name="file"' in page
    assert "Chưa có kết quả" in page
    assert 'href="/kiem-tra-van-ban" aria-current="page"' in page


def test_a_check_highlights_counts_redacts_and_explains(client, login, create_account):
    db.session.add(RegulationSource(id="leaflet", kind="Tài liệu", title="Tờ rơi", short_title="Tài liệu tuyên truyền",
                                    issuer="Tỉnh ủy", content_hash="h"))
    db.session.commit()
    login(create_account())
    response = _post(client, text=PETITION)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<mark class="tc tc-cccd"><span class="tc-type">Số CCCD:</span> 022085001234</mark>' in page
    assert '<mark class="tc tc-person_name"><span class="tc-type">Họ tên:</span> Nguyễn Văn An</mark>' in page
    counts = dict(re.findall(r'<th scope="row"><span class="tc-swatch tc-(\w+)"[^>]*></span> [^<]+</th>'
                             r'<td class="num">(\d+)</td>', page))
    assert counts == {"cccd": "1", "phone": "1", "person_name": "1", "secret_marker": "1"}
    redacted = re.search(r'<textarea id="redacted" readonly[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert redacted == "Tôi là [HỌ TÊN], CCCD [SỐ CCCD], SĐT [SỐ ĐIỆN THOẠI]. Tài liệu [DẤU MẬT]."
    assert 'href="/thu-vien/leaflet#p2-i-3"' in page and "Tài liệu tuyên truyền" in page
    assert 'href="/thu-vien/leaflet#p1-iii-4"' in page  # the secrecy marker: the responsible-AI rule
    assert "style=" not in page and "<script>" not in page


def test_a_clean_text_says_nothing_was_found(client, login, create_account):
    login(create_account())
    page = _post(client, text="Cuộc họp bắt đầu lúc 8 giờ.").get_data(as_text=True)
    assert "Không tìm thấy dữ liệu cá nhân" in page
    assert "Cuộc họp bắt đầu lúc 8 giờ." in page


def test_the_csrf_token_is_required(app, client, login, create_account):
    login(create_account())
    app.config["WTF_CSRF_ENABLED"] = True
    response = _post(client, text=PETITION)
    assert response.status_code == 400
    assert "022085001234" not in response.get_data(as_text=True)


def test_every_rule_cites_an_anchor_of_the_shipped_library():
    from learning.catalog.content import read_content
    from learning.config import PROJECT_ROOT
    from learning.textcheck.analyzer import TYPES
    from learning.textcheck.rules import RULES

    anchors = read_content(PROJECT_ROOT).anchors()
    assert set(RULES) == set(TYPES)
    assert [r.key for r in RULES.values() if r.key and r.key not in anchors] == []
