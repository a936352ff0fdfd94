"""Sign-in with the province's accounts through OpenID Connect (authorization code + PKCE, Authlib).

On when ``OIDC_ISSUER`` and ``OIDC_CLIENT_ID`` are set. The provider's discovery document is read on first use
(and its issuer must be the configured one); the client keeps state, nonce and PKCE verifier in the session.

An account is linked by the provider's subject (``Account.sso_provider = "oidc"``, ``sso_subject = sub``). The
first time a subject signs in, the person is found by the claim ``OIDC_CODE_CLAIM`` (their employee code) or,
without it, by a verified e-mail; the link is written only when that sign-in succeeds. SSO never creates a
person: people come from HR's lists, and an unknown subject gets a page that says to ask HR of their unit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app, request, session, url_for
from flask_babel import gettext, lazy_gettext
from joserfc.errors import JoseError
from sqlalchemy import func, select

from learning.audit.services import record
from learning.auth import sessions
from learning.auth.models import Account, AccountStatus, person_present
from learning.core.text import clean
from learning.extensions import db
from learning.org.models import Person
from learning.security import CSP

log = logging.getLogger(__name__)

PROVIDER = "oidc"
EXTENSION = "learning.oidc"
NEXT_KEY = "oidc_next"  # where to go after the provider sent the person back
# The ID token of this session, the hint for the provider's log-out (a session key name, not a secret).
ID_TOKEN_KEY = "oidc_id_token"  # noqa: S105  # nosec B105

TITLE = lazy_gettext("Chưa đăng nhập được bằng tài khoản của tỉnh")
UNAVAILABLE = lazy_gettext("Hệ thống đăng nhập của tỉnh đang không phản hồi. Hãy thử lại sau ít phút; nếu lỗi kéo "
                           "dài, hãy báo quản trị hệ thống.")
MISCONFIGURED = lazy_gettext("Kết nối tới hệ thống đăng nhập của tỉnh chưa được cấu hình đúng nên chưa thể đăng "
                             "nhập theo cách này. Hãy báo quản trị hệ thống.")
BAD_STATE = lazy_gettext("Phiên đăng nhập bằng tài khoản của tỉnh không hợp lệ hoặc đã hết hạn (có thể bạn đã mở "
                         "lại một đường liên kết cũ). Hãy bắt đầu lại từ trang Đăng nhập.")
CANCELLED = lazy_gettext("Hệ thống đăng nhập của tỉnh chưa xác nhận bạn (bạn đã hủy hoặc bị từ chối). Hãy đăng "
                         "nhập lại từ trang Đăng nhập.")
UNKNOWN = lazy_gettext("Tài khoản của tỉnh mà bạn vừa dùng chưa gắn với hồ sơ cán bộ nào trên hệ thống học tập. "
                       "Hãy liên hệ bộ phận tổ chức cán bộ của đơn vị bạn, đề nghị thêm bạn vào danh sách cán bộ "
                       "hoặc cập nhật mã cán bộ, e-mail công vụ trong hồ sơ, rồi đăng nhập lại.")
NO_CODE = lazy_gettext("Hệ thống đăng nhập của tỉnh không gửi mã cán bộ của bạn nên chưa nhận ra bạn. Hãy liên hệ "
                       "bộ phận tổ chức cán bộ của đơn vị bạn để cập nhật mã cán bộ trong tài khoản của tỉnh.")
UNVERIFIED = lazy_gettext("E-mail của bạn chưa được xác minh tại hệ thống đăng nhập của tỉnh. Hãy xác minh e-mail "
                          "ở đó, hoặc liên hệ bộ phận tổ chức cán bộ của đơn vị bạn.")
DOMAIN = lazy_gettext("Chỉ tài khoản có e-mail thuộc %(domains)s mới được đăng nhập bằng tài khoản của tỉnh. Hãy "
                      "dùng tài khoản công vụ của bạn, hoặc liên hệ bộ phận tổ chức cán bộ của đơn vị bạn.")
CONFLICT = lazy_gettext("Hồ sơ cán bộ của bạn đã được gắn với một tài khoản khác của tỉnh. Hãy liên hệ bộ phận tổ "
                        "chức cán bộ của đơn vị bạn hoặc quản trị hệ thống để kiểm tra.")


@dataclass
class SignInProblem(Exception):
    """A sign-in that cannot finish: the status and message of the page the person sees, and what the provider
    said about them (shown, so they can tell HR which code or e-mail the province's system holds)."""

    status: int
    message: str
    identity: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def init_app(app) -> None:  # noqa: ANN001 - the Flask app
    @app.context_processor
    def sso_context() -> dict[str, bool]:
        return {"oidc_enabled": enabled()}

    @app.after_request
    def allow_provider_logout(response):  # noqa: ANN001, ANN202 - runs before security's headers
        """The log-out form's answer redirects to the provider, and browsers apply the page's ``form-action``
        to that redirect: the provider's origin joins 'self' there."""
        if enabled():
            parts = urlsplit(current_app.config["OIDC_ISSUER"])
            origin = f"{parts.scheme}://{parts.netloc}"
            response.headers.setdefault("Content-Security-Policy",
                                        CSP.replace("form-action 'self'", f"form-action 'self' {origin}"))
        return response


def _settings() -> tuple:
    config = current_app.config
    scopes = config.get("OIDC_SCOPES", "").split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return (config["OIDC_ISSUER"].rstrip("/"), config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET") or "",
            " ".join(scopes), int(config.get("OIDC_TIMEOUT") or 10))


def _client():
    """The app's Authlib client, built on first use (again when the settings changed)."""
    settings = _settings()
    cached = current_app.extensions.get(EXTENSION)
    if cached and cached[0] == settings:
        return cached[1]
    issuer, client_id, secret, scopes, timeout = settings
    client_kwargs = {"scope": scopes, "code_challenge_method": "S256", "default_timeout": timeout}
    if not secret:
        # A public client: PKCE alone protects the code ("none" is a method name, not a password).
        client_kwargs["token_endpoint_auth_method"] = "none"  # noqa: S105  # nosec B105
    client = OAuth(current_app).register(
        PROVIDER, overwrite=True, client_id=client_id, client_secret=secret or None,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration", client_kwargs=client_kwargs)
    current_app.extensions[EXTENSION] = (settings, client)
    return client


def _metadata(client) -> dict:  # noqa: ANN001 - Authlib's FlaskOAuth2App
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID provider discovery failed: %s", error)
        raise SignInProblem(503, str(UNAVAILABLE)) from error
    issuer = _settings()[0]
    if metadata.get("issuer", "").rstrip("/") != issuer or not metadata.get("authorization_endpoint"):
        log.error("OpenID provider at %s announces issuer %r", issuer, metadata.get("issuer"))
        client.server_metadata.pop("_loaded_at", None)  # read it again next time
        raise SignInProblem(503, str(MISCONFIGURED))
    return metadata


def start(next_url: str | None):
    """The redirect to the provider's log-in page (state, nonce and PKCE challenge kept in the session)."""
    client = _client()
    _metadata(client)
    session[NEXT_KEY] = next_url or ""
    return client.authorize_redirect(url_for("oidc.callback", _external=True))


def finish() -> str:
    """Handle the provider's answer: sign the person in and return where to go, or raise ``SignInProblem``."""
    client = _client()
    _metadata(client)
    next_url = session.pop(NEXT_KEY, None)
    token, claims = _exchange(client)
    account = _account_for(claims)
    problem = _refusal(account)
    if problem:
        record("auth.login_refused", obj=account, status=account.status, method=PROVIDER)
        raise SignInProblem(403, problem)
    if (account.sso_provider, account.sso_subject) != (PROVIDER, claims["sub"]):
        record("auth.sso_linked", actor_id=account.id, obj=account, provider=PROVIDER, subject=claims["sub"][:255],
               previous=account.sso_provider)
        account.sso_provider, account.sso_subject = PROVIDER, claims["sub"]
    target = sessions.complete_login(account, remember=False, method=PROVIDER, next_url=next_url)
    session[ID_TOKEN_KEY] = token.get("id_token", "")
    return target


def _exchange(client) -> tuple[dict, dict]:  # noqa: ANN001
    """The code for tokens (state, PKCE verifier, ID token signature, nonce and issuer checked), then userinfo."""
    issuer = _settings()[0]
    if request.args.get("error"):
        log.info("OpenID provider refused the sign-in: %s", request.args.get("error"))
        raise SignInProblem(400, str(CANCELLED))
    if request.args.get("iss") and request.args["iss"].rstrip("/") != issuer:  # RFC 9207: not our provider
        raise SignInProblem(400, str(BAD_STATE))
    try:
        token = client.authorize_access_token()
        id_claims = dict(token.get("userinfo") or {})
        if not id_claims.get("sub"):
            raise SignInProblem(503, str(MISCONFIGURED))  # no ID token: not an OpenID Connect answer
        claims = dict(id_claims)
        if client.server_metadata.get("userinfo_endpoint"):
            userinfo = dict(client.userinfo(token=token))
            if userinfo.get("sub") != id_claims["sub"]:
                raise SignInProblem(400, str(BAD_STATE))
            claims |= userinfo
    except MismatchingStateError as error:
        raise SignInProblem(400, str(BAD_STATE)) from error
    except OAuthError as error:
        log.warning("OpenID token request refused: %s %s", error.error, error.description)
        if error.error in ("invalid_client", "unauthorized_client", "invalid_scope"):
            raise SignInProblem(503, str(MISCONFIGURED)) from error
        raise SignInProblem(400, str(BAD_STATE)) from error  # invalid_grant: a used, stolen or forged code
    except (AuthlibBaseError, JoseError) as error:  # the ID token's signature, nonce, audience, expiry
        log.warning("OpenID ID token rejected: %s", error)
        raise SignInProblem(400, str(BAD_STATE)) from error
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID provider unreachable at the token step: %s", error)
        raise SignInProblem(503, str(UNAVAILABLE)) from error
    return token, claims


def _verified_email(claims: dict) -> str | None:
    email = clean(claims.get("email") if isinstance(claims.get("email"), str) else "").lower()
    verified = claims.get("email_verified")
    return email if email and (verified is True or str(verified).lower() == "true") else None


def _identity(claims: dict) -> dict[str, str]:
    """What the provider says about the person, to show on a refusal page (never trusted for anything else)."""
    shown = {}
    code_claim = current_app.config.get("OIDC_CODE_CLAIM")
    if code_claim and isinstance(claims.get(code_claim), str | int):
        shown[gettext("Mã cán bộ")] = clean(str(claims[code_claim]))[:80]
    if isinstance(claims.get("email"), str):
        shown[gettext("E-mail")] = clean(claims["email"])[:255]
    return shown


def _allowed_domains() -> list[str]:
    raw = current_app.config.get("OIDC_ALLOWED_DOMAINS") or ""
    return [d.strip().lower().lstrip("@") for d in raw.replace(";", ",").split(",") if d.strip()]


def _account_for(claims: dict) -> Account:
    """The account of a provider subject: the linked one, else the person the code or e-mail claim names."""
    subject, shown = str(claims["sub"]), _identity(claims)
    domains = _allowed_domains()
    if domains:
        email = _verified_email(claims)
        if email is None or email.rpartition("@")[2] not in domains:
            _audit_failure(subject, "domain")
            raise SignInProblem(403, str(DOMAIN % {"domains": ", ".join(domains)}), shown)
    account = db.session.scalar(select(Account).where(Account.sso_provider == PROVIDER,
                                                      Account.sso_subject == subject))
    if account is not None:
        return account
    code_claim = current_app.config.get("OIDC_CODE_CLAIM")
    if code_claim:
        value = claims.get(code_claim)
        code = clean(str(value)).lower() if isinstance(value, str | int) else ""
        if not code:
            _audit_failure(subject, "no_code")
            raise SignInProblem(403, str(NO_CODE), shown)
        where = func.lower(Person.employee_code) == code
    else:
        email = _verified_email(claims)
        if email is None:
            _audit_failure(subject, "unverified_email")
            raise SignInProblem(403, str(UNVERIFIED), shown)
        where = func.lower(Person.email) == email
    account = db.session.scalar(select(Account).join(Person).where(where))
    if account is None:
        _audit_failure(subject, "unknown_subject")
        raise SignInProblem(403, str(UNKNOWN), shown)
    if account.sso_provider == PROVIDER and account.sso_subject and account.sso_subject != subject:
        _audit_failure(subject, "linked_elsewhere", account)
        raise SignInProblem(403, str(CONFLICT), shown)
    return account


def _refusal(account: Account) -> str | None:
    """SSO signs in an ``invited`` account (its first sign-in); locked, disabled and leavers are refused."""
    if account.status in (AccountStatus.LOCKED, AccountStatus.DISABLED) or not person_present(account.person):
        return sessions.refusal(account)
    return None


def _audit_failure(subject: str, reason: str, account: Account | None = None) -> None:
    record("auth.login_failed", obj=account, object_type="account", method=PROVIDER, subject=subject[:255],
           reason=reason)


def logout_url() -> str | None:
    """The provider's end-session address for a session signed in through it (read before the session ends),
    or None: no OIDC sign-in, or a provider without RP-initiated log-out."""
    id_token = session.get(ID_TOKEN_KEY)
    if not id_token or not enabled():
        return None
    client = _client()
    try:
        metadata = _metadata(client)
    except SignInProblem:
        return None  # the provider is down: the local session still ends
    if not metadata.get("end_session_endpoint"):
        return None
    result = client.create_logout_url(post_logout_redirect_uri=url_for("auth.login", _external=True),
                                      id_token_hint=id_token, client_id=_settings()[1])
    return result["url"]

