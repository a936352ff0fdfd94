"""Library pages read as a reader needs: labels not anchor ids, the article a clause belongs to, a way back."""

from learning.catalog.loader import load_content


def test_library_page_hides_ids_shows_context_and_way_back(app, client, tree):
    load_content(tree.root)
    page = client.get("/thu-vien/qd-99-2024-tn", headers={"Referer": "http://localhost/khoa-hoc/x/bai/y"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ">#d5-k1<" not in html and 'href="#d5-k1"' in html
    assert "khoản 1 Điều 5" in html
    assert 'class="reg-context' in html
    assert 'href="/khoa-hoc/x/bai/y"' in html
    other = client.get("/thu-vien/qd-99-2024-tn", headers={"Referer": "http://evil.example/khoa-hoc/x"})
    assert "evil.example" not in other.get_data(as_text=True)
