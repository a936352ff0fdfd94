"""Error pages in the site's layout; a database outage is a 503, not a traceback."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from learning.assessment import rescue
from learning.extensions import db, login_manager

log = logging.getLogger(__name__)

MESSAGES = {
    400: (lazy_gettext("Yêu cầu không hợp lệ"),
          lazy_gettext("Trang không hiểu được yêu cầu này. Hãy quay lại và thử lại.")),
    403: (lazy_gettext("Không có quyền truy cập"),
          lazy_gettext("Tài khoản của bạn không được xem hoặc thực hiện việc này.")),
    404: (lazy_gettext("Không tìm thấy trang"), lazy_gettext("Địa chỉ không đúng hoặc nội dung đã được gỡ bỏ.")),
    405: (lazy_gettext("Thao tác không được hỗ trợ"), lazy_gettext("Hãy dùng các nút trên trang thay vì gõ địa chỉ.")),
    413: (lazy_gettext("Tệp quá lớn"),
          lazy_gettext("Tệp tải lên vượt quá dung lượng cho phép. Hãy chọn tệp nhỏ hơn.")),
    429: (lazy_gettext("Quá nhiều yêu cầu"),
          lazy_gettext("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.")),
    500: (lazy_gettext("Đã xảy ra lỗi"),
          lazy_gettext("Hệ thống gặp lỗi ngoài ý muốn và đã ghi lại. Vui lòng thử lại sau.")),
    503: (lazy_gettext("Hệ thống tạm thời gián đoạn"),
          lazy_gettext("Cơ sở dữ liệu chưa sẵn sàng. Vui lòng thử lại sau ít phút.")),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def render_error(status: int, detail: str | None = None):
    title, message = (str(text) for text in MESSAGES.get(status, MESSAGES[500]))
    if _wants_json():
        return jsonify(error=title, message=detail or message, status=status), status
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if not current_user.is_authenticated and (rescued := rescue.expired_session()) is not None:
            return rescued  # the session expired while the learner was answering: answers kept, log in again
        return render_error(400, gettext("Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. "
                                         "Hãy tải lại trang rồi gửi lại."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, InternalServerError) and is_outage(error.original_exception):
            return database_down(error.original_exception)  # e.g. the end-of-request commit failed
        status = error.code or 500
        detail = error.description if status in (400, 403) and _is_custom(error) else None
        return render_error(status, detail)

    def database_down(error: Exception):
        log.error("database unavailable on %s %s: %s", request.method, request.path, error)
        try:
            db.session.rollback()
        except DBAPIError:  # the connection is gone; the pool replaces it on the next request
            log.debug("rollback after a database outage failed", exc_info=True)
        # The page must not query the database again: show the layout as to a visitor (Flask-Login
        # keeps the request's user on g; the user loader would query).
        g._login_user = login_manager.anonymous_user()
        try:
            response, status = render_error(503)
        finally:
            g.pop("_login_user", None)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        if is_outage(error):
            return database_down(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)


def is_outage(error: BaseException | None) -> bool:
    """A lost or refused database connection (503, try again) rather than a bug (500)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | InterfaceError)


def _is_custom(error: HTTPException) -> bool:
    """Werkzeug's default English descriptions are replaced by ours, in the reader's language."""
    return error.description != type(error).description
