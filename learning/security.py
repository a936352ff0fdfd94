"""Security headers on every response; NUL characters and oversize uploads are refused with a clear page."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request
from flask_babel import gettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from learning.errors import render_error

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _has_nul() -> bool:
    """PostgreSQL text cannot hold NUL; a parameter with one is a 400 here, not a database error later."""
    if "\x00" in request.path:
        return True
    values = [*request.args.keys(), *(v for _, v in request.args.items(multi=True))]
    if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *(v for _, v in request.form.items(multi=True))]
    return any("\x00" in value for value in values)


def upload_limit_mb() -> int:
    return (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)


def init_app(app: Flask) -> None:
    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error: RequestEntityTooLarge):
        # More specific than the generic HTTPException handler, so it wins; the page names the limit.
        return render_error(413, gettext("Tệp tải lên lớn hơn mức tối đa %(mb)s MB mà hệ thống nhận. Hãy chọn tệp "
                                         "nhỏ hơn, hoặc chia danh sách thành nhiều tệp rồi tải lên lần lượt.",
                                         mb=upload_limit_mb()))

    @app.before_request
    def refuse_nul_characters() -> None:
        if _has_nul():
            abort(400, description=gettext("Yêu cầu chứa ký tự không hợp lệ (NUL). "
                                           "Hãy kiểm tra lại nội dung đã nhập."))

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # A signed-in person's pages and downloads (and API answers) hold personal data: no browser or
        # proxy keeps a copy, e.g. on a shared office PC. Static assets stay cacheable.
        if request.endpoint != "static" and (request.path.startswith("/api/") or current_user.is_authenticated):
            headers["Cache-Control"] = "no-store"
        return response
