"""Background work: Celery when a broker is configured, a thread pool in-process otherwise.

Tasks are plain functions registered by name; they run inside an app context and own their
transaction. ``after_commit`` queues a task only once the current transaction has committed, so
the task sees the rows the request wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Celery
from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from learning.extensions import db

log = logging.getLogger(__name__)
TASKS: dict[str, Callable[..., Any]] = {}
celery = Celery("learning")
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")
_PENDING = "learning_jobs_after_commit"


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
        except Exception:
            db.session.rollback()
            log.exception("background task %s failed (%s)", name, kwargs)
            raise
        finally:
            db.session.remove()


@celery.task(name="learning.run_task", bind=True, acks_late=True, max_retries=3,
             default_retry_delay=5)
def _celery_run(self, name: str, kwargs: dict[str, Any]) -> None:  # noqa: ANN001 - Celery task
    from learning import create_app  # noqa: PLC0415 - the worker builds its own app once

    app = getattr(_celery_run, "_app", None) or create_app()
    _celery_run._app = app
    try:
        run_task(app, name, kwargs)
    except Exception as error:
        raise self.retry(exc=error) from error


def enqueue(name: str, **kwargs: Any) -> None:
    """Run task ``name`` in the background now."""
    app = current_app._get_current_object()
    mode = app.config.get("JOBS_MODE", "thread")
    if mode == "sync":  # tests: run now, in a fresh app context with its own session
        run_task(app, name, kwargs)
    elif mode == "celery":
        _celery_run.apply_async(args=(name, kwargs))
    else:
        _executor.submit(run_task, app, name, kwargs)


def after_commit(name: str, **kwargs: Any) -> None:
    """Run task ``name`` once the current transaction commits (not at all if it rolls back)."""
    pending = db.session.info.setdefault(_PENDING, [])
    if (name, kwargs) not in pending:
        pending.append((name, kwargs))


@event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    for name, kwargs in pending:
        try:
            enqueue(name, **kwargs)
        except Exception:  # a queue outage must not fail the request that already committed
            log.exception("could not queue %s; it will run on the next sweep", name)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    broker = app.config.get("CELERY_BROKER_URL")
    app.config.setdefault("JOBS_MODE", "celery" if broker else "thread")
    if broker:
        celery.conf.update(broker_url=broker, result_backend=None, task_ignore_result=True,
                           broker_connection_retry_on_startup=True)
