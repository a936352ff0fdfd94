"""Open Badges 3.0: every certificate as a signed VC-JWT, its public keys, the status list, the verify page."""

import base64
import copy
import gzip
import io
import json
from datetime import timedelta

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, OKPKey

from learning import create_app
from learning.certification import badge_key, badges, status_list
from learning.certification.models import StoredStatus
from learning.core.dates import local_today
from learning.extensions import db

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def _decode(token: str, jwks: dict):
    return jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["EdDSA"])


def _payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _tamper(token: str, **changes) -> str:
    header, _payload_part, signature = token.split(".")
    claims = _payload(token) | changes
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{body}.{signature}"


def _status_bits(client, cert_id: int) -> int:
    response = client.get("/ob/trang-thai")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    claims = _decode(response.text, client.get("/.well-known/jwks.json").json).claims
    assert "BitstringStatusListCredential" in claims["type"]
    return status_list.decode(claims["credentialSubject"]["encodedList"], cert_id)


def _check(client, token: str) -> str:
    response = client.post("/xac-thuc/kiem-tra-huy-hieu", data={"credential": token})
    assert response.status_code == 200
    return response.text


@pytest.fixture
def holder_token(client, login, create_account, issue_certificate):
    account = create_account()
    cert = issue_certificate(person=account.person)
    login(account)
    response = client.get(f"/chung-nhan/{cert.serial}.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    assert f"{cert.serial}-open-badge.jwt" in response.headers["Content-Disposition"]
    return cert, response.text


def test_the_holders_credential_is_a_schema_valid_ob3_achievement_credential(app, client, holder_token):
    cert, token = holder_token
    jwks = client.get("/.well-known/jwks.json").json
    decoded = _decode(token, jwks)
    assert decoded.header["alg"] == "EdDSA" and decoded.header["typ"] == "vc+jwt"
    assert decoded.header["kid"] == jwks["keys"][0]["kid"]
    assert decoded.header["kid"].startswith("http://verify.test/.well-known/jwks.json#")
    vc = decoded.claims
    assert badges.schema_errors(vc) == []
    assert vc["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert vc["issuer"] == {"id": "http://verify.test/ob/to-chuc-cap.json", "type": ["Profile"],
                            "name": app.config["ORG_NAME"], "url": "http://verify.test"}
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["name"] == cert.course_title and achievement["description"]
    assert "80%" in achievement["criteria"]["narrative"]
    assert vc["credentialSubject"]["identifier"][0]["identityHash"] == cert.person_name
    assert vc["validFrom"].startswith(cert.issued_at.strftime("%Y-%m-%dT%H:%M"))
    # The last valid local day ends at 23:59:59 in Việt Nam (UTC+7), 16:59:59 UTC.
    assert vc["validUntil"] == f"{cert.valid_until.isoformat()}T16:59:59Z"
    status = vc["credentialStatus"]
    assert status["statusListIndex"] == str(cert.id) and status["statusListCredential"] == "http://verify.test/ob/trang-thai"
    assert vc["id"] == f"http://verify.test/xac-thuc/{cert.code}" and vc["jti"] == vc["id"]
    # The schema is not a rubber stamp: what OB 3.0 requires, missing, is reported.
    broken = copy.deepcopy(vc)
    del broken["credentialSubject"]["achievement"]["criteria"]
    broken["type"] = ["VerifiableCredential"]
    del broken["validFrom"]
    errors = badges.schema_errors(broken)
    assert any(e.startswith("type:") for e in errors), errors
    assert any("'criteria' is a required" in e for e in errors) and any("'validFrom' is a required" in e for e in errors)


def test_the_signature_checks_with_the_published_key_and_not_with_another(client, holder_token):
    _cert, token = holder_token
    jwks = client.get("/.well-known/jwks.json").json
    assert [key["crv"] for key in jwks["keys"]] == ["Ed25519"] and "d" not in jwks["keys"][0]
    _decode(token, jwks)
    other = OKPKey.generate_key("Ed25519").as_dict(private=False) | {"kid": jwks["keys"][0]["kid"]}
    with pytest.raises(BadSignatureError):
        _decode(token, {"keys": [other]})


def test_a_tampered_credential_fails_the_signature_and_the_verify_page_says_so(client, holder_token):
    _cert, token = holder_token
    forged = _tamper(token, validUntil="2099-12-31T16:59:59Z", exp=4102419599)
    with pytest.raises(BadSignatureError):
        _decode(forged, client.get("/.well-known/jwks.json").json)
    page = _check(client, forged)
    assert "Đã bị sửa đổi" in page and "Hợp lệ" not in page
    assert "Hợp lệ" in _check(client, token)


def test_the_verify_page_accepts_the_downloaded_file_from_the_public_page(client, issue_certificate):
    cert = issue_certificate()
    verify_page = client.get(f"/xac-thuc/{cert.code}").text
    assert f"/xac-thuc/{cert.code}.jwt" in verify_page
    token = client.get(f"/xac-thuc/{cert.code}.jwt").text
    response = client.post("/xac-thuc/kiem-tra-huy-hieu", data={"file": (io.BytesIO(token.encode()), "cn.jwt")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Hợp lệ" in response.text and cert.serial in response.text and "Nguyễn Thị Ánh Tuyết" in response.text


def test_a_credential_signed_with_another_key_is_not_ours(app, client, issue_certificate):
    cert = issue_certificate()
    stranger = OKPKey.generate_key("Ed25519")
    token = jwt.encode({"alg": "EdDSA", "typ": "vc+jwt", "kid": "https://elsewhere.test/jwks#1"},
                       badges.credential(cert), stranger, algorithms=["EdDSA"])
    assert "Không do hệ thống ký" in _check(client, token)
    # The same forgery claiming our key id: the signature does not match our key.
    ours = badge_key.key_id(app, badge_key.issuer_key(app))
    token = jwt.encode({"alg": "EdDSA", "typ": "vc+jwt", "kid": ours}, badges.credential(cert), stranger,
                       algorithms=["EdDSA"])
    assert "Đã bị sửa đổi" in _check(client, token)


def test_garbage_and_empty_input_are_explained(client):
    assert "Không đọc được" in _check(client, "đây không phải chứng nhận")
    assert "Không đọc được" in _check(client, "MTIz.e30.AAAA")  # a header that is not a JSON object
    # Signed by us, but the status list, not a certificate.
    assert "Không đọc được" in _check(client, client.get("/ob/trang-thai").text)
    response = client.post("/xac-thuc/kiem-tra-huy-hieu", data={"credential": "  "})
    assert response.status_code == 400 and "Hãy dán nội dung chứng nhận" in response.text


def test_revoked_expired_and_superseded_show_in_the_status_list_and_on_the_verify_page(client, issue_certificate,
                                                                                      create_account):
    cert = issue_certificate()
    token = client.get(f"/xac-thuc/{cert.code}.jwt").text
    assert _status_bits(client, cert.id) == 0
    cert.revoke("Kết quả kiểm tra bị hủy do thi hộ", create_account())
    db.session.commit()
    assert _status_bits(client, cert.id) == 1
    page = _check(client, token)
    assert "Đã thu hồi" in page and "Kết quả kiểm tra bị hủy do thi hộ" in page
    cert.stored_status, cert.valid_until = StoredStatus.VALID, local_today() - timedelta(days=1)
    db.session.commit()
    assert _status_bits(client, cert.id) == 2
    assert "Hết hạn" in _check(client, token)
    cert.stored_status = StoredStatus.SUPERSEDED
    db.session.commit()
    assert _status_bits(client, cert.id) == 3
    assert "Đã được thay thế" in _check(client, token)


def _entries(encoded: str) -> int:
    data = encoded.removeprefix("u")
    return len(gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))) * 4


def test_the_status_list_is_at_least_the_minimum_length_and_round_trips():
    encoded = status_list.encode({0: 1, 5: 2, 200_000: 3}, 200_000)
    assert encoded.startswith("u")
    assert [status_list.decode(encoded, i) for i in (0, 1, 5, 6, 200_000)] == [1, 0, 2, 0, 3]
    assert _entries(encoded) == 200_004  # 200,001 entries, two bits each, rounded up to a whole byte
    assert _entries(status_list.encode({}, 3)) == 131_072  # never shorter: an index tells nothing


def test_the_holders_page_links_their_credential_and_others_cannot_take_it(client, login, create_account,
                                                                          issue_certificate):
    account = create_account()
    cert = issue_certificate(person=account.person)
    stranger_cert = issue_certificate()
    login(account)
    assert f"/chung-nhan/{cert.serial}.jwt" in client.get("/chung-nhan").text
    assert client.get(f"/chung-nhan/{stranger_cert.serial}.jwt").status_code == 403


def test_hr_downloads_the_credential_from_the_certificate_page(client, login, create_account, issue_certificate):
    from learning.auth.models import Role

    cert = issue_certificate()
    login(create_account((Role.HR, None)))
    assert f"/chung-nhan/{cert.serial}.jwt" in client.get(f"/quan-ly/chung-nhan/{cert.id}").text
    response = client.get(f"/chung-nhan/{cert.serial}.jwt")
    assert response.status_code == 200 and badges.check(response.text).verdict == badges.Verdict.VALID


def test_the_issuer_profile_is_served(app, client):
    profile = client.get("/ob/to-chuc-cap.json").json
    assert profile["id"] == "http://verify.test/ob/to-chuc-cap.json" and profile["name"] == app.config["ORG_NAME"]
    assert badges.OB_CONTEXT in profile["@context"]


def test_the_key_is_made_outside_production_and_by_demo_seed(app, tmp_path, monkeypatch):
    assert badge_key.ensure_key(tmp_path / "k.pem") and not badge_key.ensure_key(tmp_path / "k.pem")
    assert (tmp_path / "k.pem").stat().st_mode & 0o077 == 0
    monkeypatch.setitem(app.config, "OB_KEY_FILE", str(tmp_path / "demo" / "ob.pem"))
    assert "Đã tạo khóa Open Badges" in badge_key.setup_demo_key(app)
    assert (tmp_path / "demo" / "ob.pem").is_file()
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    monkeypatch.setitem(app.config, "OB_KEY_FILE", str(tmp_path / "prod.pem"))
    assert "Không tạo" in badge_key.setup_demo_key(app) and not (tmp_path / "prod.pem").exists()


def test_production_requires_its_own_key(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("OB_KEY_FILE", raising=False)
    production = {"SECRET_KEY": "a-real-secret", "SIGN_PKCS12_FILE": "", "SIGN_DEMO_PKCS12": "",
                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    with pytest.raises(RuntimeError, match="OB_KEY_FILE"):
        create_app(production)
    with pytest.raises(RuntimeError, match="OB_KEY_FILE"):
        create_app(production | {"OB_KEY_FILE": str(tmp_path / "missing.pem")})
    badge_key.ensure_key(tmp_path / "own.pem")
    assert create_app(production | {"OB_KEY_FILE": str(tmp_path / "own.pem")}).config["OB_KEY_FILE"]
