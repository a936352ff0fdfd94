"""Background work: Celery when a broker is configured, a thread pool in-process otherwise.

Tasks are plain functions registered by name; they run inside an app context and own their
transaction. ``after_commit`` queues a task only once the current transaction has committed, so
the task sees the rows the request wrote.

Celery tasks are acknowledged only when they finish: a worker killed in the middle (SIGKILL, the
OOM killer, a lost machine) leaves its task to be delivered again, so tasks must be idempotent;
``exclusively`` keeps two deliveries of the same job from running at once.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from celery import Celery
from flask import Flask, current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from learning.extensions import db

log = logging.getLogger(__name__)
TASKS: dict[str, Callable[..., Any]] = {}
celery = Celery("learning")
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")
_PENDING = "learning_jobs_after_commit"
_DEBOUNCE = "learning_jobs_debounce"
DEBOUNCE_MARGIN = 0.5  # seconds
_worker_app: dict[str, Flask] = {}  # the Flask app of a worker process, handed over by learning.celery_app
_local_locks: set[tuple[str, int]] = set()
_local_guard = threading.Lock()
BUSY_RETRY_SECONDS = 10


class Busy(Exception):
    """Another run of the same job holds its lock (see ``exclusively``)."""


def task(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        TASKS[name] = fn
        return fn

    return register


def run_task(app: Flask, name: str, kwargs: dict[str, Any]) -> None:
    with app.app_context():
        try:
            TASKS[name](**kwargs)
            db.session.commit()
        except Busy:
            db.session.rollback()
            log.info("background task %s (%s) is running elsewhere", name, kwargs)
            raise
        except Exception:
            db.session.rollback()
            log.exception("background task %s failed (%s)", name, kwargs)
            raise
        finally:
            db.session.remove()


@celery.task(name="learning.run_task", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3,
             default_retry_delay=5)
def _celery_run(self, name: str, kwargs: dict[str, Any]) -> None:  # noqa: ANN001 - Celery task
    app = _worker_app.get("app")  # not ``self._app``: that attribute is Celery's own
    if app is None:
        raise RuntimeError("no Flask app for this worker: start it with `celery -A learning.celery_app worker`")
    try:
        run_task(app, name, kwargs)
    except Busy as busy:  # another delivery is running it: look again later, without using up retries
        raise self.retry(exc=busy, countdown=BUSY_RETRY_SECONDS, max_retries=None) from busy
    except Exception as error:
        raise self.retry(exc=error) from error


def use_app(app: Flask) -> None:
    """The app a Celery worker runs its tasks in (``learning.celery_app`` builds it: jobs never build one)."""
    _worker_app["app"] = app


@contextmanager
def exclusively(name: str, key: int) -> Iterator[None]:
    """Hold the lock of job ``(name, key)`` across the processes and machines of the site, or raise ``Busy``.

    On PostgreSQL this is a session advisory lock on a connection of its own: it is released when
    the holder finishes, and also when its process dies, since the server then drops the
    connection, so a redelivered task can take over at once. Elsewhere (SQLite, one process) it is
    a lock in this process.
    """
    engine = db.engine
    if engine.dialect.name != "postgresql":
        with _local_guard:
            if (name, key) in _local_locks:
                raise Busy(name, key)
            _local_locks.add((name, key))
        try:
            yield
        finally:
            with _local_guard:
                _local_locks.discard((name, key))
        return
    namespace = zlib.crc32(name.encode()) & 0x7FFFFFFF
    with engine.connect() as conn:
        if not conn.execute(select(func.pg_try_advisory_lock(namespace, key))).scalar():
            raise Busy(name, key)
        conn.commit()
        try:
            yield
        finally:
            try:
                conn.execute(select(func.pg_advisory_unlock(namespace, key)))
                conn.commit()
            except Exception:  # noqa: BLE001 - never hand a connection that may hold the lock back to the pool
                conn.invalidate()


def is_locked(name: str, key: int) -> bool:
    """Whether some run holds the lock of job ``(name, key)`` now."""
    try:
        with exclusively(name, key):
            return False
    except Busy:
        return True


def enqueue(name: str, delay: float = 0.0, **kwargs: Any) -> None:
    """Run task ``name`` in the background now, or ``delay`` seconds from now."""
    app = current_app._get_current_object()
    mode = app.config.get("JOBS_MODE", "thread")
    if mode == "sync":  # tests: run now, in a fresh app context with its own session
        run_task(app, name, kwargs)
    elif mode == "celery":
        _celery_run.apply_async(args=(name, kwargs), countdown=delay or None)
    elif delay > 0:
        timer = threading.Timer(delay, _executor.submit, args=(run_task, app, name, kwargs))
        timer.daemon = True
        timer.start()
    else:
        _executor.submit(run_task, app, name, kwargs)


def after_commit(name: str, **kwargs: Any) -> None:
    """Run task ``name`` once the current transaction commits (not at all if it rolls back)."""
    pending = db.session.info.setdefault(_PENDING, [])
    if (name, kwargs, None) not in pending:
        pending.append((name, kwargs, None))


def after_commit_debounced(name: str, seconds: float) -> None:
    """Run task ``name`` (an idempotent sweep without arguments) after the commit, at most once per ``seconds``
    in this process: the first commit of a burst queues it ``seconds`` ahead, the commits before it runs only
    join it. It runs after every one of them committed, so it sees all their rows. ``seconds`` ≤ 0 (or the
    tests' sync mode) queues it at every commit."""
    pending = db.session.info.setdefault(_PENDING, [])
    if (name, {}, seconds) not in pending:
        pending.append((name, {}, seconds))


def _queue_debounced(name: str, seconds: float) -> None:
    app = current_app._get_current_object()
    if seconds <= 0 or app.config.get("JOBS_MODE", "thread") == "sync":
        enqueue(name)
        return
    now = time.monotonic()
    state = app.extensions.setdefault(_DEBOUNCE, {"lock": threading.Lock(), "until": {}})
    with state["lock"]:
        # A commit this close to the queued run's start queues another: a broker's clock may run a little ahead.
        if now < state["until"].get(name, 0.0) - DEBOUNCE_MARGIN:
            return
        state["until"][name] = now + seconds
    try:
        enqueue(name, delay=seconds)
    except Exception:
        state["until"][name] = 0.0  # not queued: the next commit tries again
        raise


@event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    for name, kwargs, debounce in pending:
        try:
            if debounce is None:
                enqueue(name, **kwargs)
            else:
                _queue_debounced(name, debounce)
        except Exception as error:  # a queue outage must not fail the request that already committed
            log.warning("could not queue %s (%s); it will run on the next sweep", name, error)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    broker = app.config.get("CELERY_BROKER_URL")
    app.config.setdefault("JOBS_MODE", "celery" if broker else "thread")
    if broker:
        visibility = int(app.config.get("CELERY_VISIBILITY_TIMEOUT", 3600))
        celery.conf.update(
            broker_url=broker, result_backend=None, task_ignore_result=True,
            broker_connection_retry_on_startup=True,
            # Acknowledge after the task, one task per worker process at a time: a killed worker's
            # task goes back to the queue instead of being lost.
            task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
            broker_transport_options={"visibility_timeout": visibility,
                                      # look for such tasks every visibility/4 s (at most a minute)
                                      "unacked_restore_interval": max(1, min(60, visibility // 4)),
                                      "unacked_restore_throttle": 1,
                                      "socket_connect_timeout": 2, "socket_timeout": 5},
            # With the broker down a request gives up queueing quickly; the sweep queues the job later.
            task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                       "interval_max": 0.5},
        )
