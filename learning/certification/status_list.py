"""The Bitstring Status List (W3C) of all certificates, signed as a VC-JWT like the credentials.

Index = certificate id, two bits each (``badges.STATUS_MESSAGES``): 0 valid, 1 revoked, 2 expired, 3 superseded,
computed with ``Certificate.status_on`` for today. The list is at least 131,072 entries long (the
specification's minimum, so that an index tells nothing), GZIP-compressed and base64url-encoded with the
multibase prefix "u".
"""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import load_only, noload

from learning.certification.badges import STATUS_PATH, STATUS_SIZE, VC_CONTEXT, _iso, issuer_id, sign, status_value
from learning.certification.models import Certificate, StoredStatus
from learning.core.dates import local_today
from learning.extensions import db

MIN_ENTRIES = 131_072
ENTRIES_PER_BYTE = 8 // STATUS_SIZE
LIFETIME = timedelta(minutes=10)  # verifiers fetch it again after this


def statuses() -> dict[int, int]:
    """Certificate id → its non-zero two-bit value (revoked, expired, superseded) today."""
    today = local_today()
    expiring = current_app.config.get("CERT_EXPIRING_DAYS", 30)
    rows = db.session.scalars(
        select(Certificate)
        .options(load_only(Certificate.id, Certificate.stored_status, Certificate.valid_until),
                 noload(Certificate.person))
        .where(or_(Certificate.stored_status != StoredStatus.VALID, Certificate.valid_until < today)))
    values = {cert.id: status_value(cert.status_on(today, expiring)) for cert in rows}
    return {cert_id: value for cert_id, value in values.items() if value}


def encode(values: dict[int, int], highest: int) -> str:
    entries = max(MIN_ENTRIES, highest + 1)
    bits = bytearray(-(-entries // ENTRIES_PER_BYTE))
    for index, value in values.items():
        position = index * STATUS_SIZE
        bits[position // 8] |= value << (8 - STATUS_SIZE - position % 8)  # the first index is the left-most bit
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode(encoded: str, index: int) -> int:
    """The value at ``index`` of an encoded list (what a verifier does)."""
    data = encoded.removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    position = index * STATUS_SIZE
    return (bits[position // 8] >> (8 - STATUS_SIZE - position % 8)) & ((1 << STATUS_SIZE) - 1)


def status_credential() -> dict:
    base = current_app.config["BASE_URL"]
    url = f"{base}{STATUS_PATH}"
    now = datetime.now(UTC)
    highest = db.session.scalar(select(func.max(Certificate.id))) or 0
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(base),
        "validFrom": _iso(now),
        "validUntil": _iso(now + LIFETIME),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "message",
                              "encodedList": encode(statuses(), highest)},
    }


def signed_status_list() -> str:
    return sign(status_credential())
