"""PAdES signatures: PKCS#12 and a SoftHSM2 token, checked by pyHanko and poppler's pdfsig; failures queue."""

import shutil
import subprocess

import pytest
from sqlalchemy import select

from learning.certification import signature_check, tasks
from learning.certification.models import Certificate
from learning.certification.signature_check import SignatureVerdict
from learning.extensions import db
from tests.certification.signing_fixtures import expired


def _pdfsig(tmp_path, pdf: bytes) -> str:
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def _issue_unrendered(create_person, create_completion):
    completion = create_completion(create_person("Trần Thị Mai"))
    db.session.commit()
    return db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))


def _flip_byte_inside_signed_range(pdf: bytes) -> bytes:
    at = len(pdf) // 3  # inside the rendered page, well before the signature's byte range gap
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]


def test_pkcs12_signature_validates_with_pyhanko_and_pdfsig(app, test_ca, use_signing, issue_certificate, tmp_path):
    holder = use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("p12")), SIGN_PKCS12_PASSWORD="secret")
    cert = issue_certificate()
    pdf = cert.file.pdf
    result = signature_check.check(pdf, [test_ca.asn1])
    assert result.verdict == SignatureVerdict.OURS and result.signer == "Sở Nội vụ tỉnh Quảng Ninh"
    out = _pdfsig(tmp_path, pdf)
    assert "Signature is Valid" in out and "Total document signed" in out, out
    assert holder.state() == ("ok", "")
    changed = _flip_byte_inside_signed_range(pdf)
    assert signature_check.check(changed, [test_ca.asn1]).verdict == SignatureVerdict.MODIFIED
    assert "Signature is Valid" not in _pdfsig(tmp_path, changed)


def test_pkcs11_token_signs_and_the_key_stays_inside(app, softhsm_token, test_ca, use_signing, issue_certificate,
                                                    tmp_path):
    use_signing(**softhsm_token)
    cert = issue_certificate()
    result = signature_check.check(cert.file.pdf, [test_ca.asn1])
    assert result.verdict == SignatureVerdict.OURS
    assert result.signer == "UBND tỉnh Quảng Ninh (token)"
    assert "Signature is Valid" in _pdfsig(tmp_path, cert.file.pdf)


def test_wrong_pin_queues_the_certificate_and_health_says_signing_is_down(
        app, client, softhsm_token, use_signing, create_person, create_completion):
    use_signing(**(softhsm_token | {"SIGN_PKCS11_PIN": "000000"}))
    cert = _issue_unrendered(create_person, create_completion)
    db.session.expire_all()
    assert cert.file is None  # not lost (the row is there), not issued unsigned
    assert tasks.pending_count() == 1
    health = client.get("/healthz").get_json()
    assert health["signing"] == "unavailable" and "PIN" in health["signing_error"]


def test_absent_token_and_expired_certificate_are_explained(app, test_ca, softhsm_token, use_signing):
    holder = use_signing(**(softhsm_token | {"SIGN_PKCS11_TOKEN_LABEL": "khong-co"}))
    assert holder.state()[0] == "unavailable" and "token" in holder.state()[1]
    holder = use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("old", **expired())), SIGN_PKCS12_PASSWORD="secret")
    state, message = holder.state()
    assert state == "unavailable" and "hết hạn" in message


def test_unsigned_only_when_the_operator_allows_it(app, test_ca, use_signing, issue_certificate):
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("p12b")), SIGN_PKCS12_PASSWORD="wrong", SIGN_ALLOW_UNSIGNED=True)
    cert = issue_certificate()
    assert cert.file is not None
    assert signature_check.check(cert.file.pdf, [test_ca.asn1]).verdict == SignatureVerdict.NONE


def test_queued_certificates_are_signed_once_the_key_is_back(app, test_ca, use_signing, create_person,
                                                             create_completion):
    p12 = test_ca.pkcs12("later")
    use_signing(SIGN_PKCS12_FILE=str(p12), SIGN_PKCS12_PASSWORD="wrong")
    cert = _issue_unrendered(create_person, create_completion)
    assert tasks.render_missing() == 0
    assert tasks.pending_count() == 1
    use_signing(SIGN_PKCS12_FILE=str(p12), SIGN_PKCS12_PASSWORD="secret")
    assert tasks.render_missing() == 1
    db.session.expire_all()
    assert signature_check.check(cert.file.pdf, [test_ca.asn1]).verdict == SignatureVerdict.OURS


def test_a_key_of_another_ca_is_valid_but_not_ours(app, test_ca, other_ca, use_signing, issue_certificate):
    use_signing(SIGN_PKCS12_FILE=str(other_ca.pkcs12("foreign")), SIGN_PKCS12_PASSWORD="secret")
    cert = issue_certificate()
    assert signature_check.check(cert.file.pdf, [test_ca.asn1]).verdict == SignatureVerdict.FOREIGN
