"""``POST /api/v1/text-check``: the text check of /kiem-tra-van-ban for other systems (a token of scope textcheck).

Body ``{"text": "…"}``; answer ``{"findings": [{"type", "start", "end", "text"}], "redacted": "…", "counts": {…}}``,
as ``flask text-check --json`` (offsets in code points of the NFC text). The text is never stored or logged:
the audit event names the token and the counts per type only.
"""

from __future__ import annotations

import hashlib

from flask import current_app, g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from learning.api.access import token_required
from learning.api.models import TEXTCHECK
from learning.api.views import bp
from learning.extensions import limiter
from learning.textcheck import service
from learning.textcheck.extract import ExtractError
from learning.textcheck.service import too_large_message


def _rate_limit() -> str:
    return current_app.config["TEXTCHECK_RATE_LIMIT"]


def _token_key() -> str:
    """Per token (the limiter runs before the token is looked up: a digest of the header, never the header)."""
    header = request.headers.get("Authorization", "")
    return "textcheck:token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()[:24]


def _error(status: int, error: str, message: str):
    return jsonify(error=error, message=message, status=status), status


@bp.post("/text-check")
@limiter.limit(_rate_limit, key_func=_token_key)
@token_required(scope=TEXTCHECK)
def text_check():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return _error(400, "bad_request", 'Thân yêu cầu phải là JSON dạng {"text": "…"} (Content-Type: '
                                          'application/json).')
    try:
        analysis = service.check_text(body["text"])
    except service.TooLong as problem:
        return _error(413, "too_large", str(problem))
    except ExtractError as problem:
        return _error(400, "bad_request", str(problem))
    token = g.api_token
    service.audit(analysis, via="api", token_id=token.id, token=token.name)
    return jsonify(findings=[f.as_dict() for f in analysis.findings], redacted=analysis.redacted,
                   counts=analysis.counts)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc: RequestEntityTooLarge):
    return _error(413, "too_large", too_large_message())
