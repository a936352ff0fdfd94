"""What an uploaded certificate file is: the one check behind the verify page and ``certificates sign-check``.

Two independent checks: the file's SHA-256 against the certificates issued (the record), and its embedded
PAdES signature (valid, unmodified since signing, by the configured issuer certificate or one of
SIGN_ISSUER_CERTS). The verdict combines them and is explained in plain Vietnamese.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select

from learning.certification import signature_check, signing
from learning.certification.models import Certificate, Status
from learning.certification.pdf import sha256
from learning.certification.signature_check import SignatureCheck, SignatureVerdict
from learning.core.dates import local_today
from learning.extensions import db


class Verdict(enum.StrEnum):
    GENUINE = "genuine"  # the file is a certificate we issued, unchanged, and it is in force
    GENUINE_INACTIVE = "genuine_inactive"  # we issued it, unchanged, but it is revoked, expired or superseded
    OURS_NO_RECORD = "ours_no_record"  # our valid signature, but no certificate on record has these bytes
    FOREIGN = "foreign"  # a valid signature, unmodified, but by a key that is not ours
    MODIFIED = "modified"  # changed after signing, or not the file we issued
    UNREADABLE = "unreadable"  # not a readable PDF


@dataclass(frozen=True)
class FileCheck:
    digest: str
    cert: Certificate | None
    status: Status | None
    signature: SignatureCheck
    verdict: Verdict

    @property
    def ok(self) -> bool:
        """Genuine, unmodified and in force: ``sign-check`` exits 0 only then."""
        return self.verdict == Verdict.GENUINE

    @property
    def hash_matches(self) -> bool:
        return self.cert is not None

    @property
    def headline(self) -> str:
        return str(HEADLINES[self.verdict])

    def explanation(self) -> str:
        """The verdict in plain Vietnamese, one or two sentences."""
        sig, cert = self.signature, self.cert
        if self.verdict == Verdict.GENUINE:
            if sig.verdict == SignatureVerdict.OURS:
                return gettext("Tệp này đúng từng byte với chứng nhận %(s)s do hệ thống cấp, và chữ ký số của "
                               "đơn vị cấp trên tệp còn nguyên vẹn. Chứng nhận đang còn giá trị.", s=cert.serial)
            return gettext("Tệp này đúng từng byte với chứng nhận %(s)s do hệ thống cấp (bản này không có chữ ký "
                           "số). Chứng nhận đang còn giá trị.", s=cert.serial)
        if self.verdict == Verdict.GENUINE_INACTIVE:
            return gettext("Tệp này đúng là chứng nhận %(s)s do hệ thống cấp, không bị sửa đổi, nhưng chứng nhận "
                           "hiện %(state)s nên không còn dùng làm minh chứng.",
                           s=cert.serial, state=str(INACTIVE_STATES[self.status]))
        if self.verdict == Verdict.OURS_NO_RECORD:
            return gettext("Chữ ký số trên tệp là của đơn vị cấp và tệp không bị sửa sau khi ký, nhưng không có "
                           "chứng nhận nào đã cấp trùng với tệp này. Hãy kiểm tra bằng mã xác thực in trên "
                           "chứng nhận.")
        if self.verdict == Verdict.FOREIGN:
            return gettext("Tệp có chữ ký số hợp lệ và không bị sửa sau khi ký, nhưng người ký (%(signer)s) không "
                           "phải đơn vị cấp chứng nhận của hệ thống này: đây không phải chứng nhận do chúng tôi "
                           "cấp.", signer=sig.signer or "?")
        if self.verdict == Verdict.UNREADABLE:
            return gettext("Không đọc được tệp như một tệp PDF: tệp bị hỏng hoặc không phải chứng nhận.")
        if sig.verdict == SignatureVerdict.MODIFIED:
            return gettext("Tệp đã bị sửa đổi sau khi ký số: nội dung không còn đúng như khi cấp. Không dùng tệp "
                           "này làm minh chứng; hãy kiểm tra bằng mã xác thực in trên chứng nhận.")
        return gettext("Tệp này không trùng với bất kỳ chứng nhận nào hệ thống đã cấp và không có chữ ký số: có "
                       "thể tệp đã bị chỉnh sửa, hoặc không phải chứng nhận gốc. Hãy kiểm tra bằng mã xác thực "
                       "in trên chứng nhận.")

    def signature_line(self) -> str:
        verdict = self.signature.verdict
        return str(SIGNATURE_LINES[verdict])


HEADLINES = {
    Verdict.GENUINE: lazy_gettext("Chứng nhận thật, không bị sửa đổi"),
    Verdict.GENUINE_INACTIVE: lazy_gettext("Chứng nhận thật nhưng không còn giá trị"),
    Verdict.OURS_NO_RECORD: lazy_gettext("Không tìm thấy bản đã cấp"),
    Verdict.FOREIGN: lazy_gettext("Chữ ký hợp lệ nhưng không phải của đơn vị cấp"),
    Verdict.MODIFIED: lazy_gettext("Tệp đã bị sửa đổi hoặc không phải bản gốc"),
    Verdict.UNREADABLE: lazy_gettext("Tệp không đọc được"),
}
INACTIVE_STATES = {
    Status.REVOKED: lazy_gettext("đã bị thu hồi"),
    Status.EXPIRED: lazy_gettext("đã hết hạn"),
    Status.SUPERSEDED: lazy_gettext("đã được thay thế bằng một chứng nhận cấp lại"),
}
SIGNATURE_LINES = {
    SignatureVerdict.OURS: lazy_gettext("Hợp lệ, của đơn vị cấp, không bị sửa sau khi ký"),
    SignatureVerdict.FOREIGN: lazy_gettext("Hợp lệ nhưng không phải của đơn vị cấp"),
    SignatureVerdict.MODIFIED: lazy_gettext("Không hợp lệ: tệp bị sửa sau khi ký"),
    SignatureVerdict.NONE: lazy_gettext("Không có chữ ký số"),
    SignatureVerdict.BROKEN: lazy_gettext("Không đọc được"),
}


def trusted_certs() -> list:
    """The issuer certificates this installation accepts: the configured key's and SIGN_ISSUER_CERTS."""
    holder = signing.holder(current_app)
    return signature_check.accepted_certs(holder, current_app.config.get("SIGN_ISSUER_CERTS", ""))


def check_file(data: bytes) -> FileCheck:
    digest = sha256(data)
    cert = db.session.scalar(select(Certificate).where(Certificate.pdf_sha256 == digest))
    sig = signature_check.check(data, trusted_certs())
    status = cert.status_on(local_today(), current_app.config.get("CERT_EXPIRING_DAYS", 30)) if cert else None
    if cert is not None:
        # The record is the authority: these exact bytes were issued (signed, or unsigned when allowed).
        verdict = Verdict.GENUINE if status in (Status.VALID, Status.EXPIRING) else Verdict.GENUINE_INACTIVE
    elif sig.verdict == SignatureVerdict.OURS:
        verdict = Verdict.OURS_NO_RECORD
    elif sig.verdict == SignatureVerdict.FOREIGN:
        verdict = Verdict.FOREIGN
    elif sig.verdict == SignatureVerdict.BROKEN:
        verdict = Verdict.UNREADABLE
    else:
        verdict = Verdict.MODIFIED
    return FileCheck(digest, cert, status, sig, verdict)
