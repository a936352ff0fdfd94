"""Home page per role, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from learning.certification.signing import holder as signing_holder
from learning.core import home
from learning.extensions import csrf, db, limiter

bp = Blueprint("core", __name__)


@bp.get("/")
@login_required
def home_page():
    return render_template("core/home.html", **home.home_context(current_user))


@bp.post("/ngon-ngu")
def set_language():
    lang = request.form.get("lang", "vi")
    session["lang"] = lang if lang in current_app.config["LANGUAGES"] else "vi"
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("core.home_page")
    return redirect(target)


@bp.get("/healthz")
@limiter.exempt
@csrf.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("health check: database unavailable: %s", error)
        database = "unavailable"
    status = 200 if database == "ok" else 503
    # Signing down does not take the node out of the balancer (pages still work, certificates queue),
    # but the body says so for monitoring.
    signing, signing_error = signing_holder(current_app).state()
    overall = "ok" if status == 200 and signing != "unavailable" else "degraded"
    return jsonify(status=overall, database=database, signing=signing, signing_error=signing_error or None), status
