"""Every certificate as an Open Badges 3.0 AchievementCredential (W3C VC data model 2.0), secured as VC-JWT.

The JWT is signed with the issuer's Ed25519 key (``alg`` EdDSA, ``typ`` vc+jwt, ``kid`` the URL of the key in the
public key set); its payload is the credential itself plus the registered claims iss, jti, nbf, exp and iat.
The credential points at a Bitstring Status List (``status_list``) at index = certificate id, two bits per
certificate: valid, revoked, expired or superseded, as ``Certificate.status_on`` says today.
"""

from __future__ import annotations

import enum
import json
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path

from flask import current_app
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import OKPKey
from jsonschema import Draft202012Validator

from learning.certification import badge_key
from learning.certification.models import Certificate, Status
from learning.certification.services import find_by_code, verify_url
from learning.core.dates import LOCAL_TZ, local_today

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
ALGORITHM = "EdDSA"  # what OB 3.0 and VC-JOSE verifiers expect for Ed25519 (RFC 9864 names it "Ed25519" too)
ISSUER_PATH = "/ob/to-chuc-cap.json"
STATUS_PATH = "/ob/trang-thai"
STATUS_SIZE = 2  # bits per certificate
STATUS_MESSAGES = ("valid", "revoked", "expired", "superseded")  # 0x0 … 0x3
MAX_TOKEN_CHARS = 64 * 1024
SCHEMA_FILE = Path(__file__).with_name("ob3_schema.json")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def schema_errors(document: dict) -> list[str]:
    """What in ``document`` breaks the Open Badges 3.0 AchievementCredential schema (empty: nothing)."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in _validator().iter_errors(document)]


def _encode(header: dict, claims: dict, key: OKPKey) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc warns that RFC 9864 deprecates the name "EdDSA"
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def valid_until_moment(cert: Certificate) -> datetime:
    """The end of the last valid local day, as the certificate prints it."""
    return datetime.combine(cert.valid_until, time(23, 59, 59), LOCAL_TZ)


def issuer_id(base_url: str) -> str:
    return f"{base_url}{ISSUER_PATH}"


def issuer_profile(config) -> dict:  # noqa: ANN001 - the Flask config
    base = config["BASE_URL"]
    return {"id": issuer_id(base), "type": ["Profile"], "name": config.get("ORG_NAME", ""), "url": base}


def status_value(status: Status) -> int:
    """The two bits of a certificate in the status list."""
    if status in (Status.VALID, Status.EXPIRING):
        return 0
    return STATUS_MESSAGES.index(status.value)


def credential(cert: Certificate, config=None) -> dict:  # noqa: ANN001 - the Flask config
    """The OB 3.0 AchievementCredential of ``cert`` (unsigned)."""
    config = config or current_app.config
    base = config["BASE_URL"]
    version = cert.course_version
    pass_mark = version.settings.quiz.pass_mark
    status_list = f"{base}{STATUS_PATH}"
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verify_url(base, cert.code),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": f"Chứng nhận hoàn thành khóa học: {cert.course_title}",
        "description": f"Số hiệu {cert.serial}. {cert.holder}, {cert.unit_name}, đã hoàn thành khóa học "
                       f"“{cert.course_title}” (phiên bản {cert.course_version_number}) với kết quả "
                       f"{round(cert.score, 1)}%.",
        "issuer": issuer_profile(config),
        "validFrom": _iso(cert.issued_at),
        "validUntil": _iso(valid_until_moment(cert)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                            "identityHash": cert.holder}],
            "achievement": {
                "id": f"{base}/khoa-hoc/{cert.course.code}#phien-ban-{cert.course_version_number}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": cert.course_title,
                "description": version.summary.strip() or cert.course_title,
                "criteria": {"narrative": f"Học hết các bài của khóa học và đạt ít nhất {pass_mark}% ở bài kiểm "
                                          "tra cuối khóa."},
            },
        },
        "credentialStatus": {
            "id": f"{status_list}#{cert.id}", "type": "BitstringStatusListEntry", "statusPurpose": "message",
            "statusListIndex": str(cert.id), "statusSize": STATUS_SIZE, "statusListCredential": status_list,
            "statusMessage": [{"status": hex(n), "message": m} for n, m in enumerate(STATUS_MESSAGES)],
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def sign(payload: dict, app=None) -> str:  # noqa: ANN001 - a Flask app
    """``payload`` as a VC-JWT signed with the issuer key, with the JWT claims VC-JOSE allows."""
    app = app or current_app._get_current_object()
    key = badge_key.issuer_key(app)
    header = {"alg": ALGORITHM, "typ": "vc+jwt", "cty": "vc", "kid": badge_key.key_id(app, key)}
    claims = dict(payload)
    claims.update(iss=payload["issuer"]["id"] if isinstance(payload["issuer"], dict) else payload["issuer"],
                  jti=payload["id"], iat=int(datetime.now(UTC).timestamp()))
    if "validFrom" in payload:
        claims["nbf"] = int(datetime.fromisoformat(payload["validFrom"]).timestamp())
    if "validUntil" in payload:
        claims["exp"] = int(datetime.fromisoformat(payload["validUntil"]).timestamp())
    return _encode(header, claims, key)


def signed_credential(cert: Certificate) -> str:
    document = credential(cert)
    errors = schema_errors(document)
    if errors:  # a bug here, never the holder's doing: refuse to sign rather than hand out a broken credential
        raise ValueError(f"credential of {cert.serial} breaks the OB 3.0 schema: {'; '.join(errors)}")
    return sign(document)


class Verdict(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    TAMPERED = "tampered"  # signed by our key's kid, but the signature does not match the content
    NOT_OURS = "not_ours"  # signed with another key
    UNKNOWN = "unknown"  # a valid signature, but no such certificate here
    MALFORMED = "malformed"  # not a VC-JWT at all


@dataclass(frozen=True)
class BadgeCheck:
    verdict: Verdict
    cert: Certificate | None = None
    claims: dict | None = None
    status: Status | None = None


def extract_token(text: str) -> str:
    """The compact JWT in what was pasted or uploaded (a bare token, or a JSON envelope with one)."""
    text = text.strip().strip('"')
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return ""
        for name in ("credential", "jwt", "vc", "proof"):
            value = data.get(name) if isinstance(data, dict) else None
            if isinstance(value, str):
                return value.strip()
        return ""
    return "".join(text.split())


def check(text: str, app=None) -> BadgeCheck:  # noqa: ANN001 - a Flask app
    """What the verify page says about a pasted or uploaded credential."""
    app = app or current_app._get_current_object()
    token = extract_token(text)
    if not token or len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        return BadgeCheck(Verdict.MALFORMED)
    try:
        header = dict(jws.extract_compact(token.encode()).headers())
    except (JoseError, ValueError, TypeError, AttributeError):
        return BadgeCheck(Verdict.MALFORMED)
    key = badge_key.issuer_key(app)
    if header.get("kid") != badge_key.key_id(app, key) or header.get("alg") != ALGORITHM:
        return BadgeCheck(Verdict.NOT_OURS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            claims = jwt.decode(token, key, algorithms=[ALGORITHM]).claims
    except BadSignatureError:
        return BadgeCheck(Verdict.TAMPERED)
    except (JoseError, ValueError):
        return BadgeCheck(Verdict.MALFORMED)
    kinds = claims.get("type") if isinstance(claims.get("type"), list) else []
    if not {"AchievementCredential", "OpenBadgeCredential"} & set(kinds):
        return BadgeCheck(Verdict.MALFORMED)  # e.g. our status list: signed by us, but not a certificate
    base = app.config["BASE_URL"]
    prefix = verify_url(base, "")
    subject_id = claims.get("id") if isinstance(claims.get("id"), str) else ""
    cert = find_by_code(subject_id.removeprefix(prefix)) if subject_id.startswith(prefix) else None
    if cert is None:
        return BadgeCheck(Verdict.UNKNOWN, claims=claims)
    status = cert.status_on(local_today(), app.config.get("CERT_EXPIRING_DAYS", 30))
    if status in (Status.VALID, Status.EXPIRING):
        expires = claims.get("exp")
        verdict = Verdict.EXPIRED if isinstance(expires, int) and expires < datetime.now(UTC).timestamp() \
            else Verdict.VALID
    else:
        verdict = Verdict(status.value)
    return BadgeCheck(verdict, cert=cert, claims=claims, status=status)
