"""Operator commands: ``flask --app wsgi <group> <command>``."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from learning import demo_history
from learning.assessment.cli import quiz_cli
from learning.assignments.cli import compliance_cli, reminders_cli
from learning.audit.cli import retention_cli
from learning.auth import services as auth_services
from learning.auth.cli import accounts_cli
from learning.auth.models import Role
from learning.catalog import quality, reading
from learning.catalog.content import read_content
from learning.catalog.interchange.cli import questions_cli
from learning.catalog.loader import ContentError, load_content
from learning.certification.badge_key import setup_demo_key
from learning.certification.cli import certificates_cli
from learning.certification.demo_key import setup_demo_signing
from learning.core.text import clean, split_full_name
from learning.extensions import db
from learning.org import demo
from learning.org.cli import import_units, staff_cli
from learning.org.models import Category, Person, Unit
from learning.par.cli import par_cli
from learning.textcheck.cli import text_check

content_cli = AppGroup("content", help="Course content, question banks and the regulation library.")
demo_cli = AppGroup("demo", help="Demo data.")
units_cli = AppGroup("units", help="The unit tree.")
units_cli.add_command(import_units)
users_cli = AppGroup("users", help="Accounts and roles.")


@demo_cli.command("seed")
@click.option("--people", default=400, show_default=True, type=click.IntRange(0, 100_000),
              help="Number of generated staff (NV000001…).")
def demo_seed(people: int) -> None:
    """Create (or complete) the demo province, its people and one account per role."""
    # The bar only on a terminal: piped or logged output gets the summary line below, not a stray label.
    with click.progressbar(length=people, label="Tạo cán bộ mẫu", show_pos=True,
                           hidden=not sys.stdout.isatty()) as bar:
        done = [0]

        def progress(added: int) -> None:
            bar.update(added - done[0])
            done[0] = added

        result = demo.seed(people, progress)
        bar.update(people - done[0])
    db.session.commit()
    click.echo(f"Đơn vị: {result['units']}; cán bộ thêm mới: {result['people_added']}.")
    click.echo(setup_demo_signing(current_app))
    click.echo(setup_demo_key(current_app))
    history = demo_history.seed()
    db.session.commit()
    if history["assignments"]:
        click.echo(f"Lịch sử mẫu: {history['assignments']} đợt giao học, {history['certificates']} chứng nhận.")
    print_demo_logins()


def print_demo_logins() -> None:
    click.echo(f"\nTài khoản dùng thử (mật khẩu chung: {demo.DEMO_PASSWORD}):")
    for login, _account in demo.demo_accounts():
        click.echo(f"  {login.label:<20} {login.code:<10} {login.email}")


@demo_cli.command("logins")
def demo_logins() -> None:
    """Print the demo log-ins."""
    print_demo_logins()


@units_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def units_list(as_json: bool) -> None:
    """List every unit, parents before children."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.path)))
    by_id = {u.id: u for u in units}
    if as_json:
        click.echo(json.dumps([
            {
                "code": u.code, "name": u.name, "kind": u.kind,
                "parent": by_id[u.parent_id].code if u.parent_id in by_id else None,
                "valid_from": u.valid_from.isoformat() if u.valid_from else None,
                "valid_to": u.valid_to.isoformat() if u.valid_to else None,
            }
            for u in units
        ], ensure_ascii=False, indent=2))
        return
    for u in units:
        until = f"  (đến {u.valid_to:%d/%m/%Y})" if u.valid_to else ""
        click.echo(f"{'  ' * u.depth}{u.code:<12} {u.name}{until}")


