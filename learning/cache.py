"""A small shared cache in Redis (``REDIS_URL``) for results that are costly to compute.

Every node reads what any node stored. Without Redis, or while it is down, ``get`` finds nothing
and ``put`` stores nothing: callers compute instead, so the cache is never needed to be correct.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import redis
from flask import current_app

log = logging.getLogger(__name__)
PREFIX = "learning:cache:"
RETRY_AFTER = 30.0  # seconds without trying Redis again after it failed


def _client() -> redis.Redis | None:
    state = current_app.extensions.setdefault("learning_cache", {"client": None, "down_until": 0.0})
    url = current_app.config.get("REDIS_URL")
    if not url or time.monotonic() < state["down_until"]:
        return None
    if state["client"] is None:
        state["client"] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    return state["client"]


def _failed(error: Exception) -> None:
    current_app.extensions["learning_cache"]["down_until"] = time.monotonic() + RETRY_AFTER
    log.warning("cache unavailable (computing instead for %gs): %s", RETRY_AFTER, error)


def get(key: str) -> Any | None:
    client = _client()
    if client is None:
        return None
    try:
        raw = client.get(PREFIX + key)
    except redis.RedisError as error:
        _failed(error)
        return None
    return json.loads(raw) if raw else None


def put(key: str, value: Any, ttl_seconds: int) -> None:
    client = _client()
    if client is None:
        return
    try:
        client.set(PREFIX + key, json.dumps(value, ensure_ascii=False, default=str), ex=ttl_seconds)
    except redis.RedisError as error:
        _failed(error)
