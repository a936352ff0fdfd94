"""The principal kept in the signed session (issue 19, item 2): no SQL for who the user is beyond one stamp row,
and every change to who they are takes effect at the next request."""

import pytest
from sqlalchemy import event, update

from learning.auth import lifecycle, principal, services
from learning.auth.models import Account, AccountStatus, Role
from learning.extensions import db
from learning.org import units
from tests.factories import PASSWORD

PROTECTED = "/doi-mat-khau"


pytestmark = pytest.mark.usefixtures("request_scoped_clients")  # tests/factories.py


def _sign_in(app, account):
    client = app.test_client()
    response = client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(PROTECTED).status_code == 200  # the principal is in the session now
    return client


def _statements(app, client, url):
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        try:
            response = client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
    return response, seen


def _session_principal(app, client):
    cookie = client.get_cookie("session").value
    return app.session_interface.get_signing_serializer(app).loads(cookie)[principal.SESSION_KEY]


def test_a_signed_in_request_reads_only_the_stamp_row(app, create_account, create_unit, province):
    hr = create_account((Role.HR, create_unit(parent=province)))
    client = _sign_in(app, hr)
    response, seen = _statements(app, client, PROTECTED)
    assert response.status_code == 200
    who = [s for s in seen if "FROM account" in s or "role_grant" in s]
    assert len(who) == 1 and "auth_stamp" in who[0] and "role_grant" not in who[0], who


def test_disabling_the_account_signs_it_out_at_the_next_request(app, create_account):
    account = create_account()
    admin = create_account((Role.ADMIN, None))
    client = _sign_in(app, account)
    lifecycle.disable(db.session.get(Account, account.id), by=admin)
    db.session.commit()
    assert client.get(PROTECTED).status_code == 302


def test_a_status_changed_without_the_orm_still_signs_out(app, create_account):
    """The status is read with the stamp on every request: even a bulk UPDATE that bumps nothing is seen."""
    account = create_account()
    client = _sign_in(app, account)
    db.session.execute(update(Account).where(Account.id == account.id).values(status=AccountStatus.LOCKED.value))
    db.session.commit()
    assert client.get(PROTECTED).status_code == 302


def test_a_person_who_left_is_signed_out_at_the_next_request(app, create_account):
    account = create_account()
    client = _sign_in(app, account)
    account.person.active = False
    db.session.commit()
    assert client.get(PROTECTED).status_code == 302


def test_revoking_a_role_takes_effect_at_the_next_request(app, create_account, create_person, create_unit, province):
    unit = create_unit(parent=province)
    someone = create_person("Lê Văn Bình", unit=unit)
    hr = create_account((Role.HR, unit))
    admin = create_account((Role.ADMIN, None))
    client = _sign_in(app, hr)
    assert client.get(f"/can-bo/{someone.id}").status_code == 200
    services.revoke_role(db.session.get(Account, hr.id).grants[0], by=admin)
    db.session.commit()
    assert client.get(f"/can-bo/{someone.id}").status_code == 403


def test_a_granted_role_takes_effect_at_the_next_request(app, create_account, create_person, create_unit, province):
    unit = create_unit(parent=province)
    someone = create_person("Lê Văn Bình", unit=unit)
    account = create_account()
    client = _sign_in(app, account)
    assert client.get(f"/can-bo/{someone.id}").status_code == 403
    services.grant_role(db.session.get(Account, account.id), Role.HR, unit, by=None)
    db.session.commit()
    assert client.get(f"/can-bo/{someone.id}").status_code == 200


def test_a_password_change_elsewhere_signs_this_session_out(app, create_account):
    account = create_account()
    client = _sign_in(app, account)
    services.change_password(db.session.get(Account, account.id), "moi-2026-abc")
    db.session.commit()
    assert client.get(PROTECTED).status_code == 302


def test_moving_the_person_rebuilds_the_principal(app, create_account, create_unit, province):
    account = create_account(unit=create_unit(parent=province))
    elsewhere = create_unit(parent=province)
    db.session.commit()
    client = _sign_in(app, account)
    stamp = _session_principal(app, client)["stamp"]
    account.person.unit = elsewhere
    db.session.commit()
    assert client.get(PROTECTED).status_code == 200
    now = _session_principal(app, client)
    assert now["unit_id"] == elsewhere.id and now["unit_path"] == elsewhere.path and now["stamp"] > stamp


def test_moving_a_granted_unit_rebuilds_the_scope(app, create_account, create_person, create_unit, province):
    """HR of a unit keeps seeing its people after the unit moved: the scope's path is the new one."""
    old_parent, new_parent = create_unit(parent=province), create_unit(parent=province)
    unit = create_unit(parent=old_parent)
    someone = create_person("Lê Văn Bình", unit=unit)
    hr = create_account((Role.HR, unit))
    client = _sign_in(app, hr)
    assert client.get(f"/can-bo/{someone.id}").status_code == 200
    units.move_unit(unit, new_parent, by=None)
    db.session.commit()
    assert client.get(f"/can-bo/{someone.id}").status_code == 200
    assert _session_principal(app, client)["scopes"] == [["hr", unit.id, f"{new_parent.path}{unit.id}/"]]


def test_a_forged_or_replayed_principal_is_not_trusted_after_a_change(app, create_account, create_person,
                                                                      create_unit, province):
    """An older session cookie (its principal had the role) is refused the role once it was revoked."""
    unit = create_unit(parent=province)
    someone = create_person("Lê Văn Bình", unit=unit)
    hr = create_account((Role.HR, unit))
    admin = create_account((Role.ADMIN, None))
    client = _sign_in(app, hr)
    old_cookie = client.get_cookie("session").value
    services.revoke_role(db.session.get(Account, hr.id).grants[0], by=admin)
    db.session.commit()
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get(f"/can-bo/{someone.id}").status_code == 403
