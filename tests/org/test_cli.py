import json

from sqlalchemy import func, select

from learning.auth.models import Account
from learning.extensions import db
from learning.org.models import Person, Unit


def test_demo_seed_is_idempotent_and_prints_logins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed", "--people", "120"])
    assert first.exit_code == 0, first.output
    assert "DEMO-HV" in first.output and "Demo@2026" in first.output
    # Piped output (not a terminal) gets the summary, not a progress bar's stray label line.
    assert first.output.splitlines()[0].startswith("Đơn vị:"), first.output
    counts = (db.session.scalar(select(func.count(Unit.id))),
              db.session.scalar(select(func.count(Person.id))),
              db.session.scalar(select(func.count(Account.id))))
    second = runner.invoke(args=["demo", "seed", "--people", "120"])
    assert second.exit_code == 0
    assert "cán bộ thêm mới: 0" in second.output
    assert counts == (db.session.scalar(select(func.count(Unit.id))),
                      db.session.scalar(select(func.count(Person.id))),
                      db.session.scalar(select(func.count(Account.id))))
    assert counts[1] == 125  # 120 generated + 5 demo accounts


def test_units_list_json_includes_dissolved_districts(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed", "--people", "0"])
    result = runner.invoke(args=["units", "list", "--json"])
    units = {u["code"]: u for u in json.loads(result.output)}
    assert units["H-TIENYEN"]["valid_to"] == "2025-06-30"
    assert units["H-TIENYEN"]["kind"] == "huyen"
    assert units["STP-1"]["parent"] == "STP"
    assert sum(1 for u in units.values() if u["kind"] == "xa_phuong") >= 30


def test_create_admin_checks_password_and_grants_admin(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "seed", "--people", "0"])
    weak = runner.invoke(args=["users", "create-admin", "--code", "QT01", "--name", "Ngô Bảo Châu",
                               "--password", "short"])
    assert weak.exit_code != 0 and "ít nhất 10 ký tự" in weak.output
    ok = runner.invoke(args=["users", "create-admin", "--code", "QT02", "--name", "Ngô Bảo Châu",
                             "--password", "quan-tri-2026"])
    assert ok.exit_code == 0, ok.output
    account = db.session.scalar(select(Account).join(Person).where(Person.employee_code == "QT02"))
    assert account.has_role("admin") and account.person.given_name == "Châu"
