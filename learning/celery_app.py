"""The Celery app for workers and beat: `celery -A learning.celery_app worker|beat`.

Tasks are the functions registered in learning.jobs; the beat schedule runs the operator tasks
that must happen without anyone clicking (times are Asia/Ho_Chi_Minh):

- 07:30 reminders to learners due soon or overdue, weekly digests to unit heads;
- 07:45 notices to holders of certificates expiring within CERT_EXPIRING_DAYS (expiry itself is
  derived from the date, nothing needs marking: see learning.certification.expiry);
- 00:05 accounts of people whose leaving date passed are disabled (learning.auth.lifecycle);
- 00:30 the PAR tables of this year and last year, computed for the new day (learning.par.cache);
- 02:15 the retention purge: audit events and quiz answers older than the admin's setting
  (learning.audit.retention);
- every JOBS_SWEEP_SECONDS (300): render certificate PDFs still missing, and queue again export
  jobs and invitation mailings nobody is running (queued while Redis was down, or left by a worker
  that died).
"""

from __future__ import annotations

from celery.schedules import crontab
from celery.signals import worker_process_init

from learning import create_app
from learning.extensions import db
from learning.jobs import celery, use_app

flask_app = create_app()
use_app(flask_app)  # the worker runs every task in this app


@worker_process_init.connect
def fresh_pool(**_) -> None:  # noqa: ANN003 - Celery's signal arguments
    """Each forked worker process opens its own database connections, never the parent's."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
_sweep = float(flask_app.config["JOBS_SWEEP_SECONDS"])


def _run(name: str, schedule) -> dict:  # noqa: ANN001 - a crontab or seconds
    return {"task": "learning.run_task", "schedule": schedule, "args": (name, {})}


celery.conf.beat_schedule = {
    "reminders-daily": _run("reminders.send", crontab(hour=7, minute=30)),
    "certificate-expiry-notices": _run("certificates.expiry_notices", crontab(hour=7, minute=45)),
    "accounts-sweep-nightly": _run("accounts.sweep", crontab(hour=0, minute=5)),
    "par-refresh-nightly": _run("par.refresh", crontab(hour=0, minute=30)),
    "retention-purge-nightly": _run("retention.purge", crontab(hour=2, minute=15)),
    "render-missing-certificates": _run("certificates.render_missing", _sweep),
    "requeue-stalled-jobs": _run("certificates.requeue_stalled", _sweep),
    "requeue-stalled-invitations": _run("invitations.requeue_stalled", _sweep),
}
celery.conf.timezone = "Asia/Ho_Chi_Minh"
app = celery
