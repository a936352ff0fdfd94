"""Growing delays after wrong passwords, instead of a lock an attacker could trigger at will.

Failures are counted over ``WINDOW_SECONDS`` at three levels, each with its own allowance before any wait:

- the (account, client address) pair: tight — a guesser at one address soon waits minutes;
- the client address, whatever account it tries: looser — one address spraying many accounts;
- the account, from every address: loosest, and its wait is capped at ``ACCOUNT_CAP_SECONDS`` — it only
  slows a guesser spread over many addresses. A browser that signed in to the account before carries a signed
  device cookie (``services.DEVICE_COOKIE``) and skips this level, so such a guesser cannot even delay the
  owner on their usual device (the "device cookie" defence of the OWASP authentication cheat sheet).

Beyond a level's allowance each failure sets a wait of 2, 4, 8 … seconds (capped); during a wait the password
is not even checked. The account key of an unknown identifier is derived from the identifier, so unknown and
known accounts are throttled alike (the answer does not tell them apart). Counters live in the rate limiter's
storage (Redis in production, shared by every node); if that storage fails, log-in goes on unthrottled (as
``RATELIMIT_SWALLOW_ERRORS`` does for the rate limits) rather than locking everybody out.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from learning.extensions import limiter

log = logging.getLogger(__name__)

WINDOW_SECONDS = 3600
ACCOUNT_CAP_SECONDS = 60


@dataclass(frozen=True)
class Level:
    name: str
    free: int  # failures allowed before the first wait
    cap: int  # the longest wait, in seconds


PAIR = Level("pair", free=3, cap=900)
ADDRESS = Level("address", free=30, cap=900)
ACCOUNT = Level("account", free=20, cap=ACCOUNT_CAP_SECONDS)


def account_key(account_id: int | None, identifier: str) -> str:
    """``a<id>`` for a known account (code and e-mail share one budget), else a hash of the identifier."""
    if account_id is not None:
        return f"a{account_id}"
    return "u" + hashlib.sha256(identifier.encode()).hexdigest()[:32]


def _keys(account: str, address: str, known_device: bool) -> list[tuple[Level, str]]:
    keys = [(PAIR, f"{account}|{address}"), (ADDRESS, address)]
    return keys if known_device else [*keys, (ACCOUNT, account)]


def _fail_key(level: Level, key: str) -> str:
    return f"login-fail/{level.name}/{key}"


def _wait_key(level: Level, key: str) -> str:
    return f"login-wait/{level.name}/{key}"


def delay_after(level: Level, failures: int) -> int:
    """The wait set by the ``failures``-th failure (0 within the allowance)."""
    beyond = failures - level.free
    return 0 if beyond <= 0 else min(level.cap, 2 ** beyond)


def wait_seconds(account: str, address: str, known_device: bool = False) -> int:
    """Seconds this account and address must still wait before a password is checked (0: go ahead)."""
    try:
        storage = limiter.storage
        now = time.time()
        waits = [storage.get_expiry(_wait_key(level, key)) - now
                 for level, key in _keys(account, address, known_device) if storage.get(_wait_key(level, key))]
    except Exception:  # noqa: BLE001 - the storage is down: do not lock everyone out
        log.warning("login throttle storage unavailable", exc_info=True)
        return 0
    return max((math.ceil(w) for w in waits if w > 0), default=0)


def note_failure(account: str, address: str, known_device: bool = False) -> None:
    try:
        storage = limiter.storage
        for level, key in _keys(account, address, known_device):
            failures = storage.incr(_fail_key(level, key), WINDOW_SECONDS)
            delay = delay_after(level, failures)
            if delay:
                storage.clear(_wait_key(level, key))
                storage.incr(_wait_key(level, key), delay)
    except Exception:  # noqa: BLE001
        log.warning("login throttle storage unavailable", exc_info=True)


def note_success(account: str, address: str) -> None:
    """The right password from this address forgets that pair's failures (not the address's or account's)."""
    try:
        storage = limiter.storage
        storage.clear(_fail_key(PAIR, f"{account}|{address}"))
        storage.clear(_wait_key(PAIR, f"{account}|{address}"))
    except Exception:  # noqa: BLE001
        log.warning("login throttle storage unavailable", exc_info=True)
