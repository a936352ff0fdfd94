"""PAdES signatures of certificate PDFs with pyHanko.

The key comes from a PKCS#12 file or a PKCS#11 token (the USB tokens of Vietnamese CAs): with a
token the key never leaves it, pyHanko only asks the token to sign a digest. PAdES B-B, or B-T
when a timestamp authority is configured. The signature has a visible appearance placed in the
signer block of the certificate (``SIGNATURE_BOX_MM``, the same box the template leaves empty).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1, translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers, timestamps
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from learning.certification.stamp_font import STAMP_FONT, StampFontFactory, stamp_characters, stamp_subset
from learning.core.dates import to_local

log = logging.getLogger(__name__)

# At 1000 units per em, which pyHanko needs for right glyph widths (learning/certification/stamp_font.py).
FONT = STAMP_FONT
FIELD_NAME = "ChuKySo"
# The visible signature, in mm from the top-left corner of the A4 landscape page (297 × 210 mm).
SIGNATURE_BOX_MM = (196.0, 166.0, 70.0, 17.0)  # left, top, width, height
PT_PER_MM = 72 / 25.4
PAGE_HEIGHT_MM = 210.0
RETRY_SECONDS = 30  # a failed signer is tried again after this long, not at every certificate
# The same size for the glyph engine and the text box: pyHanko shapes with one and draws with the other
# (pyHanko issue #733: lines after the first drift sideways).
STAMP_FONT_PT = 7
DEMO_MARKER = "DEMO"  # in the organisation of the demo key's certificate: refused in production


class SigningUnavailable(Exception):  # noqa: N818 - reads better than SigningUnavailableError at call sites
    """The signing key cannot be used now; the message is for the administrator (Vietnamese)."""


@dataclass(frozen=True)
class SigningSettings:
    pkcs12_file: str = ""
    pkcs12_password: str = ""
    pkcs11_module: str = ""
    token_label: str = ""
    key_label: str = ""
    pin: str = ""
    tsa_url: str = ""
    allow_unsigned: bool = False
    reason: str = "Cấp giấy chứng nhận hoàn thành khóa học"
    location: str = ""
    refuse_demo: bool = False  # production: the demo key (PKCS#12 or token) is never used

    @classmethod
    def from_config(cls, config) -> SigningSettings:  # noqa: ANN001 - a Flask config mapping
        return cls(
            pkcs12_file=config.get("SIGN_PKCS12_FILE", ""), pkcs12_password=config.get("SIGN_PKCS12_PASSWORD", ""),
            pkcs11_module=config.get("SIGN_PKCS11_MODULE", ""),
            token_label=config.get("SIGN_PKCS11_TOKEN_LABEL", ""),
            key_label=config.get("SIGN_PKCS11_KEY_LABEL", ""), pin=config.get("SIGN_PKCS11_PIN", ""),
            tsa_url=config.get("SIGN_TSA_URL", ""), allow_unsigned=bool(config.get("SIGN_ALLOW_UNSIGNED")),
            location=config.get("ORG_PLACE", ""), refuse_demo=config.get("APP_ENV") == "production",
        )

    @property
    def configured(self) -> bool:
        return bool(self.pkcs11_module or self.pkcs12_file)


def pdf_box() -> tuple[float, float, float, float]:
    """SIGNATURE_BOX_MM as a PDF rectangle (points, origin bottom-left)."""
    left, top, width, height = SIGNATURE_BOX_MM
    bottom = PAGE_HEIGHT_MM - top - height
    return (left * PT_PER_MM, bottom * PT_PER_MM, (left + width) * PT_PER_MM, (bottom + height) * PT_PER_MM)


def _check_validity(signer: signers.Signer) -> None:
    cert = signer.signing_cert
    if cert is None:
        raise SigningUnavailable("Không tìm thấy chứng thư số của khóa ký.")
    now = datetime.now(UTC)
    if cert.not_valid_after < now:
        raise SigningUnavailable(
            f"Chứng thư ký số đã hết hạn ngày {to_local(cert.not_valid_after):%d/%m/%Y}: hãy gia hạn "
            "hoặc cấu hình chứng thư mới.")
    if cert.not_valid_before > now:
        raise SigningUnavailable(
            f"Chứng thư ký số chỉ có hiệu lực từ ngày {to_local(cert.not_valid_before):%d/%m/%Y}.")


class KeptKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with the private key parsed once, not at every signature.

    SimpleSigner.sign_raw parses the key from DER for each signature (twice per PDF: the size estimate signs
    too), and ``cryptography`` checks an RSA key on every parse: ~30 ms per PDF on this machine, the largest
    part of the signing time. RSA PKCS#1 v1.5 and ECDSA use the kept key; other schemes go through pyHanko.
    """

    def __init__(self, private_key, **kwargs) -> None:  # noqa: ANN001 - a cryptography private key
        super().__init__(signing_key=translate_pyca_cryptography_key_to_asn1(private_key), **kwargs)
        self.private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:
            return super().sign_raw(data, digest_algorithm)
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self.private_key, RSAPrivateKey):
            return self.private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa" and isinstance(self.private_key, EllipticCurvePrivateKey):
            return self.private_key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def _pkcs12_signer(settings: SigningSettings) -> signers.Signer:
    path = Path(settings.pkcs12_file)
    if not path.is_file():
        raise SigningUnavailable(f"Không có tệp khóa ký PKCS#12 {path} (SIGN_PKCS12_FILE).")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(path.read_bytes(),
                                                            settings.pkcs12_password.encode() or None)
        if key is None or cert is None:
            raise ValueError("no key or no certificate in the PKCS#12 file")
    except (ValueError, OSError) as error:
        raise SigningUnavailable(
            "Không mở được tệp khóa ký PKCS#12: sai mật khẩu (SIGN_PKCS12_PASSWORD) hoặc tệp hỏng.") from error
    registry = SimpleCertificateStore()
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(other) for other in chain])
    return KeptKeySigner(key, signing_cert=translate_pyca_cryptography_cert_to_asn1(cert), cert_registry=registry)