@users_cli.command("create-admin")
@click.option("--code", required=True, help="Employee code of the administrator.")
@click.option("--name", "full_name", required=True, help='Full name, e.g. "Nguyễn Văn An".')
@click.option("--email", default=None)
@click.option("--unit", "unit_code", default=None, help="Unit code (default: the province root).")
@click.option("--password", default=None, help="Prompted for when omitted.")
def create_admin(code: str, full_name: str, email: str | None, unit_code: str | None,
                 password: str | None) -> None:
    """Create an administrator account (or grant admin to an existing person)."""
    unit = (db.session.scalar(select(Unit).where(Unit.code == unit_code)) if unit_code
            else db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id)))
    if unit is None:
        raise click.ClickException(
            f"Không tìm thấy đơn vị {unit_code!r}." if unit_code
            else "Chưa có đơn vị nào: hãy tạo cây đơn vị trước (ví dụ: flask --app wsgi demo seed).")
    if password is None:
        password = getpass.getpass("Mật khẩu: ")
        if password != getpass.getpass("Nhập lại mật khẩu: "):
            raise click.ClickException("Hai mật khẩu không khớp nhau.")
    person = db.session.scalar(select(Person).where(Person.employee_code == clean(code)))
    if person is None:
        middle, given = split_full_name(full_name)
        person = Person(employee_code=clean(code), middle_name=middle, given_name=given,
                        email=clean(email) or None, unit=unit, category=Category.CIVIL_SERVANT.value)
        db.session.add(person)
        db.session.flush()
    problem = auth_services.password_problem(password, person)
    if problem:
        raise click.ClickException(problem)
    account = auth_services.ensure_account(person, password)
    db.session.flush()
    auth_services.grant_role(account, Role.ADMIN, None, by=None)
    db.session.commit()
    click.echo(f"Đã tạo quản trị viên {person.full_name} ({person.employee_code}).")


def _content_root() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def _print_problems(problems: list) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} lỗi.", err=True)


@content_cli.command("check")
def content_check() -> None:
    """Validate courses/ and quizzes/; print file:line: reason for each problem."""
    content = read_content(_content_root())
    if content.problems:
        _print_problems(content.problems)
        raise SystemExit(1)
    questions = sum(len(c.quiz.questions) for c in content.courses if c.quiz)
    click.echo(f"Nội dung hợp lệ: {len(content.regulations)} văn bản, {len(content.courses)} khóa học, "
               f"{questions} mục câu hỏi.")
    covered, total, missing = quality.coverage(content)
    minimum = current_app.config["CONTENT_COVERAGE_MIN_PERCENT"]
    click.echo(f"Độ phủ điều khoản mang quy tắc: {covered}/{total} ({covered / total if total else 0:.0%}; "
               f"tối thiểu {minimum}%).")
    failed = quality.coverage_problems(covered, total, missing, minimum)
    for course in content.courses:
        click.echo(f"Thời gian đọc {reading.course_reading(course).summary()}")
    failed += reading.reading_problems(content)
    for bank in quality.content_quality(content):
        click.echo(bank.summary())
        failed += [f"quizzes/{bank.code}.yaml: {reason}" for reason in bank.problems()]
    if failed:
        for reason in failed:
            click.echo(reason, err=True)
        click.echo(f"{len(failed)} lỗi chất lượng nội dung.", err=True)
        raise SystemExit(1)


@content_cli.command("load")
def content_load() -> None:
    """Load content into the database; a course gets a new version only when it changed."""
    try:
        report = load_content(_content_root())
    except ContentError as error:
        _print_problems(error.problems)
        raise SystemExit(1) from None
    db.session.commit()
    for rid in report.regulations_updated:
        click.echo(f"Văn bản cập nhật: {rid}")
    for code, version in report.new_versions:
        click.echo(f"Khóa học {code}: phiên bản {version}")
    if report.unchanged:
        click.echo(f"Không đổi: {', '.join(report.unchanged)}")


def init_app(app: Flask) -> None:
    for group in (accounts_cli, certificates_cli, compliance_cli, content_cli, demo_cli, par_cli, questions_cli,
                  quiz_cli, reminders_cli, retention_cli, staff_cli, units_cli, users_cli):
        app.cli.add_command(group)
    app.cli.add_command(text_check)
