"""Who may download a certificate's files (the PDF, the Open Badges credential): its holder, or HR who may
manage the holder, whose download is audited."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from learning.audit.services import record
from learning.auth.permissions import Action, require
from learning.certification.models import Certificate
from learning.extensions import db


def certificate_for_download(event: str, serial: str) -> Certificate:
    """The certificate with ``serial`` for the signed-in user: 404 when none, 403 unless they hold it or may
    manage its holder; an HR download is recorded as ``event`` (first, as the audit-label test reads helpers)."""
    cert = db.session.scalar(select(Certificate).where(Certificate.serial == serial)) or abort(404)
    if cert.person_id != current_user.person_id:
        require(current_user, Action.MANAGE_CERTIFICATES, cert.person)
        record(event, actor_id=current_user.id, obj=cert, serial=cert.serial)
    return cert
