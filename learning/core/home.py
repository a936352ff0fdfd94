"""What each role sees first after log-in."""

from __future__ import annotations

from typing import Any

from learning.auth.models import Account
from learning.auth.permissions import Action, can, scope_units
from learning.org import queries as org_queries

def home_context(account: Account) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if can(account, Action.VIEW_UNIT):
        scope = scope_units(account, Action.VIEW_UNIT)
        context["my_units"] = org_queries.unit_summaries(scope)
        context["province_scope"] = scope is None
    return context
