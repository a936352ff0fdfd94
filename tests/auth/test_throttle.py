"""Wrong passwords slow the guesser down, never lock the owner out (issue 13, item 2)."""

import re

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.auth import services, throttle
from learning.extensions import db
from tests.factories import PASSWORD

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "10.1.2.3"}
GENERIC = "Mã cán bộ/e-mail hoặc mật khẩu không đúng."


def _post(client, identifier, password, environ):
    return client.post("/dang-nhap", data={"identifier": identifier, "password": password}, environ_base=environ)


def _answers(app, identifier, attempts=8):
    client = app.test_client()
    return [(r.status_code, re.sub(r"\d+ giây", "N giây", r.text.split("<main")[1][:600]))
            for r in (_post(client, identifier, "sai-mat-khau", ATTACKER) for _ in range(attempts))]


def test_an_attacker_hammering_from_one_address_does_not_stop_the_owner(app, create_account):
    account = create_account()
    code = account.person.employee_code
    attacker = app.test_client()
    codes = [_post(attacker, code, "sai-mat-khau", ATTACKER).status_code for _ in range(12)]
    assert codes[:throttle.PAIR.free + 1] == [401] * (throttle.PAIR.free + 1)
    assert set(codes[throttle.PAIR.free + 1:]) == {429}
    throttled = _post(attacker, code, PASSWORD, ATTACKER)  # even the right password waits at that address
    # 2 seconds, or 1 if the machine took more than a second since the last failure
    assert throttled.status_code == 429 and re.search(r"Vui lòng thử lại sau [12] giây\.", throttled.text)
    owner = app.test_client()
    response = _post(owner, code, PASSWORD, OWNER)
    assert response.status_code == 302 and response.location == "/"


def test_waits_grow_with_repeated_failures_and_are_capped():
    delays = [throttle.delay_after(throttle.PAIR, n) for n in range(1, 16)]
    assert delays[:throttle.PAIR.free] == [0] * throttle.PAIR.free
    assert delays[throttle.PAIR.free:throttle.PAIR.free + 4] == [2, 4, 8, 16]
    assert max(delays) == throttle.PAIR.cap
    assert throttle.delay_after(throttle.ACCOUNT, 1000) == throttle.ACCOUNT_CAP_SECONDS


def test_a_spread_attack_only_delays_the_account_and_not_on_the_owners_device(app, create_account):
    account = create_account()
    code = account.person.employee_code
    owner = app.test_client()
    assert _post(owner, code, PASSWORD, OWNER).status_code == 302  # the owner's usual browser
    owner.post("/dang-xuat")
    for n in range(throttle.ACCOUNT.free + 1):  # one failure from each of many addresses
        assert _post(app.test_client(), code, "sai", {"REMOTE_ADDR": f"198.51.100.{n}"}).status_code == 401
    elsewhere = _post(app.test_client(), code, PASSWORD, {"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code == 429  # a new browser waits a little (at most a minute)…
    assert _post(owner, code, PASSWORD, OWNER).status_code == 302  # …the owner's own browser does not


def test_unknown_and_known_identifiers_get_the_same_answers_while_throttled(app, create_account):
    account = create_account()
    known = _answers(app, account.person.employee_code)
    unknown = _answers(app, "CB99999")
    assert known == unknown
    assert [status for status, _ in known] == [401] * 4 + [429] * 4
    assert GENERIC in known[0][1] and "Vui lòng thử lại sau N giây." in known[-1][1]


@pytest.mark.parametrize("target", ["known", "unknown", "invited"])
def test_every_failure_costs_exactly_one_password_hash(app, create_account, create_person, monkeypatch, target):
    account = create_account()
    identifier = {"known": account.person.employee_code, "unknown": "KHONG-CO",
                  "invited": create_person().employee_code}[target]
    db.session.commit()
    calls = []
    real = services.passwords.verify

    def counting(stored, password):
        calls.append(stored.rsplit("$", 2)[0])  # "$argon2id$v=19$m=19456,t=2,p=1": method and cost
        return real(stored, password)

    monkeypatch.setattr(services.passwords, "verify", counting)
    assert _post(app.test_client(), identifier, "sai-mat-khau", OWNER).status_code == 401
    # One check, with the same method and cost parameters as a real hash: the same time.
    assert calls == [account.password_hash.rsplit("$", 2)[0]]


def test_failed_logins_have_no_actor(app, create_account):
    account = create_account()
    _post(app.test_client(), account.person.employee_code, "sai", ATTACKER)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert event.actor_id is None and event.object_id == str(account.id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == account.id)) is None
