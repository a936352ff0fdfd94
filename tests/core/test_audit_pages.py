import json

from learning.auth.models import Role


def test_learner_sees_and_downloads_what_the_platform_holds(client, login, create_account):
    account = create_account(full_name="Đào Thị Mận", email="man@tinh.gov.vn")
    login(account)
    page = client.get("/du-lieu-cua-toi").text
    assert "Mận" in page and "man@tinh.gov.vn" in page
    assert "<td>Đăng nhập</td>" in page and "auth.login" not in page  # the event by its label
    data = json.loads(client.get("/du-lieu-cua-toi.json").data)
    assert data["person"]["given_name"] == "Mận"
    assert "auth.login" in [e["action"] for e in data["activity"]]


def test_admin_reads_the_audit_log_filtered_by_action(client, login, create_account):
    login(create_account((Role.ADMIN, None)))
    page = client.get("/quan-tri/nhat-ky?hanh-dong=auth.login").text
    events = page[page.index("<tbody>"):page.index("</tbody>")]
    assert '<th scope="row">Đăng nhập</th>' in events and "Đổi mật khẩu" not in events
