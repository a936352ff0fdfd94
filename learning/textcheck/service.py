"""One check: validate the text, analyse it, audit that a check ran (counts per type only, never the text)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from learning.audit.services import record
from learning.textcheck.analyzer import Analysis, analyze, normalise
from learning.textcheck.extract import ExtractError


class TooLong(ExtractError):
    """The text is longer than TEXTCHECK_MAX_CHARS: a 413 on the page and the API."""


def max_chars() -> int:
    return current_app.config.get("TEXTCHECK_MAX_CHARS", 200_000)


def upload_mb() -> int:
    """The largest upload: TEXTCHECK_MAX_UPLOAD_MB, never more than the site's own MAX_CONTENT_LENGTH."""
    site = current_app.config.get("MAX_CONTENT_LENGTH")
    mb = current_app.config["TEXTCHECK_MAX_UPLOAD_MB"]
    return min(mb, site // (1024 * 1024)) if site else mb


def too_large_message() -> str:
    """The 413 of the page and the API."""
    return gettext("Nội dung gửi lên quá lớn: văn bản tối đa %(n)s ký tự, tệp tối đa %(mb)s MB. Hãy tách thành "
                   "nhiều phần.", n=f"{max_chars():,}".replace(",", "."), mb=upload_mb())


def check_text(text: str) -> Analysis:
    """Raises ExtractError with a Vietnamese message for an empty or too long text."""
    if "\x00" in text:
        raise ExtractError(gettext("Văn bản chứa ký tự không hợp lệ (NUL): có thể đây là tệp nhị phân."))
    text = normalise(text)
    if not text.strip():
        raise ExtractError(gettext("Chưa có văn bản để kiểm tra: hãy dán văn bản hoặc chọn một tệp."))
    if len(text) > max_chars():
        raise TooLong(gettext("Văn bản dài %(n)s ký tự, vượt giới hạn %(limit)s ký tự. Hãy tách thành "
                              "nhiều phần.", n=f"{len(text):,}".replace(",", "."),
                              limit=f"{max_chars():,}".replace(",", ".")))
    return analyze(text)


def audit(analysis: Analysis, *, via: str, actor_id: int | None = None, **extra) -> None:
    """The audit event of a check: who, through what, how long the text was and the count per type."""
    record("textcheck.ran", actor_id=actor_id, object_type="textcheck", via=via, chars=len(analysis.text),
           counts=analysis.counts, **extra)