def _pkcs11_signer(settings: SigningSettings) -> signers.Signer:
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if not Path(settings.pkcs11_module).is_file():
        raise SigningUnavailable(f"Không có thư viện PKCS#11 {settings.pkcs11_module} (SIGN_PKCS11_MODULE).")
    try:
        session = open_pkcs11_session(
            settings.pkcs11_module, token_criteria=TokenCriteria(label=settings.token_label or None),
            user_pin=settings.pin or None)
    except pkcs11.PinIncorrect as error:
        raise SigningUnavailable("Mã PIN của thiết bị ký số không đúng (SIGN_PKCS11_PIN).") from error
    except pkcs11.PinLocked as error:
        raise SigningUnavailable("Thiết bị ký số đã khóa mã PIN: cần mở khóa bằng mã PUK.") from error
    except (pkcs11.NoSuchToken, pkcs11.TokenNotPresent, pkcs11.TokenNotRecognised) as error:
        raise SigningUnavailable(
            f"Không thấy thiết bị ký số {settings.token_label!r}: hãy cắm token (SIGN_PKCS11_TOKEN_LABEL).") from error
    except (pkcs11.PKCS11Error, RuntimeError) as error:
        if "No token" in str(error):
            raise SigningUnavailable(f"Không thấy thiết bị ký số {settings.token_label!r}: hãy cắm token "
                                     "(SIGN_PKCS11_TOKEN_LABEL).") from error
        raise SigningUnavailable(f"Lỗi thiết bị ký số PKCS#11: {type(error).__name__} {error}.") from error
    try:
        signer = PKCS11Signer(session, key_label=settings.key_label, cert_label=settings.key_label)
        signer.signing_cert  # noqa: B018 - fetch the certificate now so a missing one fails here
    except (pkcs11.PKCS11Error, Exception) as error:  # noqa: BLE001 - pyHanko raises several kinds
        session.close()
        raise SigningUnavailable(
            f"Trên thiết bị ký số không có khóa và chứng thư nhãn {settings.key_label!r} "
            "(SIGN_PKCS11_KEY_LABEL).") from error
    return signer


def load_signer(settings: SigningSettings) -> signers.Signer:
    signer = _pkcs11_signer(settings) if settings.pkcs11_module else _pkcs12_signer(settings)
    if settings.refuse_demo and signer.signing_cert is not None and is_demo_certificate(signer.signing_cert):
        raise SigningUnavailable("Đây là khóa ký số THỬ NGHIỆM (DEMO) do `demo seed` tạo, không có giá trị pháp lý: "
                                 "production không ký bằng khóa này. Hãy cấu hình khóa hoặc token của cơ quan.")
    _check_validity(signer)
    return signer


def signer_name(signer: signers.Signer) -> str:
    return signer.signing_cert.subject.native.get("common_name", "")


def is_demo_certificate(cert) -> bool:  # noqa: ANN001 - an asn1crypto certificate
    return DEMO_MARKER in str(cert.subject.native.get("organization_name", ""))


