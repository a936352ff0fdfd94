"""Quick start signs too: `demo seed` makes a demo key; production refuses it."""

import pytest

from learning import create_app
from learning.certification import signing
from learning.certification.demo_key import ensure_demo_key, setup_demo_signing
from learning.certification.file_check import Verdict, check_file
from learning.config import DEMO_PKCS12_PASSWORD, Config


def test_demo_seed_makes_a_demo_key_and_the_first_certificate_is_signed(app, use_signing, issue_certificate,
                                                                        tmp_path):
    demo = tmp_path / "demo-signing" / "DEMO-khoa-ky-thu-nghiem.p12"
    use_signing(SIGN_DEMO_PKCS12=str(demo))
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--people", "0"])
    assert result.exit_code == 0, result.output
    assert "khóa ký số THỬ NGHIỆM" in result.output and "không có giá trị pháp lý" in result.output
    assert demo.is_file() and (demo.parent / "DEMO-ca.pem").is_file()
    assert app.config["SIGN_PKCS12_FILE"] == str(demo)
    assert signing.holder(app).state() == ("ok", "")
    cert = issue_certificate()
    checked = check_file(cert.file.pdf)
    assert checked.verdict == Verdict.GENUINE and checked.signature.verdict == "ours"
    assert "(DEMO)" in checked.signature.signer
    again = app.test_cli_runner().invoke(args=["demo", "seed", "--people", "0"])
    assert "Dùng khóa ký số THỬ NGHIỆM" in again.output  # made once, reused


def test_demo_seed_leaves_a_configured_key_alone(app, use_signing, test_ca, tmp_path):
    own = str(test_ca.pkcs12("own"))
    use_signing(SIGN_PKCS12_FILE=own, SIGN_PKCS12_PASSWORD="secret", SIGN_DEMO_PKCS12=str(tmp_path / "d.p12"))
    assert "khóa ký số riêng" in setup_demo_signing(app)
    assert app.config["SIGN_PKCS12_FILE"] == own and not (tmp_path / "d.p12").exists()


def test_production_refuses_the_demo_key(tmp_path, monkeypatch):
    demo = tmp_path / "DEMO.p12"
    ensure_demo_key(demo, DEMO_PKCS12_PASSWORD, "UBND tỉnh Quảng Ninh")
    production = {"APP_ENV": "production", "SECRET_KEY": "a-real-secret", "SIGN_PKCS12_FILE": str(demo),
                  "SIGN_PKCS12_PASSWORD": DEMO_PKCS12_PASSWORD,
                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    with pytest.raises(RuntimeError, match="demo signing key"):
        create_app(production)
    # Nor is the demo key picked up by default in production, and the signer itself refuses it (a token too).
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SIGN_DEMO_PKCS12", str(demo))
    monkeypatch.delenv("SIGN_PKCS12_FILE", raising=False)
    monkeypatch.delenv("SIGN_PKCS11_MODULE", raising=False)
    assert Config().SIGN_PKCS12_FILE == ""
    monkeypatch.setenv("APP_ENV", "development")
    assert Config().SIGN_PKCS12_FILE == str(demo)
    holder = signing.SignerHolder(signing.SigningSettings(pkcs12_file=str(demo), pkcs12_password="demo",
                                                          refuse_demo=True))
    state, message = holder.state()
    assert state == "unavailable" and "THỬ NGHIỆM" in message


def test_demo_seed_in_production_makes_no_key(app, use_signing, tmp_path):
    use_signing(SIGN_DEMO_PKCS12=str(tmp_path / "x.p12"))
    saved, app.config["APP_ENV"] = app.config["APP_ENV"], "production"
    try:
        assert "không tạo khóa" in setup_demo_signing(app)
    finally:
        app.config["APP_ENV"] = saved
    assert not (tmp_path / "x.p12").exists()
