"""``flask --app wsgi reminders send [--dry-run]``"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from learning.assignments import reminders
from learning.assignments.tasks import mail_settings, send_reminders
from learning.core.dates import local_today
from learning.jobs import enqueue

reminders_cli = AppGroup("reminders", help="E-mail reminders to learners and unit heads.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="List who would get an e-mail; send nothing.")
def send(dry_run: bool) -> None:
    """Send today's reminders (each person at most once a day; digests weekly)."""
    today = local_today()
    if dry_run:
        days = current_app.config["REMINDER_DAYS_BEFORE"]
        mails = reminders.learner_reminders(today, days) + reminders.head_digests(today)
        for mail in mails:
            click.echo(f"{mail.person.email}: {mail.subject} ({len(mail.log)} mục)")
        click.echo(f"Sẽ gửi {len(mails)} thư (chạy thử, chưa gửi).")
        return
    if not mail_settings().server:
        raise click.ClickException("Chưa cấu hình máy chủ thư (MAIL_SERVER); dùng --dry-run để xem danh sách.")
    if current_app.config.get("JOBS_MODE") == "celery":
        enqueue("reminders.send")
        click.echo("Đã đưa việc gửi nhắc nhở vào hàng đợi (Celery).")
        return
    click.echo(f"Đã gửi {send_reminders()} thư.")
