"""Date arithmetic both databases understand: a date plus whole days, and the UTC start of the local day
after a date (the province is UTC+7)."""

from __future__ import annotations

from sqlalchemy import Date, DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_after(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``days_after(day, n)``: the date ``n`` days after ``day`` (``n`` an integer expression)."""

    type = Date()
    inherit_cache = True
    name = "days_after"


@compiles(days_after)
def _days_after_pg(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + CAST({compiler.process(days, **kw)} AS INTEGER))"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || ({compiler.process(days, **kw)}) || ' days')"


class end_of_local_day(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``end_of_local_day(day)``: the UTC instant the local day after ``day`` begins (completion times are
    stored in UTC; a completion counts for ``day`` if it is earlier than this)."""

    type = DateTime()
    inherit_cache = True
    name = "end_of_local_day"


@compiles(end_of_local_day)
def _end_pg(element, compiler, **kw):
    (day,) = list(element.clauses)
    return f"(CAST(({compiler.process(day, **kw)} + 1) AS TIMESTAMP) - INTERVAL '7 hours')"


@compiles(end_of_local_day, "sqlite")
def _end_sqlite(element, compiler, **kw):
    (day,) = list(element.clauses)
    return f"datetime({compiler.process(day, **kw)}, '+1 days', '-7 hours')"
