"""A demo CA and signing key for the quick start (``demo seed``), made with ``cryptography``.

Its certificate's organisation says DEMO and it has no legal weight: production refuses it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_ORG = "DEMO - không có giá trị pháp lý"


def _name(common_name: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name: str, org: str, days: int = 3650, key_size: int = 2048):
    """A self-signed CA: (key, certificate)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    name = _name(common_name, org)
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_signing_cert(ca_key, ca_cert, common_name: str, org: str, *, not_before: datetime | None = None,
                      not_after: datetime | None = None, key=None):
    """A document-signing certificate issued by the CA: (key, certificate)."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name, org)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def write_pkcs12(path: Path, key, cert, ca_cert, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = pkcs12.serialize_key_and_certificates(
        b"signing", key, cert, [ca_cert], serialization.BestAvailableEncryption(password.encode()))
    path.write_bytes(data)
    path.chmod(0o600)


def ensure_demo_key(path: Path, password: str, org_name: str) -> bool:
    """Make the demo CA and signing key at ``path`` (and its CA beside it) unless present; True if made."""
    if path.is_file():
        return False
    ca_key, ca_cert = make_ca("CA THỬ NGHIỆM (DEMO)", DEMO_ORG)
    key, cert = make_signing_cert(ca_key, ca_cert, f"{org_name} (DEMO)", DEMO_ORG)
    write_pkcs12(path, key, cert, ca_cert, password)
    (path.parent / "DEMO-ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return True


def is_demo_pkcs12(file: str, password: str) -> bool:
    try:
        _key, cert, _extra = pkcs12.load_key_and_certificates(Path(file).read_bytes(), password.encode() or None)
    except (OSError, ValueError):
        return False
    orgs = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME) if cert else []
    return any("DEMO" in str(attr.value) for attr in orgs)


def setup_demo_signing(app) -> str:  # noqa: ANN001 - a Flask app
    """For ``demo seed``: make the demo key and sign with it unless another key is configured.

    Returns what was done, for the operator (Vietnamese). Never in production, which refuses the demo key.
    """
    from learning.config import DEMO_PKCS12_PASSWORD

    config = app.config
    demo = config.get("SIGN_DEMO_PKCS12", "")
    if config.get("APP_ENV") == "production":
        return "Môi trường production: không tạo khóa ký thử nghiệm (cần khóa hoặc token của cơ quan)."
    if not demo:
        return "SIGN_DEMO_PKCS12 để trống: không tạo khóa ký thử nghiệm."
    if config.get("SIGN_PKCS11_MODULE") or config.get("SIGN_PKCS12_FILE") not in ("", demo):
        return "Đã cấu hình khóa ký số riêng: không dùng khóa thử nghiệm."
    made = ensure_demo_key(Path(demo), DEMO_PKCS12_PASSWORD, config.get("ORG_NAME", ""))
    config["SIGN_PKCS12_FILE"], config["SIGN_PKCS12_PASSWORD"] = demo, DEMO_PKCS12_PASSWORD
    old = app.extensions.pop("certificate_signer", None)
    if old is not None:
        old.close()
    what = "Đã tạo" if made else "Dùng"
    return (f"{what} khóa ký số THỬ NGHIỆM {demo} (không có giá trị pháp lý; production từ chối khóa "
            "này): chứng nhận được ký số.")
