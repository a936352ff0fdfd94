"""What anyone may see of a certificate (the verify page, its JSON, the badge check) and the verify form page,
shared by the certificate and the badge pages."""

from __future__ import annotations

from flask import current_app, render_template

from learning.certification.forms import BadgeForm
from learning.certification.models import Certificate
from learning.certification.pdf import format_code
from learning.core.dates import local_today, to_local


def status_now(cert: Certificate):
    return cert.status_on(local_today(), current_app.config.get("CERT_EXPIRING_DAYS", 30))


def verify_form_page(**context):
    """The verify page with its three forms: the code, a PDF, an Open Badges credential."""
    context.setdefault("badge", BadgeForm(formdata=None))
    return render_template("certification/verify_form.html", **context)


def public_view(cert: Certificate) -> dict:
    """Exactly what is printed on the certificate, plus its status — nothing more."""
    status = status_now(cert)
    return {
        "serial": cert.serial, "code": format_code(cert.code), "name": cert.person_name,
        "holder_note": cert.holder_note or None,
        "unit": cert.unit_name, "course": cert.course_title, "score": round(cert.score, 1),
        # Local dates, as the PDF prints them (stored times are UTC: 00:06 on 03/12 local is 17:06 on 02/12 UTC).
        "issued_on": to_local(cert.issued_at).date().isoformat(), "valid_until": cert.valid_until.isoformat(),
        "status": status.value, "status_label": status.label,
        "revoked_on": to_local(cert.revoked_at).date().isoformat() if cert.revoked_at else None,
        "revoke_reason": cert.revoke_reason or None,
    }
