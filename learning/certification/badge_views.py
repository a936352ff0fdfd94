"""Open Badges 3.0: the credential of a certificate, the issuer profile, its public keys, the status list,
and the check of a pasted or uploaded credential on the public verify page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, render_template
from flask_babel import gettext
from flask_login import login_required

from learning.certification import badge_key, badges, services, status_list
from learning.certification.downloads import certificate_for_download
from learning.certification.forms import BadgeForm, CodeForm, UploadForm
from learning.certification.public import public_view, verify_form_page
from learning.extensions import limiter

bp = Blueprint("badges", __name__)
JWT_TYPE = "application/vc+jwt"
MAX_UPLOAD = badges.MAX_TOKEN_CHARS


def _jwt_file(token: str, name: str) -> Response:
    response = Response(token, mimetype=JWT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.cache_control.no_store = True
    return response


def _unavailable(error: badge_key.BadgeKeyUnavailable):
    current_app.logger.error("Open Badges key unavailable: %s", error)
    return jsonify(error="unavailable", message=gettext("Chưa ký được chứng nhận Open Badges: khóa ký chưa sẵn "
                                                         "sàng. Hãy báo quản trị hệ thống.")), 503


@bp.errorhandler(badge_key.BadgeKeyUnavailable)
def key_unavailable(error: badge_key.BadgeKeyUnavailable):
    return _unavailable(error)


@bp.get(badge_key.JWKS_PATH)
def jwks():
    response = jsonify(badge_key.public_jwks(current_app))
    response.cache_control.public, response.cache_control.max_age = True, 3600
    return response


@bp.get(badges.ISSUER_PATH)
def issuer():
    profile = {"@context": [badges.VC_CONTEXT, badges.OB_CONTEXT]} | badges.issuer_profile(current_app.config)
    return jsonify(profile)


@bp.get(badges.STATUS_PATH)
@limiter.limit("60 per minute")
def status():
    response = Response(status_list.signed_status_list(), mimetype=JWT_TYPE)
    response.cache_control.public, response.cache_control.max_age = True, 60
    return response


@bp.get("/chung-nhan/<serial>.jwt")
@login_required
def mine(serial: str):
    """The holder's credential (or, for HR who may manage the person, theirs)."""
    cert = certificate_for_download("certificate.badge_downloaded", serial)
    return _jwt_file(badges.signed_credential(cert), f"{cert.serial}-open-badge.jwt")


@bp.get("/xac-thuc/<code>.jwt")
@limiter.limit("60 per minute")
def public(code: str):
    """The same credential from the public verify page: it holds only what the certificate prints."""
    cert = services.find_by_code(code) or abort(404)
    return _jwt_file(badges.signed_credential(cert), f"{cert.serial}-open-badge.jwt")


@bp.post("/xac-thuc/kiem-tra-huy-hieu")
@limiter.limit("20 per minute")
def check():
    form = BadgeForm()
    text = ""
    if form.validate_on_submit():
        upload = form.file.data
        if upload and getattr(upload, "filename", ""):
            raw = upload.read(MAX_UPLOAD + 1)
            if len(raw) > MAX_UPLOAD:
                form.file.errors.append(gettext("Tệp lớn hơn 64 KB: không phải chứng nhận Open Badges của hệ thống."))
            else:
                text = raw.decode("utf-8", errors="replace")
        else:
            text = form.credential.data or ""
        if not text.strip() and not form.file.errors:
            form.credential.errors.append(gettext("Hãy dán nội dung chứng nhận Open Badges hoặc chọn tệp .jwt."))
    if not text.strip():
        return verify_form_page(form=CodeForm(), upload=UploadForm(), badge=form), 400
    result = badges.check(text)
    view = public_view(result.cert) if result.cert is not None else None
    return render_template("certification/badge_result.html", result=result, cert=result.cert, view=view)
