"""Bearer-token access to /api/v1: the decorator every API route wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, jsonify, request

from learning.api import services
from learning.api.models import READ


def token_required(view: Callable | None = None, *, scope: str = READ) -> Callable:
    """A valid bearer token (else 401) issued for ``scope`` (else 403): a text-check token reads no data,
    a data token cannot run checks."""
    if view is None:
        return lambda inner: token_required(inner, scope=scope)

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = services.authenticate(request.headers.get("Authorization"))
        if token is None:
            response = jsonify(error="unauthorized", message="Thiếu hoặc sai mã truy cập (Authorization: Bearer …).")
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if token.scope != scope:
            return jsonify(error="forbidden", message=f"Mã truy cập này cấp cho việc “{token.scope}”, không dùng "
                                                      f"được cho việc “{scope}”. Hãy xin mã đúng mục đích."), 403
        g.api_token = token
        return view(*args, **kwargs)

    return wrapper
