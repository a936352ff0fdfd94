"""Check the PAdES signature embedded in an uploaded certificate PDF (pyHanko's validator).

"Ours" means the signer's certificate is one of the issuer certificates this installation accepts
(the configured signing certificate, SIGN_ISSUER_CERTS) or was issued by one of them.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from learning.certification.signing import SignerHolder, SigningUnavailable

log = logging.getLogger(__name__)


class SignatureVerdict(enum.StrEnum):
    NONE = "none"  # no signature in the file
    OURS = "ours"  # valid, unmodified since signing, by one of our issuer certificates
    FOREIGN = "foreign"  # valid and unmodified, but signed by a key that is not ours
    MODIFIED = "modified"  # the signed bytes changed, or content was added after signing
    BROKEN = "broken"  # the file cannot be read as a PDF


@dataclass(frozen=True)
class SignatureCheck:
    verdict: SignatureVerdict
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def genuine(self) -> bool:
        return self.verdict == SignatureVerdict.OURS


def load_certs(path: str) -> list[x509.Certificate]:
    """The certificates of a PEM (or DER) file."""
    data = Path(path).read_bytes()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def accepted_certs(holder: SignerHolder | None, extra_file: str = "") -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    if extra_file:
        try:
            certs.extend(load_certs(extra_file))
        except (OSError, ValueError) as error:
            log.error("SIGN_ISSUER_CERTS %s unreadable: %s", extra_file, error)
    if holder is not None and holder.settings.configured:
        try:
            signer = holder.get()
            certs.append(signer.signing_cert)
            certs.extend(getattr(signer, "cert_registry", []) or [])
        except SigningUnavailable:
            pass  # the key is down; SIGN_ISSUER_CERTS may still name the accepted certificates
    return certs


def check(data: bytes, trusted: list[x509.Certificate]) -> SignatureCheck:
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as error:
        log.info("uploaded PDF unreadable: %s", error)
        return SignatureCheck(SignatureVerdict.BROKEN)
    if not signatures:
        return SignatureCheck(SignatureVerdict.NONE)
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=trusted or None, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception as error:  # noqa: BLE001 - a damaged signature raises many kinds of errors
        log.info("signature validation failed: %s", error)
        return SignatureCheck(SignatureVerdict.MODIFIED)
    signer = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
    signed_at = status.signer_reported_dt
    if not (status.intact and status.valid) or status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(SignatureVerdict.MODIFIED, signer, signed_at)
    ours = bool(trusted) and status.trusted
    return SignatureCheck(SignatureVerdict.OURS if ours else SignatureVerdict.FOREIGN, signer, signed_at)
