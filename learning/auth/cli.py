"""``flask --app wsgi accounts …``: the operator's view of sign-in accounts (other commands join this group)."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from learning.auth import lifecycle
from learning.auth.models import Account, AccountToken, TokenPurpose
from learning.core.dates import to_local
from learning.extensions import db
from learning.org.models import Person, Unit

accounts_cli = AppGroup("accounts", help="Sign-in accounts: list, lifecycle sweep (invitations, letters).")


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
