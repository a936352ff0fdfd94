"""``flask --app wsgi reminders send [--dry-run]``"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from learning.assignments import reminder_mail, reminders
from learning.assignments.tasks import mail_settings, run_reminders
from learning.core.dates import local_today
from learning.extensions import db
from learning.jobs import enqueue

reminders_cli = AppGroup("reminders", help="E-mail reminders to learners and unit heads.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="List who would get what; send and write nothing.")
def send(dry_run: bool) -> None:
    """Send today's reminders and escalations: one mail per person and day at most, and an in-app notice for
    each (the only channel for people without e-mail, or when MAIL_SERVER is not set)."""
    settings = mail_settings()
    if dry_run:
        digests = reminders.plan(local_today())
        mails = notices = 0
        for digest in digests:
            mailed, count = reminder_mail.will_mail(digest, settings), reminder_mail.notices_for(digest)
            mails, notices = mails + mailed, notices + count
            ways = [w for w, on in (("thư", mailed), (f"{count} thông báo", count)) if on] or ["không có kênh nào"]
            own, escalated = len(digest.own), sum(len(v) for v in digest.escalations.values())
            click.echo(f"{digest.recipient.email or '(không có e-mail)'} — {digest.recipient.full_name}: "
                       f"{own} nhắc việc, {escalated} báo quá hạn; {', '.join(ways)}")
            for item in digest.items:
                click.echo(f"    [{item.kind}] {item.line()}")
        click.echo(f"Sẽ gửi {mails} thư và tạo {notices} thông báo (chạy thử, chưa gửi).")
        return
    if current_app.config.get("JOBS_MODE") == "celery":
        enqueue("reminders.send")
        click.echo("Đã đưa việc gửi nhắc nhở vào hàng đợi (Celery).")
        return
    if not settings.server:
        click.echo("Chưa cấu hình máy chủ thư (MAIL_SERVER): chỉ tạo thông báo trong ứng dụng, không gửi thư.")
    outcome = run_reminders()
    db.session.commit()
    click.echo(f"Đã gửi {outcome.mails} thư; tạo {outcome.notices} thông báo."
               + (f" {outcome.failed} thư gửi lỗi (xem nhật ký)." if outcome.failed else ""))
