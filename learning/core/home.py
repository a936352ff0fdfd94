"""What each role sees first after log-in."""

from __future__ import annotations

from typing import Any

from flask import current_app

from learning.auth import queries as account_queries
from learning.auth.models import Account
from learning.auth.permissions import Action, can, scope_units
from learning.catalog.queries import learner_courses
from learning.core.dates import local_today
from learning.org import queries as org_queries
from learning.progress.personal import for_person, notice


def home_context(account: Account) -> dict[str, Any]:
    today = local_today()
    items = for_person(account.person, today)  # one status query serves both the notice and the course list
    context: dict[str, Any] = {
        "notice": notice(items, today, current_app.config["REMINDER_DAYS_BEFORE"]),
        "my_courses": learner_courses(account.person, today, items),
    }
    if can(account, Action.VIEW_UNIT):
        scope = scope_units(account, Action.VIEW_UNIT)
        context["my_units"] = org_queries.unit_summaries(scope)
        context["province_scope"] = scope is None
    if can(account, Action.MANAGE_SIGN_IN):
        context["not_activated"] = account_queries.not_activated_overview(
            scope_units(account, Action.MANAGE_SIGN_IN))
    return context
