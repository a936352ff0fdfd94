"""A local test CA, PKCS#12 keys and a SoftHSM2 token for the signing tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from learning.certification import signing
from learning.certification.demo_key import make_ca, make_signing_cert, write_pkcs12

SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
PIN = "123456"


@dataclass
class TestCA:
    key: object
    cert: object
    folder: Path

    @property
    def asn1(self):
        """The CA certificate as pyHanko's validator takes it."""
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    def pem(self) -> Path:
        path = self.folder / "ca.pem"
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def pkcs12(self, name: str, password: str = "secret", **validity) -> Path:
        key, cert = make_signing_cert(self.key, self.cert, "Sở Nội vụ tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh",
                                      **validity)
        path = self.folder / f"{name}.p12"
        write_pkcs12(path, key, cert, self.cert, password)
        return path


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory) -> TestCA:
    key, cert = make_ca("CA kiểm thử", "Kiểm thử", key_size=2048)
    return TestCA(key, cert, tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory) -> TestCA:
    key, cert = make_ca("CA lạ", "Nơi khác", key_size=2048)
    return TestCA(key, cert, tmp_path_factory.mktemp("other-ca"))


@pytest.fixture
def use_signing(app):
    """Configure signing on the shared test app for one test: ``use_signing(SIGN_…=…)``."""
    keys = ("SIGN_PKCS12_FILE", "SIGN_PKCS12_PASSWORD", "SIGN_PKCS11_MODULE", "SIGN_PKCS11_TOKEN_LABEL",
            "SIGN_PKCS11_KEY_LABEL", "SIGN_PKCS11_PIN", "SIGN_TSA_URL", "SIGN_ALLOW_UNSIGNED", "SIGN_ISSUER_CERTS",
            "SIGN_DEMO_PKCS12")
    saved = {key: app.config.get(key) for key in keys}
    saved_holder = app.extensions.pop("certificate_signer", None)

    def drop():
        old = app.extensions.pop("certificate_signer", None)
        if old is not None:
            old.close()

    def configure(**values):
        for key in keys:
            app.config[key] = values.get(key, "" if key != "SIGN_ALLOW_UNSIGNED" else False)
        drop()
        return signing.holder(app)

    yield configure
    app.config.update(saved)
    drop()
    if saved_holder is not None:
        app.extensions["certificate_signer"] = saved_holder


def _softhsm_module() -> str | None:
    return next((path for path in SOFTHSM_MODULES if Path(path).is_file()), None)


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory, test_ca):
    """A SoftHSM2 token "chung-nhan" holding the signing key (imported) and its certificate."""
    module = _softhsm_module()
    if module is None or shutil.which("softhsm2-util") is None:
        if os.environ.get("REQUIRE_HSM") == "1":
            pytest.fail("SoftHSM2 is required (REQUIRE_HSM=1): apt-get install softhsm2")
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2, or make test): PKCS#11 tests skipped")
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "chung-nhan", "--pin", PIN,
                    "--so-pin", "65432100"], check=True, capture_output=True)
    key, cert = make_signing_cert(test_ca.key, test_ca.cert, "UBND tỉnh Quảng Ninh (token)", "UBND tỉnh Quảng Ninh")
    key_file = folder / "key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(key_file), "--token", "chung-nhan", "--label", "ky-so",
                    "--id", "01", "--pin", PIN], check=True, capture_output=True)
    key_file.unlink()  # from now on the key exists only in the token
    token = pkcs11.lib(module).get_token(token_label="chung-nhan")
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "ky-so", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
    return {"SIGN_PKCS11_MODULE": module, "SIGN_PKCS11_TOKEN_LABEL": "chung-nhan",
            "SIGN_PKCS11_KEY_LABEL": "ky-so", "SIGN_PKCS11_PIN": PIN}


def expired() -> dict:
    now = datetime.now(UTC)
    return {"not_before": now - timedelta(days=400), "not_after": now - timedelta(days=2)}
