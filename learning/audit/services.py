"""Recording audit events. Domain code adds them in the caller's transaction."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from learning.audit.models import AuditEvent
from learning.extensions import db


def record(
    action: str,
    *,
    actor_id: int | None = None,
    obj: object | None = None,
    object_type: str = "",
    object_id: str | int = "",
    **detail: Any,
) -> AuditEvent:
    """Add an audit event; ``obj`` fills type (its table name) and id from a model instance."""
    if obj is not None:
        obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj  # e.g. current_user
        object_type = object_type or getattr(obj, "__tablename__", type(obj).__name__.lower())
        object_id = object_id or getattr(obj, "id", "")
    ip = request.remote_addr or "" if has_request_context() else ""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        object_type=object_type,
        object_id=str(object_id),
        ip=ip,
        detail=detail,
    )
    db.session.add(event)
    return event
