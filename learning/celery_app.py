"""The Celery app for workers and beat: `celery -A learning.celery_app worker|beat`.

Tasks are the functions registered in learning.jobs; the beat schedule runs the operator tasks
that must happen without anyone clicking: reminders, PDF sweeps.
"""

from __future__ import annotations

from celery.schedules import crontab

from learning import create_app
from learning.jobs import celery

flask_app = create_app()
celery.conf.beat_schedule = {
    "reminders-daily": {"task": "learning.run_task", "schedule": crontab(hour=7, minute=30),
                        "args": ("reminders.send", {})},
    "render-missing-certificates": {"task": "learning.run_task", "schedule": 300.0,
                                    "args": ("certificates.render_missing", {})},
    # Audit events and quiz answers older than the admin's retention setting (learning.audit.retention).
    "retention-purge-nightly": {"task": "learning.run_task", "schedule": crontab(hour=2, minute=15),
                                "args": ("retention.purge", {})},
}
celery.conf.timezone = "Asia/Ho_Chi_Minh"
app = celery
