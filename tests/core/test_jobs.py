"""Background jobs may be delivered twice (a redelivered task, the sweep): running twice is harmless."""

from __future__ import annotations

import threading
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


@pytest.fixture
def queued(app, monkeypatch):
    """Jobs in thread mode, with what would be queued recorded (name, delay) instead of run."""
    monkeypatch.setitem(app.config, "JOBS_MODE", "thread")
    monkeypatch.setitem(app.extensions, "learning_jobs_debounce", {"lock": threading.Lock(), "until": {}})
    calls: list[tuple[str, float]] = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, delay=0.0, **_kwargs: calls.append((name, delay)))
    return calls


def test_certificate_renders_of_a_burst_of_completions_are_queued_once(app, queued, monkeypatch, create_account,
                                                                        create_completion, create_course_version):
    """Issue 19 item 7: before, every completion queued its own sweep after its commit."""
    monkeypatch.setitem(app.config, "CERT_RENDER_DEBOUNCE_SECONDS", 2.0)
    clock = [1000.0]
    monkeypatch.setattr(jobs.time, "monotonic", lambda: clock[0])
    versions = [create_course_version() for _ in range(3)]
    person = create_account().person
    db.session.commit()
    for version in versions:
        create_completion(person, version)
        db.session.commit()
        clock[0] += 0.3
    renders = [call for call in queued if call[0] == "certificates.render_missing"]
    assert renders == [("certificates.render_missing", 2.0)]  # one sweep, 2 s after the first
    clock[0] += 2.0  # the queued sweep has run: the next completion queues a new one
    create_completion(person, create_course_version())
    db.session.commit()
    assert [call for call in queued if call[0] == "certificates.render_missing"] == renders * 2


def test_without_a_debounce_window_every_commit_queues(app, queued):
    for _ in range(2):
        jobs.after_commit_debounced("certificates.render_missing", 0)
        db.session.commit()
    assert queued == [("certificates.render_missing", 0.0)] * 2


def test_a_debounced_job_that_could_not_be_queued_is_tried_again(app, queued, monkeypatch):
    def broker_down(name, delay=0.0, **_kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs, "enqueue", broker_down)
    jobs.after_commit_debounced("certificates.render_missing", 5)
    db.session.commit()  # logged, not raised
    monkeypatch.setattr(jobs, "enqueue", lambda name, delay=0.0, **_kwargs: queued.append((name, delay)))
    jobs.after_commit_debounced("certificates.render_missing", 5)
    db.session.commit()
    assert queued == [("certificates.render_missing", 5)]


def test_a_sweep_that_hit_its_limit_queues_the_rest(app, queued, monkeypatch, create_account, create_completion):
    more = []
    monkeypatch.setattr(tasks, "enqueue", lambda name, **kwargs: more.append((name, kwargs)))
    person = create_account().person
    for _ in range(3):
        create_completion(person)
    db.session.commit()  # the sweep is queued (recorded by ``queued``), not run
    tasks.render_missing(limit=2)
    assert more == [("certificates.render_missing", {"limit": 2})]
    more.clear()
    tasks.render_missing(limit=2)
    assert more == []
