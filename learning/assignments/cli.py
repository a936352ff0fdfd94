"""``flask --app wsgi reminders send [--dry-run]`` and ``flask --app wsgi compliance summary …``"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from learning.assignments import reminder_mail, reminders
from learning.assignments.summary import compliance_summary, province
from learning.assignments.tasks import run_reminders
from learning.catalog.models import Course
from learning.core.dates import local_today
from learning.extensions import db
from learning.jobs import enqueue
from learning.notify import mail
from learning.org.models import Unit

reminders_cli = AppGroup("reminders", help="E-mail reminders to learners and unit heads.")
compliance_cli = AppGroup("compliance", help="Compliance figures, as the dashboards show them.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="List who would get what; send and write nothing.")
def send(dry_run: bool) -> None:
    """Send today's reminders and escalations: one mail per person and day at most, and an in-app notice for
    each (the only channel for people without e-mail, or when MAIL_SERVER is not set)."""
    settings = mail.settings()
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
    if not settings.enabled:
        click.echo("Chưa cấu hình máy chủ thư (MAIL_SERVER): chỉ tạo thông báo trong ứng dụng, không gửi thư.")
    outcome = run_reminders()
    db.session.commit()
    click.echo(f"Đã gửi {outcome.mails} thư; tạo {outcome.notices} thông báo."
               + (f" {outcome.failed} thư gửi lỗi (xem nhật ký)." if outcome.failed else ""))



@compliance_cli.command("summary")
@click.option("--unit", "unit_code", help="Mã đơn vị: số liệu của đơn vị và các đơn vị trực thuộc.")
@click.option("--province", "whole", is_flag=True, help="Toàn tỉnh (đơn vị gốc).")
@click.option("--period", required=True, type=click.IntRange(2000, 2100), help="Kỳ (năm), ví dụ 2026.")
@click.option("--course", "course_code", help="Chỉ một khóa học (mã khóa học).")
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
def summary(unit_code: str | None, whole: bool, period: int, course_code: str | None, as_json: bool) -> None:
    """Per course and in total: required, passed, in progress, not started, overdue, exempt, certificates
    expiring in 30 days, for the unit's subtree (the dashboard's own figures)."""
    if bool(unit_code) == whole:
        raise click.UsageError("Cần đúng một trong hai: --unit MÃ hoặc --province.")
    node = province() if whole else db.session.scalar(select(Unit).where(Unit.code == unit_code.strip()))
    if node is None:
        raise click.ClickException(f"Không có đơn vị mã “{unit_code}”." if unit_code else "Chưa có đơn vị nào.")
    course = None
    if course_code:
        course = db.session.scalar(select(Course).where(Course.code == course_code.strip()))
        if course is None:
            raise click.ClickException(f"Không có khóa học mã “{course_code}”.")
    data = compliance_summary(node, period, local_today(), course)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    names = ["required", "passed", "in_progress", "not_started", "overdue", "exempt", "certificates_expiring_30_days"]
    click.echo(f"{node.code} {node.name} — kỳ {period} (lượt = người × khóa học)")
    click.echo("khóa học".ljust(30) + "".join(n[:12].rjust(13) for n in names))
    for line in data["courses"] + [{"code": "TỔNG", **data["total"]}]:
        click.echo(line["code"][:29].ljust(30) + "".join(str(line[n]).rjust(13) for n in names))
    click.echo(f"Người phải học: {data['total']['people_required']}; người quá hạn: {data['total']['people_overdue']}; "
               f"người được miễn: {data['total']['people_exempt']}")
