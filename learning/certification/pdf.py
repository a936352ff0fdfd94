"""Render a certificate to PDF from a template folder in certificates/ (``core.pdf.render_pdf``: only files
inside that folder and data: URIs, used for the QR code, can be loaded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from learning.certification.signing import SIGNATURE_BOX_MM
from learning.core.dates import format_date, format_decimal, to_local
from learning.core.pdf import TEMPLATES, LocalOnlyFetcher, render_pdf


@dataclass(frozen=True)
class CertificateView:
    """Everything printed on a certificate (and shown on the verify page)."""

    serial: str
    code: str
    person_name: str
    unit_name: str
    course_title: str
    score: float
    issued_at: datetime
    valid_until: date
    verify_url: str
    holder_note: str = ""  # beside the name (CERT_HOLDER_DISAMBIGUATOR), e.g. "sinh ngày 12/03/1985"


@dataclass(frozen=True)
class SignerBlock:
    """Who signs, as Nghị định 30/2020 prints it: authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
    title ("PHÓ CHỦ TỊCH") and full name."""

    authority: tuple[str, ...] = ()
    title: str = ""
    name: str = ""

    @classmethod
    def from_text(cls, authority: str, title: str, name: str) -> SignerBlock:
        return cls(tuple(line.strip() for line in authority.split("|") if line.strip()), title.strip(), name.strip())


def issuer_lines(org_name: str) -> list[str]:
    """"Ủy ban nhân dân tỉnh Quảng Ninh" → ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]."""
    upper = org_name.upper()
    for marker in (" TỈNH ", " THÀNH PHỐ "):
        head, sep, tail = upper.partition(marker)
        if sep:
            return [head, f"{sep.strip()} {tail}"]
    return [upper]


def place_and_date(place: str, when: datetime) -> str:
    """"Quảng Ninh, ngày 05 tháng 02 năm 2026" / "…, ngày 17 tháng 8 năm 2026".

    Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 are written with a leading zero.
    """
    local = to_local(when)
    month = f"{local.month:02d}" if local.month < 3 else str(local.month)
    return f"{place}, ngày {local.day:02d} tháng {month} năm {local.year}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#1b1f24")


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class CertificateRenderer:
    """Compiled once per design; ``render`` is cheap enough for batches of thousands."""

    def __init__(self, design: str = "default", org_name: str = "", org_place: str = "",
                 signer: SignerBlock | None = None, signed: bool = False) -> None:
        self.folder = (TEMPLATES / design).resolve()
        env = Environment(loader=FileSystemLoader(self.folder), autoescape=select_autoescape(["html"]))
        self.template = env.get_template("certificate.html")
        self.fetcher = LocalOnlyFetcher(self.folder)
        # Fonts and the stylesheet are loaded once per renderer, not once per certificate.
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(filename=str(self.folder / "certificate.css"), url_fetcher=self.fetcher,
                              font_config=self.font_config)
        self.org_name = org_name
        self.org_place = org_place
        self.signer = signer or SignerBlock()
        self.signed = signed

    def html(self, cert: CertificateView) -> str:
        return self.template.render(
            c=cert, issuer=issuer_lines(self.org_name), org_name=self.org_name,
            place_date=place_and_date(self.org_place, cert.issued_at),
            score=format_decimal(cert.score, 0), valid_until=format_date(cert.valid_until),
            issued=format_date(cert.issued_at), qr=qr_data_uri(cert.verify_url),
            code=format_code(cert.code), signer=self.signer, signed=self.signed, box=SIGNATURE_BOX_MM,
            sign_left=SIGNATURE_BOX_MM[0] + SIGNATURE_BOX_MM[2] / 2 - 9 - 55, sign_width=110, sign_top=130,
        )

    def render(self, cert: CertificateView) -> bytes:
        return render_pdf(self.html(cert), self.folder, fetcher=self.fetcher, stylesheets=[self.stylesheet],
                          font_config=self.font_config)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
