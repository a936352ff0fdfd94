"""``flask --app wsgi quiz stats <course>``"""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from flask.cli import AppGroup
from sqlalchemy import select

from learning.assessment.stats import item_stats
from learning.catalog.models import Course
from learning.extensions import db

quiz_cli = AppGroup("quiz", help="Quiz item statistics.")


@quiz_cli.command("stats")
@click.argument("course_code")
@click.option("--json", "as_json", is_flag=True)
def stats(course_code: str, as_json: bool) -> None:
    """Per question: answers, difficulty (share correct), discrimination (point-biserial), flags."""
    course = db.session.scalar(select(Course).where(Course.code == course_code))
    if course is None:
        raise click.ClickException(f"Không có khóa học “{course_code}”.")
    rows = item_stats(course)
    if as_json:
        click.echo(json.dumps([asdict(r) | {"flags": r.flags} for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Chưa có bài làm nào đã nộp.")
        return
    click.echo(f"{'câu':<12} {'lượt':>6} {'tỷ lệ đúng':>11} {'phân biệt':>10}  cảnh báo")
    for r in rows:
        disc = "—" if r.discrimination is None else f"{r.discrimination:.2f}"
        click.echo(f"{r.key:<12} {r.answered:>6} {r.difficulty:>10.0%} {disc:>10}  {', '.join(r.flags)}")
