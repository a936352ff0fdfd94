"""``/kiem-tra-van-ban``: paste a text or upload a file, see the personal data and secrets in it, copy a redacted text.

A plain form post (works without JavaScript). The text lives only in this request: it is not stored, logged,
cached (Cache-Control: no-store, learning.security) or flashed; the audit event holds counts per type only.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import TextAreaField

from learning.catalog import queries as catalog_queries
from learning.catalog.citations import citation_label, citation_url
from learning.extensions import limiter
from learning.textcheck import service
from learning.textcheck.analyzer import TYPES
from learning.textcheck.extract import EXTENSIONS, ExtractError, read_upload
from learning.textcheck.rules import RULES
from learning.textcheck.service import too_large_message, upload_mb

bp = Blueprint("textcheck", __name__)


class CheckForm(FlaskForm):
    class Meta:
        csrf_field_name = "csrf_token"

    text = TextAreaField(lazy_gettext("Văn bản cần kiểm tra"))
    file = FileField(lazy_gettext("Hoặc chọn một tệp (.docx, .pdf, .txt, .xlsx)"))


def rate_limit() -> str:
    return current_app.config["TEXTCHECK_RATE_LIMIT"]


def upload_limit() -> int:
    return upload_mb() * 1024 * 1024


LIMITED_ENDPOINTS = ("textcheck.page", "api.text_check")


def set_request_limits() -> None:
    """The largest body of a check: an upload of TEXTCHECK_MAX_UPLOAD_MB, or the longest text at 4 bytes a
    character (the form-field limit is Werkzeug's 500 kB otherwise, too small for 200 000 Vietnamese chars)."""
    if request.endpoint not in LIMITED_ENDPOINTS:
        return
    text_bytes = service.max_chars() * 4 + 64 * 1024
    limit = max(upload_limit(), text_bytes) + 64 * 1024
    site = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(limit, site) if site else limit
    request.max_form_memory_size = text_bytes


def init_app(app: Flask) -> None:
    """The limits must be set before anything reads the body: first of the app's before-request functions
    (CSRF protection and the NUL check read the form)."""
    app.before_request_funcs.setdefault(None, []).insert(0, set_request_limits)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge):
    context = _context(CheckForm(formdata=None))
    return render_template("textcheck/page.html", problem=too_large_message(), **context), 413


def _account_key() -> str:
    return f"textcheck:account:{current_user.get_id()}"


def explanations(counts: dict[str, int]) -> list[dict]:
    """One row per type found: the label, the sentence, the rule's label and library link (or none)."""
    names = catalog_queries.source_names() if counts else {}
    return [{"type": kind, "label": RULES[kind].label, "count": counts[kind], "explanation": RULES[kind].explanation,
             "rule": citation_label(RULES[kind].key, names) if RULES[kind].key else None,
             "url": citation_url(RULES[kind].key) if RULES[kind].key else None}
            for kind in TYPES if kind in counts]


def _context(form: CheckForm) -> dict:
    return {"form": form, "rules": RULES, "limit": service.max_chars(),
            "upload_mb": upload_mb()}


def _text_of_form(form: CheckForm) -> tuple[str, str | None]:
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        name = upload.filename
        if not name.lower().endswith(EXTENSIONS):
            raise ExtractError(gettext("Chỉ nhận tệp .txt, .docx, .pdf hoặc .xlsx."))
        data = upload.read(upload_limit() + 1)
        if len(data) > upload_limit():
            raise ExtractError(gettext("Tệp lớn hơn %(mb)s MB. Hãy tách phần cần kiểm tra hoặc dán văn bản vào ô "
                                       "nhập.", mb=upload_mb()))
        if not data:
            raise ExtractError(gettext("Tệp đã chọn không có nội dung."))
        return read_upload(name, data)
    return form.text.data or "", None


@bp.route("/kiem-tra-van-ban", methods=["GET", "POST"])
@login_required
@limiter.limit(rate_limit, key_func=_account_key, methods=["POST"],
               error_message="Quá nhiều lần kiểm tra văn bản trong một phút.")
def page():
    form = CheckForm()
    context = _context(form)
    if request.method == "GET":
        return render_template("textcheck/page.html", **context)
    if not form.validate_on_submit():  # only the CSRF token can fail here
        return render_template("textcheck/page.html", problem=gettext("Phiên làm việc đã hết hạn. Hãy tải lại "
                                                                      "trang rồi kiểm tra lại."), **context), 400
    try:
        text, note = _text_of_form(form)
        analysis = service.check_text(text)
    except ExtractError as problem:
        status = 413 if isinstance(problem, service.TooLong) else 400
        return render_template("textcheck/page.html", problem=str(problem), **context), status
    service.audit(analysis, via="page", actor_id=current_user.id,
                  source="file" if form.file.data and getattr(form.file.data, "filename", "") else "text")
    form.text.data = analysis.text if not getattr(form.file.data, "filename", "") else ""
    return render_template("textcheck/page.html", analysis=analysis, rows=explanations(analysis.counts), note=note,
                           **context)
