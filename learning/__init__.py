"""The e-learning platform: ``create_app`` builds a configured Flask app."""

from __future__ import annotations

import logging
from typing import Any

import flask_babel
from flask import Flask, flash, has_request_context, redirect, request, session, url_for
from flask_babel import lazy_gettext
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from learning import cli, errors, jobs, security, templating
from learning.api import textcheck_views as _api_textcheck  # noqa: F401 - POST /api/v1/text-check
from learning.api.admin_views import bp as api_admin_bp
from learning.api.views import bp as api_bp
from learning.assessment import models as _assessment_models  # noqa: F401
from learning.assessment import rescue
from learning.assessment.views import bp as assessment_bp
from learning.assignments import closing as _assignment_closing  # noqa: F401 - routes on assignments_bp
from learning.assignments import exemption_views as _exemption_views  # noqa: F401 - routes on assignments_bp
from learning.assignments import reminder_views as _reminder_views  # noqa: F401 - routes on assignments_bp
from learning.assignments import tasks as _assignment_tasks  # noqa: F401 - register tasks
from learning.assignments import transcript_views as _transcript_views  # noqa: F401 - routes on assignments_bp
from learning.assignments.views import bp as assignments_bp
from learning.audit.views import bp as audit_bp
from learning.auth import oidc as auth_oidc
from learning.auth import principal as auth_principal
from learning.auth import receivers as account_receivers
from learning.auth.activation import bp as activation_bp
from learning.auth.admin_views import bp as accounts_bp
from learning.auth.invitation_views import bp as invitations_bp
from learning.auth.mfa_views import bp as mfa_bp
from learning.auth.oidc_views import bp as oidc_bp
from learning.auth.reset_views import bp as password_bp
from learning.auth.views import bp as auth_bp
from learning.catalog import models as _catalog_models  # noqa: F401 - register tables
from learning.catalog.library_views import bp as library_bp
from learning.catalog.views import bp as catalog_bp
from learning.certification import badge_key
from learning.certification import expiry as _certificate_expiry  # noqa: F401 - register tasks
from learning.certification import receivers as certificate_receivers
from learning.certification import tasks as _certificate_tasks  # noqa: F401 - register tasks
from learning.certification.badge_views import bp as badges_bp
from learning.certification.views import bp as certification_bp
from learning.config import DEFAULT_SECRET_KEY, PROJECT_ROOT, Config
from learning.core import converters
from learning.core.text import vi_collate
from learning.core.views import bp as core_bp
from learning.extensions import babel, csrf, db, limiter, login_manager, migrate
from learning.notify.views import bp as notify_bp
from learning.org import history as people_history
from learning.org.import_views import bp as staff_bp
from learning.org.unit_import_views import bp as unit_import_bp
from learning.org.unit_views import bp as units_bp
from learning.org.views import bp as org_bp
from learning.par.views import bp as par_bp
from learning.progress import receivers as progress_receivers
from learning.textcheck import views as textcheck_views

BLUEPRINTS = (core_bp, auth_bp, accounts_bp, password_bp, mfa_bp, oidc_bp, activation_bp, invitations_bp, catalog_bp,
              assessment_bp, org_bp, staff_bp, units_bp, unit_import_bp, library_bp, certification_bp, badges_bp,
              assignments_bp,
              api_bp, api_admin_bp, par_bp, audit_bp, notify_bp, textcheck_views.bp)

log = logging.getLogger(__name__)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    config = Config()
    app.config.from_object(config)
    app.config["APP_ENV"] = config.APP_ENV
    if overrides:
        app.config.update(overrides)
    if app.config["APP_ENV"] == "production" and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError(
            "SECRET_KEY is the built-in development key; set SECRET_KEY before running "
            "with APP_ENV=production."
        )
    if app.config["APP_ENV"] == "production":
        _refuse_demo_signing_key(app.config)
        badge_key.check_production(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        (PROJECT_ROOT / "instance").mkdir(exist_ok=True)
    if app.config["APP_ENV"] == "production":
        _init_logging(app.config.get("LOG_LEVEL", "INFO"))

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    _init_login(app)
    with app.app_context():
        _tune_engine(db.engine)

    converters.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    security.init_app(app)
    textcheck_views.init_app(app)  # after csrf/security: its limits go first of all
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    certificate_receivers.init_app()
    progress_receivers.init_app()
    people_history.init_app()
    account_receivers.init_app()
    auth_principal.init_app()
    auth_oidc.init_app(app)
    # The locale is cached on the app context, which tests keep across requests.
    app.before_request(flask_babel.refresh)
    app.after_request(_commit_on_success)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    return app


def _init_logging(level: str) -> None:
    """Production: every logger (the app's, flask-limiter's, SQLAlchemy's…) to stderr, which
    gunicorn and systemd collect. Celery workers set up their own logging on start."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        for chatty in ("weasyprint", "fontTools"):  # one INFO line per PDF layout step
            logging.getLogger(chatty).setLevel(logging.WARNING)


def _select_locale() -> str:
    if not has_request_context():  # CLI commands and Celery tasks: the default language
        return "vi"
    lang = session.get("lang")
    if lang in ("vi", "en"):
        return lang
    return "vi"


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.unauthorized_handler
    def unauthorized():
        if (rescued := rescue.expired_session()) is not None:  # a quiz page: answers kept, log in again
            return rescued
        flash(str(login_manager.login_message), login_manager.login_message_category)
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))

    login_manager.user_loader(auth_principal.load)


def _tune_engine(engine: Engine) -> None:
    """SQLite gets foreign keys, WAL and the Vietnamese collation PostgreSQL has via ICU."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_collation("vi", vi_collate)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _commit_on_success(response: Any) -> Any:
    """One transaction per request: commit what a successful request did, else roll back."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _refuse_demo_signing_key(config) -> None:  # noqa: ANN001 - the Flask config
    """Production never signs with the demo key `demo seed` made (it has no legal weight)."""
    from learning.certification.demo_key import is_demo_pkcs12

    if config.get("SIGN_PKCS12_FILE") and is_demo_pkcs12(config["SIGN_PKCS12_FILE"],
                                                         config.get("SIGN_PKCS12_PASSWORD", "")):
        raise RuntimeError("SIGN_PKCS12_FILE is the demo signing key (made by `demo seed`): configure the "
                           "organisation's own key or token before running with APP_ENV=production.")
