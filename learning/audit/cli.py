"""``flask --app wsgi retention show|purge``"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from learning.audit import retention
from learning.extensions import db

retention_cli = AppGroup("retention", help="Data retention: how long audit events and quiz answers are kept.")


@retention_cli.command("show")
def show() -> None:
    """Print the retention periods in force."""
    policy = retention.current_policy()
    click.echo(f"Nhật ký hệ thống: {policy.audit_months} tháng; chi tiết bài làm: {policy.attempt_months} tháng.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; change nothing.")
def purge(dry_run: bool) -> None:
    """Delete or anonymise what is older than the retention periods (kept: certificate and PAR evidence)."""
    report = retention.purge(dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    prefix = "Chạy thử (không xóa)" if dry_run else "Đã xóa"
    click.echo(f"{prefix}: {report.audit_deleted} sự kiện nhật ký cũ hơn {report.audit_cutoff[:10]} "
               f"({report.audit_anonymised} sự kiện minh chứng giữ lại, xóa IP); {report.attempts_deleted} bài làm "
               f"xóa hẳn, {report.attempts_stripped} bài làm xóa chi tiết (giữ điểm) "
               f"cũ hơn {report.attempt_cutoff[:10]}; {report.imports_deleted} tệp nhập cán bộ chưa xác nhận.")