class SignerHolder:
    """One signer per process, opened on first use; a failure is remembered for RETRY_SECONDS.

    The health endpoint and the administrator's pages read ``state()``.
    """

    def __init__(self, settings: SigningSettings) -> None:
        self.settings = settings
        self._signer: signers.Signer | None = None
        self._error: str = ""
        self._failed_at = 0.0
        self._lock = threading.Lock()
        self._sign_lock = threading.Lock()  # a PKCS#11 session serves one thread at a time
        self._style: tuple[str, TextStampStyle] | None = None  # (characters, style)
        # The space kept in the PDF for the signature (CMS), learnt from the first one: without it pyHanko makes a
        # whole dummy signature before every real one to estimate it. Not with a TSA, whose replies vary.
        self._reserved: int | None = None
        self._timestamper: timestamps.HTTPTimeStamper | None = None  # one per holder: it caches its size probe

    def get(self) -> signers.Signer:
        with self._lock:
            if self._signer is not None:
                return self._signer
            if self._error and time.monotonic() - self._failed_at < RETRY_SECONDS:
                raise SigningUnavailable(self._error)
            try:
                self._signer = load_signer(self.settings)
            except SigningUnavailable as error:
                self.fail(str(error))
                raise
            self._error = ""
            return self._signer

    def close(self) -> None:
        """Log out of the token (PKCS#11) and forget the signer."""
        session = getattr(self._signer, "pkcs11_session", None)
        if session is not None:
            try:
                session.close()
            except Exception as error:  # noqa: BLE001 - a token already gone
                log.info("closing the PKCS#11 session: %s", error)
        self._signer = None
        self._reserved = None

    def fail(self, message: str) -> None:
        """Forget the signer (a token pulled out, a session closed) and report ``message``."""
        log.error("certificate signing unavailable: %s", message)
        self.close()
        self._error, self._failed_at = message, time.monotonic()

    def state(self) -> tuple[str, str]:
        """("off" | "ok" | "unavailable", message)."""
        if not self.settings.configured:
            return "off", ""
        try:
            signer = self.get()
            _check_validity(signer)
        except SigningUnavailable as error:
            return "unavailable", str(error)
        return "ok", ""

    def stamp_style(self, text: str) -> TextStampStyle:
        """The stamp's style, its font cut down to the characters of ``text`` (made once per signer name)."""
        characters = stamp_characters(text)
        if self._style is None or self._style[0] != characters:
            font = StampFontFactory(stamp_subset(characters), font_size=STAMP_FONT_PT)
            self._style = (characters, TextStampStyle(
                stamp_text="%(text)s", border_width=1,
                text_box_style=TextBoxStyle(font=font, font_size=STAMP_FONT_PT)))
        return self._style[1]

    def sign(self, pdf: bytes, when: datetime | None = None) -> bytes:
        signer = self.get()
        try:
            _check_validity(signer)
        except SigningUnavailable as error:
            self.fail(str(error))
            raise
        when = when or datetime.now(UTC)
        text = f"Ký số bởi: {signer_name(signer)}\nNgày ký: {to_local(when):%d/%m/%Y %H:%M}"
        if self.settings.tsa_url and self._timestamper is None:
            self._timestamper = timestamps.HTTPTimeStamper(self.settings.tsa_url)
        timestamper = self._timestamper
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            reason=self.settings.reason, location=self.settings.location or None)
        pdf_signer = signers.PdfSigner(
            meta, signer, timestamper=timestamper, stamp_style=self.stamp_style(text),
            new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=0, box=pdf_box()))
        out = BytesIO()
        try:
            with self._sign_lock:
                pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), output=out,
                                    appearance_text_params={"text": text}, bytes_reserved=self._reserved)
        except Exception as error:  # noqa: BLE001 - token errors arrive as several exception types
            self.fail(f"Ký số thất bại: {type(error).__name__}: {error}")
            raise SigningUnavailable(f"Ký số thất bại: {type(error).__name__}.") from error
        if self._reserved is None and timestamper is None:
            self._reserved = reserved_size(out.getvalue())
        return out.getvalue()


def reserved_size(signed: bytes) -> int:
    """The room pyHanko reserved for the signature in ``signed`` (hex digits): its own estimate, with its margin."""
    start, length_1, offset_2, _length_2 = PdfFileReader(BytesIO(signed)).embedded_signatures[-1].byte_range
    return offset_2 - (start + length_1) - 2  # the gap between the signed ranges is <…hex…>


def holder(app) -> SignerHolder:  # noqa: ANN001 - a Flask app
    existing = app.extensions.get("certificate_signer")
    if existing is None:
        existing = app.extensions["certificate_signer"] = SignerHolder(SigningSettings.from_config(app.config))
    return existing
