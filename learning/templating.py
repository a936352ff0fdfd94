"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_login import current_user
from markupsafe import Markup

from learning.auth.models import Role
from learning.auth.permissions import Action, can
from learning.core.dates import format_date, format_datetime, format_decimal


def _percent(value: float | None, digits: int = 0) -> str:
    return "" if value is None else format_decimal(value * 100, digits) + "%"


def _url_with(**changes: object) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for(request.endpoint or "core.home", **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["vn_date"] = format_date
    app.jinja_env.filters["vn_datetime"] = format_datetime
    app.jinja_env.filters["vn_decimal"] = format_decimal
    app.jinja_env.filters["percent"] = _percent
    app.jinja_env.globals["url_with"] = _url_with
    app.jinja_env.globals["Action"] = Action
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject() -> dict[str, object]:
        def may(action: Action, target: object = None) -> bool:
            return can(current_user if current_user.is_authenticated else None, action, target)

        return {
            "may": may,
            "org_name": app.config["ORG_NAME"],
            "nbsp": Markup("&nbsp;"),
        }
