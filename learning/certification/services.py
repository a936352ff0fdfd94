"""Issue, revoke and re-issue certificates. Callers own the transaction."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from learning.audit.services import record
from learning.auth.models import Account
from learning.catalog.models import Completion
from learning.certification.models import Certificate, CertificateFile, SerialCounter, StoredStatus
from learning.certification.pdf import CertificateRenderer, CertificateView, SignerBlock, sha256
from learning.certification.signing import SignerHolder, SigningUnavailable
from learning.core.dates import format_date, to_local, utcnow
from learning.core.dates import valid_until as validity_end
from learning.extensions import db
from learning.org.models import Person

log = logging.getLogger(__name__)

# Crockford-style alphabet: no I, L, O, U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits: not guessable, still short enough to type from paper
CODE_TAIL = 4  # characters of the employee code printed with CERT_HOLDER_DISAMBIGUATOR=code_tail


@dataclass(frozen=True)
class IssueSettings:
    org_code: str
    org_name: str
    org_place: str
    base_url: str
    signer: SignerHolder | None = None  # None or not configured: certificates are not signed
    signer_block: SignerBlock = SignerBlock()
    holder_disambiguator: str = "none"  # CERT_HOLDER_DISAMBIGUATOR: none | birth_date | code_tail

    def renderer(self) -> CertificateRenderer:
        return CertificateRenderer(org_name=self.org_name, org_place=self.org_place, signer=self.signer_block,
                                   signed=self.signer is not None and self.signer.settings.configured)


def holder_note(person: Person, mode: str) -> str:
    """What tells the holder from a namesake, printed beside the name: the date of birth ("sinh ngày
    12/03/1985") or the last four characters of the employee code ("mã cán bộ …0123"); nothing when the
    setting is "none" or the person has no date of birth on record."""
    if mode == "birth_date" and person.birth_date is not None:
        return f"sinh ngày {format_date(person.birth_date)}"
    if mode == "code_tail" and person.employee_code:
        return f"mã cán bộ …{person.employee_code[-CODE_TAIL:]}"
    return ""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed (spaces, dashes, lower case, O for 0…) → the stored code."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def next_serial(prefix: str) -> str:
    """The next number for ``prefix`` (e.g. ``QN-2026``), gap-free and safe under concurrency.

    The counter row is incremented with one UPDATE, which takes a row lock on PostgreSQL (and the
    database lock on SQLite) until the transaction ends: concurrent issuers wait, and a rolled-back
    issue rolls its number back too, so serials have no gaps and no duplicates.
    """
    for _ in range(3):
        number = db.session.scalar(
            update(SerialCounter).where(SerialCounter.prefix == prefix)
            .values(last=SerialCounter.last + 1).returning(SerialCounter.last)
        )
        if number is not None:
            return f"{prefix}-{number:06d}"
        try:
            with db.session.begin_nested():
                db.session.execute(insert(SerialCounter).values(prefix=prefix, last=0))
        except IntegrityError:
            pass  # another transaction created the row first; update it on the next loop
    raise RuntimeError(f"could not allocate a serial for {prefix}")


def verify_url(base_url: str, code: str) -> str:
    return f"{base_url}/xac-thuc/{code}"


def view_of(cert: Certificate, base_url: str) -> CertificateView:
    return CertificateView(
        serial=cert.serial, code=cert.code, person_name=cert.person_name, unit_name=cert.unit_name,
        course_title=cert.course_title, score=cert.score, issued_at=cert.issued_at,
        valid_until=cert.valid_until, verify_url=verify_url(base_url, cert.code), holder_note=cert.holder_note,
    )


def issue(completion: Completion, settings: IssueSettings, *, render: bool = True,
          renderer: CertificateRenderer | None = None, issued_at: datetime | None = None,
          actor_id: int | None = None) -> Certificate:
    """Issue the certificate of a completion, snapshotting name, unit and course.

    With ``render=False`` the PDF is left to the background sweep (or rendered on first download):
    the quiz submit that completed the course stays fast.
    """
    person = completion.person
    version = completion.course_version
    issued_at = issued_at or completion.completed_at or utcnow()
    valid_until = validity_end(issued_at, version.settings.certificate.validity_months)
    cert = Certificate(
        serial=next_serial(f"{settings.org_code}-{to_local(issued_at).year}"), code=new_code(),
        person_id=person.id, course_id=completion.course_id, course_version_id=version.id,
        completion_id=completion.id, person_name=person.full_name,
        holder_note=holder_note(person, settings.holder_disambiguator), unit_id=person.unit_id,
        unit_name=person.unit.employer_name, course_title=version.title,
        course_version_number=version.version, score=completion.score, issued_at=issued_at,
        valid_until=valid_until,
    )
    db.session.add(cert)
    db.session.flush()
    if render:
        attach_pdf(cert, settings, renderer)
    record("certificate.issued", actor_id=actor_id, obj=cert, serial=cert.serial,
           person=person.employee_code)
    return cert


def attach_pdf(cert: Certificate, settings: IssueSettings, renderer: CertificateRenderer | None = None) -> None:
    """Render and sign the PDF. Raises SigningUnavailable when the key cannot sign: the certificate
    then stays without a PDF (queued for the sweep), unless SIGN_ALLOW_UNSIGNED lets it go unsigned."""
    pdf = (renderer or settings.renderer()).render(view_of(cert, settings.base_url))
    if settings.signer is not None and settings.signer.settings.configured:
        try:
            pdf = settings.signer.sign(pdf)
        except SigningUnavailable as error:
            if not settings.signer.settings.allow_unsigned:
                raise
            log.warning("certificate %s issued UNSIGNED (SIGN_ALLOW_UNSIGNED): %s", cert.serial, error)
    cert.pdf_sha256 = sha256(pdf)
    cert.file = CertificateFile(pdf=pdf)


def revoke(cert: Certificate, reason: str, by: Account | None, via: str = "web") -> None:
    before = cert.stored_status
    cert.revoke(reason, by)
    record("certificate.revoked", actor_id=by.id if by else None, obj=cert, serial=cert.serial,
           reason=reason, via=via, before=str(before), after=str(cert.stored_status))


def reissue(cert: Certificate, settings: IssueSettings, by: Account) -> Certificate:
    """A new certificate with the person's current name and unit; the old one is superseded."""
    completion = db.session.get(Completion, cert.completion_id) if cert.completion_id else None
    if completion is None:
        completion = Completion(person_id=cert.person_id, course_id=cert.course_id,
                                course_version_id=cert.course_version_id, score=cert.score,
                                completed_at=cert.issued_at)
        db.session.add(completion)
        db.session.flush()
    new = issue(completion, settings, issued_at=utcnow(), actor_id=by.id, render=False)
    new.valid_until = cert.valid_until  # a correction does not extend validity
    try:
        attach_pdf(new, settings)
    except SigningUnavailable:
        pass  # issued, its PDF queued: the sweep signs it once the key is back
    cert.stored_status = StoredStatus.SUPERSEDED
    cert.superseded_by_id = new.id
    record("certificate.reissued", actor_id=by.id, obj=cert, serial=cert.serial, new_serial=new.serial)
    return new


def find_by_code(typed: str) -> Certificate | None:
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def expiring_cutoff(today: date, days: int) -> date:
    return today + relativedelta(days=days)
