"""``flask --app wsgi accounts …``: sign-in accounts — list, lifecycle sweep, invitations, activation letters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import ColumnElement, func, select, true

from learning.auth import invitations, letters, lifecycle
from learning.auth.models import Account, AccountToken, TokenPurpose
from learning.certification.models import JobStatus
from learning.core.dates import to_local
from learning.extensions import db
from learning.org.models import Person, Unit

accounts_cli = AppGroup("accounts", help="Sign-in accounts: list, lifecycle sweep, invitations, activation letters.")


def _local_iso(value) -> str | None:  # noqa: ANN001 - a stored naive UTC datetime or None
    return to_local(value).isoformat(timespec="seconds") if value is not None else None


@accounts_cli.command("list")
@click.option("--unit", "unit_code", help="Only this unit and its sub-units (unit code).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def list_accounts(unit_code: str | None, as_json: bool) -> None:
    """Every account: code, email, status, sso, last_login, invited_at (local time, ISO 8601)."""
    invited = (select(AccountToken.account_id, func.max(AccountToken.created_at).label("at"))
               .where(AccountToken.purpose == TokenPurpose.INVITATION.value)
               .group_by(AccountToken.account_id).subquery())
    query = (select(Person.employee_code, Person.email, Account.status, Account.sso_provider, Account.last_login_at,
                    invited.c.at)
             .join(Account, Account.person_id == Person.id).join(Unit, Unit.id == Person.unit_id)
             .outerjoin(invited, invited.c.account_id == Account.id).order_by(Person.employee_code))
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code.strip()))
        if unit is None:
            raise click.BadParameter(f"không có đơn vị mã “{unit_code}”", param_hint="--unit")
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    rows = ({"code": r.employee_code, "email": r.email, "status": r.status, "sso": r.sso_provider,
             "last_login": _local_iso(r.last_login_at), "invited_at": _local_iso(r.at)}
            for r in db.session.execute(query.execution_options(yield_per=2000)))
    if as_json:
        click.echo("[", nl=False)
        for index, row in enumerate(rows):
            click.echo(("," if index else "") + json.dumps(row, ensure_ascii=False), nl=False)
        click.echo("]")
        return
    for row in rows:
        click.echo("\t".join(str(row[key] or "—") for key in ("code", "email", "status", "sso", "last_login",
                                                             "invited_at")))


@accounts_cli.command("sweep")
def sweep() -> None:
    """Disable the accounts of people whose leaving date has passed (and re-enable returning people)."""
    result = lifecycle.sweep(db.session)
    db.session.commit()
    click.echo(f"Đã vô hiệu hóa {result.disabled} tài khoản, mở lại {result.enabled} tài khoản.")


def _unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code.strip()))
    if unit is None:
        raise click.ClickException(f"Không có đơn vị mã “{code}”.")
    return unit


def _codes(path: str) -> list[str]:
    """Employee codes, one a line (blank lines and ``#`` comments skipped; a CSV's first column)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"Không đọc được tệp {path}: {error}") from error
    codes = []
    for line in text.splitlines():
        value = line.split(",")[0].split(";")[0].strip().strip('"')
        if value and not value.startswith("#"):
            codes.append(value)
    if not codes:
        raise click.ClickException(f"Tệp {path} không có mã cán bộ nào.")
    return codes


@accounts_cli.command("invite")
@click.option("--unit", "unit_code", help="Invite the people of this unit and its subunits.")
@click.option("--all", "everyone", is_flag=True, help="Invite everyone in the province.")
@click.option("--codes", "codes_file", type=click.Path(dir_okay=False), help="A file of employee codes, one a line.")
@click.option("--dry-run", is_flag=True, help="Only print the counts: send and write nothing.")
def invite(unit_code: str | None, everyone: bool, codes_file: str | None, dry_run: bool) -> None:
    """Mail an activation link to every invited account (never activated) with an e-mail."""
    if sum(bool(x) for x in (unit_code, everyone, codes_file)) != 1:
        raise click.UsageError("Give exactly one of --unit CODE, --all, --codes FILE.")
    where: ColumnElement[bool] = true()
    unknown: list[str] = []
    if unit_code:
        unit = _unit(unit_code)
        where, source = Unit.path.startswith(unit.path, autoescape=True), f"unit:{unit.code}"
    elif codes_file:
        codes = _codes(codes_file)
        known = set(db.session.scalars(select(Person.employee_code).where(Person.employee_code.in_(codes))))
        unknown = [code for code in codes if code not in known]
        where, source = Person.employee_code.in_(codes), f"codes:{Path(codes_file).name}"
    else:
        source = "all"
    chosen = invitations.select_accounts(where)
    counts = chosen.counts()
    verb = "would invite" if dry_run else "invite"
    click.echo(f"{verb}: {counts['invite']}")
    click.echo(f"no e-mail: {counts['no_email']} — in thư kích hoạt (flask accounts letters)")
    click.echo(f"already active: {counts['already_active']}")
    click.echo(f"not present: {counts['not_present']}")
    if unknown:
        click.echo(f"unknown codes: {len(unknown)} ({', '.join(unknown[:20])}{' …' if len(unknown) > 20 else ''})")
    if dry_run or not chosen.invite:
        db.session.rollback()
        return
    job = invitations.invite(chosen.invite, None, source=source, counts=counts, queue=False)
    db.session.commit()
    invitations.send_job(job.id)
    db.session.commit()
    db.session.refresh(job)
    failures = invitations.job_failures(job)
    click.echo(f"sent: {len(job.params.get('sent', []))}, failed: {len(failures)}")
    for failure in failures:
        click.echo(f"  {failure['code']} {failure['name']}: {failure['reason']}")
    if job.status == JobStatus.FAILED:
        click.echo(job.error, err=True)
        sys.exit(1)


@accounts_cli.command("letters")
@click.option("--unit", "unit_code", required=True, help="The unit (with its subunits).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="The PDF file to write.")
def print_letters(unit_code: str, out: str) -> None:
    """One PDF of activation letters (a one-time code each) for the unit's staff without an e-mail."""
    unit = _unit(unit_code)
    chosen = letters.recipients(unit)
    if not chosen.no_email:
        click.echo(f"Không có ai cần thư kích hoạt trong {unit.name} (đã kích hoạt: {chosen.already_active}, "
                   f"có e-mail: {len(chosen.invite)}). Không ghi tệp.")
        return
    pdf = letters.render(unit, letters.issue(chosen.no_email, unit, None))
    target = Path(out)
    try:
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(pdf)
        partial.replace(target)
    except OSError as error:
        db.session.rollback()  # no letter printed: the earlier codes keep working
        raise click.ClickException(f"Không ghi được tệp {out}: {error}") from error
    db.session.commit()
    click.echo(f"{len(chosen.no_email)} letters written to {out}")
