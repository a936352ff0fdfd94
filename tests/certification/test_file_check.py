"""The verify page's upload and `certificates sign-check`: hash and signature, explained (one function)."""

import io

from learning.certification import signing
from learning.certification.file_check import Verdict, check_file
from learning.extensions import db


def _upload(client, pdf: bytes) -> str:
    response = client.post("/xac-thuc/kiem-tra-tep", data={"pdf": (io.BytesIO(pdf), "cn.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    return response.text


def _sign_check(app, tmp_path, pdf: bytes):
    path = tmp_path / "upload.pdf"
    path.write_bytes(pdf)
    return app.test_cli_runner().invoke(args=["certificates", "sign-check", str(path)])


def _flip_byte(pdf: bytes) -> bytes:
    at = len(pdf) // 3  # inside the signed byte range
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]


def test_a_genuine_signed_certificate(app, client, test_ca, use_signing, issue_certificate, tmp_path):
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("genuine")), SIGN_PKCS12_PASSWORD="secret")
    cert = issue_certificate()
    page = _upload(client, cert.file.pdf)
    assert "Chứng nhận thật, không bị sửa đổi" in page and cert.serial in page
    assert "Hợp lệ, của đơn vị cấp, không bị sửa sau khi ký" in page and "Sở Nội vụ tỉnh Quảng Ninh" in page
    result = _sign_check(app, tmp_path, cert.file.pdf)
    assert result.exit_code == 0, result.output
    for line in ("Khớp bản lưu:  có — chứng nhận " + cert.serial, "Chữ ký số:     Hợp lệ, của đơn vị cấp",
                 "Người ký:      Sở Nội vụ tỉnh Quảng Ninh", "Kết luận:      Chứng nhận thật, không bị sửa đổi"):
        assert line in result.output, result.output


def test_a_modified_file(app, client, test_ca, use_signing, issue_certificate, tmp_path):
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("modified")), SIGN_PKCS12_PASSWORD="secret")
    cert = issue_certificate()
    changed = _flip_byte(cert.file.pdf)
    assert check_file(changed).verdict == Verdict.MODIFIED
    page = _upload(client, changed)
    assert "Tệp đã bị sửa đổi hoặc không phải bản gốc" in page
    assert "Không hợp lệ: tệp bị sửa sau khi ký" in page and "Không khớp chứng nhận nào" in page
    assert "Chứng nhận thật" not in page
    result = _sign_check(app, tmp_path, changed)
    assert result.exit_code == 1 and "Khớp bản lưu:  không" in result.output


def test_a_file_signed_by_another_key(app, client, test_ca, other_ca, use_signing, issue_certificate, tmp_path):
    use_signing()
    unsigned = issue_certificate().file.pdf
    stranger = signing.SignerHolder(signing.SigningSettings(pkcs12_file=str(other_ca.pkcs12("stranger")),
                                                            pkcs12_password="secret"))
    forged = stranger.sign(unsigned)
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("ours")), SIGN_PKCS12_PASSWORD="secret")
    assert check_file(forged).verdict == Verdict.FOREIGN
    page = _upload(client, forged)
    assert "Chữ ký hợp lệ nhưng không phải của đơn vị cấp" in page
    assert "không phải đơn vị cấp chứng nhận của hệ thống này" in page
    result = _sign_check(app, tmp_path, forged)
    assert result.exit_code == 1 and "Hợp lệ nhưng không phải của đơn vị cấp" in result.output


def test_genuine_but_revoked_says_so_and_fails_the_check(app, client, test_ca, use_signing, issue_certificate,
                                                         create_account, tmp_path):
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("revoked")), SIGN_PKCS12_PASSWORD="secret")
    cert = issue_certificate()
    cert.revoke("Thi hộ, hủy kết quả", create_account())
    db.session.commit()
    page = _upload(client, cert.file.pdf)
    assert "Chứng nhận thật nhưng không còn giá trị" in page and "đã bị thu hồi" in page
    assert _sign_check(app, tmp_path, cert.file.pdf).exit_code == 1


def test_a_previous_key_counts_as_ours_through_sign_issuer_certs(app, test_ca, other_ca, use_signing,
                                                                 issue_certificate):
    use_signing(SIGN_PKCS12_FILE=str(other_ca.pkcs12("previous")), SIGN_PKCS12_PASSWORD="secret")
    cert = issue_certificate()
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("current")), SIGN_PKCS12_PASSWORD="secret")
    result = check_file(cert.file.pdf)
    assert result.verdict == Verdict.GENUINE and result.signature_line() == "Hợp lệ nhưng không phải của đơn vị cấp"
    use_signing(SIGN_PKCS12_FILE=str(test_ca.pkcs12("current2")), SIGN_PKCS12_PASSWORD="secret",
                SIGN_ISSUER_CERTS=str(other_ca.pem()))
    result = check_file(cert.file.pdf)
    assert result.verdict == Verdict.GENUINE and result.signature.verdict == "ours"


def test_not_a_readable_pdf(app, tmp_path):
    result = _sign_check(app, tmp_path, b"%PDF-1.7\nnot really a pdf")
    assert result.exit_code == 1 and "Tệp không đọc được" in result.output
