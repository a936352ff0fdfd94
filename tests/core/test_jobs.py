"""Background jobs may be delivered twice (a redelivered task, the sweep): running twice is harmless."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning import jobs
from learning.certification import tasks
from learning.certification.models import Job
from learning.core.dates import utcnow
from learning.extensions import db


def test_a_job_lock_is_held_once_and_released(app):
    with jobs.exclusively("test.job", 7):
        assert jobs.is_locked("test.job", 7)
        assert not jobs.is_locked("test.job", 8)
        with pytest.raises(jobs.Busy), jobs.exclusively("test.job", 7):
            pass
    assert not jobs.is_locked("test.job", 7)


def test_an_export_that_is_running_elsewhere_is_left_alone(app, create_account, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "STORAGE_DIR", tmp_path)
    job = Job(kind="certificates.export", params={"account_id": create_account().id})
    db.session.add(job)
    db.session.commit()
    with jobs.exclusively("certificates.export", job.id), pytest.raises(jobs.Busy):
        tasks.export_batch(job.id)
    tasks.export_batch(job.id)
    db.session.expire_all()
    assert (job.status, job.params["runs"]) == ("done", 1)
    tasks.export_batch(job.id)  # delivered again: nothing is redone
    db.session.expire_all()
    assert job.params["runs"] == 1


def test_the_sweep_queues_again_only_stalled_jobs(app, create_account, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda name, **kwargs: queued.append((name, kwargs)))
    account = create_account()
    old = utcnow() - timedelta(hours=1)
    stalled = Job(kind="certificates.export", params={"account_id": account.id}, created_at=old)
    running = Job(kind="certificates.export", params={"account_id": account.id}, created_at=old, status="running")
    finished = Job(kind="certificates.export", params={}, created_at=old, status="done")
    fresh = Job(kind="certificates.export", params={})
    db.session.add_all([stalled, running, finished, fresh])
    db.session.commit()
    with jobs.exclusively("certificates.export", running.id):
        assert tasks.requeue_stalled() == 1
    assert queued == [("certificates.export", {"job_id": stalled.id})]


def test_an_export_interrupted_too_often_is_marked_failed(app, create_account):
    job = Job(kind="certificates.export", params={"account_id": create_account().id, "runs": tasks.EXPORT_MAX_RUNS},
              status="running")
    db.session.add(job)
    db.session.commit()
    tasks.export_batch(job.id)
    db.session.commit()
    db.session.expire_all()
    assert job.status == "failed" and job.error


def test_jobs_never_build_the_app():
    """The worker's app comes from learning.celery_app (``jobs.use_app``): jobs import no factory."""
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    tree = ast.parse(Path(jobs.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module == "learning" for alias in node.names}
    assert "create_app" not in imported
    celery_app = (Path(jobs.__file__).parent / "celery_app.py").read_text(encoding="utf-8")
    assert "use_app(flask_app)" in celery_app


def test_a_celery_delivery_runs_in_the_app_handed_to_the_worker(app, monkeypatch):
    seen = []
    monkeypatch.setitem(jobs.TASKS, "test.where", lambda: seen.append(jobs.current_app._get_current_object()))
    monkeypatch.setattr(jobs, "_worker_app", {})
    with pytest.raises(RuntimeError, match="celery_app"):
        jobs._celery_run("test.where", {})
    jobs.use_app(app)
    jobs._celery_run("test.where", {})
    assert seen == [app]


def test_each_forked_worker_process_gets_fresh_connections(app, monkeypatch):
    from celery.signals import worker_process_init  # noqa: PLC0415

    from learning import celery_app  # noqa: PLC0415 - builds its own app from the environment, like a worker

    assert jobs._worker_app["app"] is celery_app.flask_app
    disposed = []
    monkeypatch.setattr(type(db.engine), "dispose", lambda engine, close=True: disposed.append(close))
    worker_process_init.send(sender=None)
    assert disposed == [False]
