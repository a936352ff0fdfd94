"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from learning.auth.models import Role
from learning.auth.permissions import Action, can
from learning.core.dates import document_date, format_date, format_datetime, format_decimal
from learning.notify.services import unread_count


def _language() -> str:
    """The language text is shown in: pages follow the reader; documents render inside ``vietnamese()``."""
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def _decimal(value: float | None, digits: int = 1) -> str:
    return format_decimal(value, digits, _language())


def _datetime(value: datetime | str | None) -> str:
    """A stored UTC time (or its ISO text, as in the personal-data JSON) in local time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if value else None
    return format_datetime(value, _language())


def _percent(value: float | None, digits: int = 0) -> str:
    return "" if value is None else _decimal(value * 100, digits) + "%"


def _url_with(**changes: object) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    return _args_for(request.endpoint or "core.home_page", dict(request.view_args or {}), changes)


def _same_args(endpoint: str, **changes: object) -> str:
    """Another page with the current query arguments (filters) kept."""
    return _args_for(endpoint, {}, changes)


def _args_for(endpoint: str, view_args: dict, changes: dict) -> str:
    args = request.args.to_dict()
    if endpoint != request.endpoint:
        args.pop("page", None)  # a page number belongs to the list it came from
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for(endpoint, **view_args, **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["vn_date"] = format_date
    app.jinja_env.filters["document_date"] = document_date
    app.jinja_env.filters["vn_datetime"] = _datetime
    app.jinja_env.filters["vn_decimal"] = _decimal
    app.jinja_env.filters["percent"] = _percent
    app.jinja_env.globals["url_with"] = _url_with
    app.jinja_env.globals["same_args"] = _same_args
    app.jinja_env.globals["Action"] = Action
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject() -> dict[str, object]:
        def may(action: Action, target: object = None) -> bool:
            return can(current_user if current_user.is_authenticated else None, action, target)

        def unread_notices() -> int:
            return unread_count(current_user.id) if current_user.is_authenticated else 0

        return {
            "may": may,
            "unread_notices": unread_notices,
            "org_name": app.config["ORG_NAME"],
            "nbsp": Markup("&nbsp;"),
        }
