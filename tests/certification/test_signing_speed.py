"""Signing speed (issue 16 item 6): what can be done once per signer is not done again for every PDF.

bench/signing.py measures the time; these tests guard the behaviour that makes it fast.
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from learning.certification import signature_check
from learning.certification.demo_key import make_signing_cert, write_pkcs12
from learning.certification.signature_check import SignatureVerdict


def test_the_pkcs12_key_is_parsed_once_not_at_every_signature(app, test_ca, use_signing, issue_certificate,
                                                              monkeypatch):
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("kept")), SIGN_PKCS12_PASSWORD="secret").get()
    parsed = []
    real = serialization.load_der_private_key
    monkeypatch.setattr(serialization, "load_der_private_key",
                        lambda *args, **kwargs: parsed.append(1) or real(*args, **kwargs))
    pdfs = [issue_certificate().file.pdf for _ in range(2)]
    assert parsed == []  # pyHanko's SimpleSigner parsed (and checked) the RSA key twice per PDF
    assert all(signature_check.check(pdf, [test_ca.asn1]).verdict == SignatureVerdict.OURS for pdf in pdfs)


def test_an_ec_key_in_a_pkcs12_file_signs_too(app, test_ca, use_signing, issue_certificate, tmp_path):
    key, cert = make_signing_cert(test_ca.key, test_ca.cert, "Sở Nội vụ (P-256)", "UBND tỉnh Quảng Ninh",
                                  key=ec.generate_private_key(ec.SECP256R1()))
    write_pkcs12(tmp_path / "ec.p12", key, cert, test_ca.cert, "secret")
    use_signing(SIGN_PKCS12_FILE=str(tmp_path / "ec.p12"), SIGN_PKCS12_PASSWORD="secret")
    result = signature_check.check(issue_certificate().file.pdf, [test_ca.asn1])
    assert result.verdict == SignatureVerdict.OURS and result.signer == "Sở Nội vụ (P-256)"


def test_the_stamp_font_is_cut_down_once_not_at_every_signature(app, test_ca, use_signing, issue_certificate,
                                                                monkeypatch):
    from fontTools import subset

    holder = use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("font")), SIGN_PKCS12_PASSWORD="secret")
    glyphs_in = []
    real = subset.Subsetter.subset

    def spy(self, font):  # noqa: ANN001
        glyphs_in.append(len(font.getGlyphOrder()))
        return real(self, font)

    monkeypatch.setattr(subset.Subsetter, "subset", spy)
    pdfs = [issue_certificate().file.pdf for _ in range(3)]
    whole = [n for n in glyphs_in if n > 500]  # the committed stamp font has 1,034 glyphs
    assert len(whole) <= 1, glyphs_in  # once per signer name at most (pyHanko subset the whole font per PDF)
    assert len(glyphs_in) - len(whole) == 3 and max(n for n in glyphs_in if n <= 500) < 120
    assert holder.stamp_style("Ký số bởi: X\nNgày ký: 01/02/2026 03:04") is holder.stamp_style(
        "Ký số bởi: X\nNgày ký: 31/12/2027 23:59")  # another date, the same font
    assert all(signature_check.check(pdf, [test_ca.asn1]).verdict == SignatureVerdict.OURS for pdf in pdfs)


def test_the_room_for_the_signature_is_estimated_once_per_signer(app, test_ca, softhsm_token, use_signing,
                                                                 issue_certificate, monkeypatch):
    from pyhanko.sign.signers import pdf_signer

    estimates = []
    real = pdf_signer.PdfSigningSession.estimate_signature_container_size

    async def spy(self, *args, **kwargs):  # noqa: ANN001, ANN202
        estimates.append(1)
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(pdf_signer.PdfSigningSession, "estimate_signature_container_size", spy)
    for settings in ({"SIGN_PKCS12_FILE": str(test_ca.pkcs12("room")), "SIGN_PKCS12_PASSWORD": "secret"},
                     softhsm_token):
        estimates.clear()
        use_signing(**settings)
        pdfs = [issue_certificate().file.pdf for _ in range(3)]
        assert estimates == [1]  # pyHanko made a whole dummy signature before every real one to size it
        assert all(signature_check.check(pdf, [test_ca.asn1]).verdict == SignatureVerdict.OURS for pdf in pdfs)
