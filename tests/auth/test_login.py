from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth.models import Account, Role
from learning.extensions import db
from tests.factories import PASSWORD


def _actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_login_by_employee_code_or_email_reaches_home(client, create_account):
    account = create_account(email="an.nguyen@tinh.gov.vn")
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code.lower(),
                                               "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert "Xin chào, Nguyễn Văn An" in client.get("/").text
    client.post("/dang-xuat")
    response = client.post("/dang-nhap", data={"identifier": " AN.NGUYEN@tinh.gov.vn ",
                                               "password": PASSWORD})
    assert response.status_code == 302
    assert "auth.login" in _actions()


def test_wrong_password_and_unknown_account_get_the_same_message(client, create_account):
    account = create_account()
    wrong = client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                            "password": "sai-mat-khau"})
    unknown = client.post("/dang-nhap", data={"identifier": "KHONG-CO", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    message = "Mã cán bộ/e-mail hoặc mật khẩu không đúng."
    assert message in wrong.text and message in unknown.text


def test_empty_login_form_says_what_is_missing(client):
    response = client.post("/dang-nhap", data={})
    assert response.status_code == 400
    assert "Vui lòng nhập trường này." in response.text


def test_login_is_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.post("/dang-nhap", data={"identifier": "x", "password": "y"}).status_code
                 for _ in range(5)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "20 per minute"
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]


def test_next_parameter_cannot_redirect_off_site(client, create_account):
    account = create_account()
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                               "password": PASSWORD, "next": "https://evil.example/"})
    assert response.location == "/"


def test_change_password_checks_current_and_strength(client, login, create_account):
    account = create_account()
    login(account)
    weak = client.post("/doi-mat-khau", data={"current_password": PASSWORD, "new_password": "123",
                                              "confirm": "123"})
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.text
    wrong = client.post("/doi-mat-khau", data={"current_password": "nope",
                                               "new_password": "moi-2026-abc", "confirm": "moi-2026-abc"})
    assert "Mật khẩu hiện tại không đúng." in wrong.text
    ok = client.post("/doi-mat-khau", data={"current_password": PASSWORD,
                                            "new_password": "moi-2026-abc", "confirm": "moi-2026-abc"})
    assert ok.status_code == 302
    assert db.session.get(Account, account.id).check_password("moi-2026-abc")


def test_admin_reset_forces_a_new_password(client, login, create_account):
    admin = create_account((Role.ADMIN, None), full_name="Hoàng Quang Vinh")
    user = create_account(full_name="Đỗ Thị Mai")
    login(admin)
    response = client.post(f"/tai-khoan/{user.id}/dat-lai-mat-khau", follow_redirects=True)
    assert "Mật khẩu tạm thời của Đỗ Thị Mai" in response.text
    assert "auth.password_reset" in _actions()
    client.post("/dang-xuat")
    temporary = response.text.split("Mật khẩu tạm thời của Đỗ Thị Mai: ")[1].split(" ")[0]
    response = client.post("/dang-nhap", data={"identifier": user.person.employee_code,
                                               "password": temporary})
    assert response.location == "/doi-mat-khau"


def test_only_admins_reset_passwords(client, login, create_account, province):
    hr = create_account((Role.HR, None))
    user = create_account()
    login(hr)
    assert client.post(f"/tai-khoan/{user.id}/dat-lai-mat-khau").status_code == 403
    assert client.post("/tai-khoan/99999/dat-lai-mat-khau").status_code == 404


def test_admin_grants_and_revokes_a_scoped_role(client, login, create_account, create_unit, province):
    dept = create_unit("Sở Y tế", parent=province, code="SYT")
    admin = create_account((Role.ADMIN, None))
    user = create_account()
    login(admin)
    client.post(f"/tai-khoan/{user.id}/vai-tro", data={"role": "unit_head", "unit_code": "SYT"})
    db.session.expire_all()
    grant = db.session.get(Account, user.id).grants[0]
    assert (grant.role, grant.unit_id) == ("unit_head", dept.id)
    bad = client.post(f"/tai-khoan/{user.id}/vai-tro", data={"role": "hr", "unit_code": "NOPE"},
                      follow_redirects=True)
    assert "Không có đơn vị mã “NOPE”" in bad.text
    client.post(f"/vai-tro/{grant.id}/thu-hoi")
    db.session.expire_all()
    assert db.session.get(Account, user.id).grants == []
    assert {"auth.role_granted", "auth.role_revoked"} <= set(_actions())


def test_forms_reject_a_missing_csrf_token(app, client, create_account):
    account = create_account()
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                               "password": PASSWORD})
    assert response.status_code == 400
    assert "Hãy tải lại trang" in response.text
