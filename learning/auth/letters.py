"""Activation letters for staff without a work e-mail: one PDF per unit, one A4 letter per person with a
one-time code (``tokens.new_code``, ``TokenPurpose.LETTER``). Issuing letters retires the person's earlier
codes, so only the latest printed letter works. Callers own the transaction (commit after the PDF is made).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template

from learning.audit.services import record
from learning.auth import invitations, tokens
from learning.auth.models import Account, TokenPurpose
from learning.core.dates import local_today
from learning.core.i18n import vietnamese
from learning.core.pdf import render_pdf
from learning.org.models import Person, Unit


@dataclass(frozen=True)
class Letter:
    person: Person
    code: str
    expires_at: datetime


def recipients(unit: Unit) -> invitations.Selection:
    """The unit subtree sorted like an invitation batch; letters go to its ``no_email`` accounts."""
    return invitations.select_accounts(Unit.path.startswith(unit.path, autoescape=True))


def issue(accounts: list[Account], unit: Unit, by: Account | None) -> list[Letter]:
    lifetime = timedelta(days=current_app.config["LETTER_DAYS"])
    letters = []
    for account in sorted(accounts, key=lambda a: (a.person.unit.path, a.person.given_name, a.person.middle_name,
                                                   a.person.employee_code)):
        code, token = tokens.issue(account, TokenPurpose.LETTER, lifetime, by=by, secret=tokens.new_code())
        letters.append(Letter(account.person, code, token.expires_at))
    record("auth.letters_issued", actor_id=by.id if by else None, obj=unit, count=len(letters),
           people=[letter.person.employee_code for letter in letters][:500])
    return letters


@vietnamese()
def render(unit: Unit, letters: list[Letter], today: date | None = None) -> bytes:
    config = current_app.config
    html = render_template("auth/letters_pdf.html", unit=unit, letters=letters, today=today or local_today(),
                           org_name=config["ORG_NAME"], place=config["ORG_PLACE"],
                           address=f"{config['BASE_URL']}/kich-hoat-ma", login=f"{config['BASE_URL']}/dang-nhap")
    return render_pdf(html)
