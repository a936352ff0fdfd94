"""Settings from environment variables, with the defaults documented in README.md."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_PKCS12 = PROJECT_ROOT / "instance" / "demo-signing" / "DEMO-khoa-ky-thu-nghiem.p12"
DEMO_OB_KEY = PROJECT_ROOT / "instance" / "demo-signing" / "DEMO-khoa-open-badges.pem"
DEMO_PKCS12_PASSWORD = "demo"  # noqa: S105  # nosec B105 - the demo key's, refused in production
HOLDER_DISAMBIGUATORS = ("none", "birth_date", "code_tail")
DEFAULT_SECRET_KEY = "dev-only-insecure-key-change-me"  # refused in production  # noqa: S105  # nosec B105


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


class Config:
    """Read once per app; tests pass overrides to ``create_app``."""

    def __init__(self) -> None:
        self.APP_ENV = os.environ.get("APP_ENV", "development")
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
        instance = PROJECT_ROOT / "instance"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'learning.sqlite3'}")
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = os.environ.get("REDIS_URL", "")
        self.CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", self.REDIS_URL)
        # A task a dead worker left unacknowledged is redelivered after this many seconds (Redis
        # broker); it must exceed the longest task. Jobs still queued after JOBS_STALE_SECONDS (the
        # broker was down when they were queued) are queued again by the sweep every JOBS_SWEEP_SECONDS.
        self.CELERY_VISIBILITY_TIMEOUT = _int("CELERY_VISIBILITY_TIMEOUT", 3600)
        self.JOBS_SWEEP_SECONDS = _int("JOBS_SWEEP_SECONDS", 300)
        self.JOBS_STALE_SECONDS = _int("JOBS_STALE_SECONDS", 600)
        # A completed course queues the certificate PDF sweep at most once per this many seconds per process.
        self.CERT_RENDER_DEBOUNCE_SECONDS = _float("CERT_RENDER_DEBOUNCE_SECONDS", 2.0)
        # Reverse proxies in front of the app (nginx = 1): their X-Forwarded-For/-Proto are trusted,
        # so rate limits and the audit log see the client's address, not the proxy's.
        self.TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")  # production logs to stderr at this level
        self.ORG_NAME = os.environ.get("ORG_NAME", "Ủy ban nhân dân tỉnh Quảng Ninh")
        self.ORG_PLACE = os.environ.get("ORG_PLACE", "Quảng Ninh")
        self.ORG_CODE = os.environ.get("ORG_CODE", "QN")
        self.BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", PROJECT_ROOT))
        # `content check` fails when lessons and questions teach fewer of the rule-bearing clauses (issue 22).
        self.CONTENT_COVERAGE_MIN_PERCENT = _int("CONTENT_COVERAGE_MIN_PERCENT", 90)
        self.STORAGE_DIR = Path(os.environ.get("STORAGE_DIR", instance / "storage"))
        self.CERT_EXPIRING_DAYS = _int("CERT_EXPIRING_DAYS", 30)
        # Digital signature of certificates (PAdES): a PKCS#12 file, or a PKCS#11 token whose key
        # never leaves it. Without either, outside production, the demo key `demo seed` made is used.
        self.SIGN_PKCS12_FILE = os.environ.get("SIGN_PKCS12_FILE", "")
        self.SIGN_PKCS12_PASSWORD = os.environ.get("SIGN_PKCS12_PASSWORD", "")
        self.SIGN_PKCS11_MODULE = os.environ.get("SIGN_PKCS11_MODULE", "")
        self.SIGN_PKCS11_TOKEN_LABEL = os.environ.get("SIGN_PKCS11_TOKEN_LABEL", "")
        self.SIGN_PKCS11_KEY_LABEL = os.environ.get("SIGN_PKCS11_KEY_LABEL", "")
        self.SIGN_PKCS11_PIN = os.environ.get("SIGN_PKCS11_PIN", "")
        self.SIGN_TSA_URL = os.environ.get("SIGN_TSA_URL", "")  # PAdES B-T when set
        self.SIGN_ALLOW_UNSIGNED = _bool("SIGN_ALLOW_UNSIGNED", False)
        # Extra accepted signing certificates or their CA (PEM), e.g. the previous key's after a renewal.
        self.SIGN_ISSUER_CERTS = os.environ.get("SIGN_ISSUER_CERTS", "")
        # Where `demo seed` writes the demo CA and signing key (empty: it makes none). Never used in production.
        self.SIGN_DEMO_PKCS12 = os.environ.get("SIGN_DEMO_PKCS12", str(DEMO_PKCS12))
        if (not self.SIGN_PKCS12_FILE and not self.SIGN_PKCS11_MODULE and self.APP_ENV != "production"
                and self.SIGN_DEMO_PKCS12 and Path(self.SIGN_DEMO_PKCS12).is_file()):
            self.SIGN_PKCS12_FILE, self.SIGN_PKCS12_PASSWORD = self.SIGN_DEMO_PKCS12, DEMO_PKCS12_PASSWORD
        # The issuer's Ed25519 key (PEM) that signs the Open Badges 3.0 credentials (VC-JWT). Outside production
        # it defaults to the demo key beside the demo PKCS#12 and is generated when absent; production requires it.
        self.OB_KEY_FILE = os.environ.get("OB_KEY_FILE", "" if self.APP_ENV == "production" else str(DEMO_OB_KEY))
        # Printed beside the holder's name to tell namesakes apart: none, birth_date or code_tail (last 4 characters
        # of the employee code). Frozen on each certificate when it is issued.
        self.CERT_HOLDER_DISAMBIGUATOR = os.environ.get("CERT_HOLDER_DISAMBIGUATOR", "none").strip().lower() or "none"
        if self.CERT_HOLDER_DISAMBIGUATOR not in HOLDER_DISAMBIGUATORS:
            raise ValueError(f"CERT_HOLDER_DISAMBIGUATOR must be one of {', '.join(HOLDER_DISAMBIGUATORS)}, "
                             f"not {self.CERT_HOLDER_DISAMBIGUATOR!r}.")
        # The signer block (Nghị định 30/2020): authority lines separated by "|", title, full name.
        self.CERT_SIGNER_AUTHORITY = os.environ.get("CERT_SIGNER_AUTHORITY", "TM. ỦY BAN NHÂN DÂN|KT. CHỦ TỊCH")
        self.CERT_SIGNER_TITLE = os.environ.get("CERT_SIGNER_TITLE", "PHÓ CHỦ TỊCH")
        self.CERT_SIGNER_NAME = os.environ.get("CERT_SIGNER_NAME", "")
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = _int("MAIL_PORT", 25)
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "elearning@localhost")
        self.REMINDER_DAYS_BEFORE = _int("REMINDER_DAYS_BEFORE", 7)
        # "Đã đọc xong" counts once this share of a lesson's declared minutes has passed since the person first
        # opened it (0 turns the gate off).
        self.LESSON_MIN_READ_SHARE = _float("LESSON_MIN_READ_SHARE", 0.5)
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
        # Forgotten-password requests and link uses per client address (each account also gets at most three
        # links an hour, whatever the address).
        self.RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per 15 minutes")

        # LDAP / Active Directory sign-in (auth.ldap): on when LDAP_URL is set.
        self.LDAP_URL = os.environ.get("LDAP_URL", "")  # ldap://host:389 or ldaps://host:636
        self.LDAP_STARTTLS = _bool("LDAP_STARTTLS", False)
        self.LDAP_CA_FILE = os.environ.get("LDAP_CA_FILE", "")  # PEM CA bundle; empty = the system's
        self.LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "")  # service account for the search; empty = anonymous
        self.LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")
        self.LDAP_BASE_DN = os.environ.get("LDAP_BASE_DN", "")
        self.LDAP_USER_ATTR = os.environ.get("LDAP_USER_ATTR", "employeeNumber")  # holds the employee code or e-mail
        self.LDAP_TIMEOUT = _int("LDAP_TIMEOUT", 5)
        # Local passwords: off = only the break-glass administrators (comma-separated employee codes, admin role).
        self.LOCAL_LOGIN = _bool("LOCAL_LOGIN", True)
        self.LOCAL_LOGIN_BREAK_GLASS = os.environ.get("LOCAL_LOGIN_BREAK_GLASS", "")
        # Roles (comma-separated: admin, hr, unit_head, par_assessor, learner) that must sign in with a TOTP
        # code; everyone else may turn it on. Default: admin and hr in production, nobody elsewhere.
        self.MFA_REQUIRED_ROLES = os.environ.get(
            "MFA_REQUIRED_ROLES", "admin,hr" if self.APP_ENV == "production" else "")
        # Encrypts the stored TOTP secrets (default: derived from SECRET_KEY). Changing it makes every
        # enrolled secret unreadable: those people must enrol again (an admin resets their MFA).
        self.MFA_SECRET_KEY = os.environ.get("MFA_SECRET_KEY", "")
        # Activation: invitation links and letter codes (auth.invitations, auth.letters, auth.activation).
        self.INVITATION_DAYS = max(1, _int("INVITATION_DAYS", 7))
        self.LETTER_DAYS = max(1, _int("LETTER_DAYS", 30))
        self.ACTIVATION_RATE_LIMIT = os.environ.get("ACTIVATION_RATE_LIMIT", "10 per minute")
        self.PAGE_SIZE = _int("PAGE_SIZE", 50)
        # OpenID Connect sign-in with the province's accounts (auth.oidc): on when issuer and client id are set.
        # People are found by the claim OIDC_CODE_CLAIM (their employee code) or, when it is empty, by a
        # verified e-mail; OIDC_ALLOWED_DOMAINS (comma-separated) limits the e-mail domains that may sign in.
        self.OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
        self.OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
        self.OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
        self.OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
        self.OIDC_CODE_CLAIM = os.environ.get("OIDC_CODE_CLAIM", "").strip()
        self.OIDC_ALLOWED_DOMAINS = os.environ.get("OIDC_ALLOWED_DOMAINS", "")
        self.OIDC_TIMEOUT = _int("OIDC_TIMEOUT", 10)  # seconds for each request to the provider
        self.MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", 10) * 1024 * 1024
        # The text check (/kiem-tra-van-ban, POST /api/v1/text-check, learning.textcheck): longest text
        # analysed, largest upload, checks per account (page) or token (API).
        self.TEXTCHECK_MAX_CHARS = _int("TEXTCHECK_MAX_CHARS", 200_000)
        self.TEXTCHECK_MAX_UPLOAD_MB = _int("TEXTCHECK_MAX_UPLOAD_MB", 5)
        self.TEXTCHECK_RATE_LIMIT = os.environ.get("TEXTCHECK_RATE_LIMIT", "30 per minute")

        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_SWALLOW_ERRORS = True  # a Redis outage must not lock everyone out
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

        self.BABEL_DEFAULT_LOCALE = "vi"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
        self.LANGUAGES = ("vi", "en")
        self.BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "learning" / "translations")

        production = self.APP_ENV == "production"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", production)
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        # "Remember me" lasts REMEMBER_DAYS (at most 30) and ends with the session version (auth.sessions).
        self.REMEMBER_COOKIE_DURATION = timedelta(days=min(30, max(1, _int("REMEMBER_DAYS", 30))))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 8))
        # The CSRF token lives as long as the session, so a long quiz page still submits.
        self.WTF_CSRF_TIME_LIMIT = None

    @property
    def is_production(self) -> bool:
        return self.APP_ENV == "production"


def normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
