"""URL converters shared by every blueprint."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_DB_INT = 2**31 - 1  # PostgreSQL INTEGER: a larger id in a URL is a 404, not a database error


class DatabaseId(IntegerConverter):
    """``<int:…>`` limited to what an INTEGER column can hold."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Call before registering blueprints: rules pick their converter when they are added."""
    app.url_map.converters["int"] = DatabaseId
