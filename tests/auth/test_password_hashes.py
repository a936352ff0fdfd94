"""argon2id password hashes; older werkzeug hashes still sign in and are upgraded (issue 19, item 6)."""

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from learning.auth import passwords
from learning.auth.models import Account
from learning.extensions import db
from tests.factories import PASSWORD


def _login(client, account, password):
    return client.post("/dang-nhap", data={"identifier": account.person.employee_code, "password": password})


def _stored(account_id):
    db.session.expire_all()
    return db.session.scalar(select(Account.password_hash).where(Account.id == account_id))


def test_new_hashes_are_argon2id_at_owasp_parameters(create_account):
    account = create_account()
    assert account.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert account.check_password(PASSWORD) and not account.check_password(PASSWORD + "x")
    assert not passwords.needs_rehash(account.password_hash)
    assert account.password_hash != passwords.hash_password(PASSWORD)  # salted


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256"])
def test_an_old_hash_signs_in_and_is_rehashed(client, create_account, method):
    account = create_account()
    account.password_hash = generate_password_hash(PASSWORD, method=method)
    changed_at = account.password_changed_at
    db.session.commit()
    old = _stored(account.id)
    assert old.startswith(method.split(":")[0]) and passwords.needs_rehash(old)

    response = _login(client, account, PASSWORD)

    assert response.status_code == 302 and response.location == "/"
    new = _stored(account.id)
    assert new.startswith("$argon2id$") and not passwords.needs_rehash(new)
    assert passwords.verify(new, PASSWORD)
    assert db.session.get(Account, account.id).password_changed_at == changed_at  # not a password change
    client.post("/dang-xuat")
    assert _login(client, account, PASSWORD).status_code == 302  # the new hash signs in too
    assert _stored(account.id) == new  # and is not hashed again


def test_a_wrong_password_fails_and_leaves_an_old_hash_alone(client, create_account):
    account = create_account()
    account.password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.session.commit()
    old = _stored(account.id)
    assert _login(client, account, PASSWORD + "-sai").status_code == 401
    assert _stored(account.id) == old


def test_a_wrong_password_fails_against_argon2id(client, create_account):
    account = create_account()
    db.session.commit()
    assert _login(client, account, "sai-mat-khau").status_code == 401
    assert not passwords.verify(account.password_hash, "sai-mat-khau")
    assert not passwords.verify("$argon2id$v=19$m=19456,t=2,p=1$garbage", PASSWORD)  # a damaged hash


def test_a_hash_with_weaker_parameters_is_upgraded(client, create_account):
    account = create_account()
    weak = passwords.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    account.password_hash = weak
    db.session.commit()
    assert passwords.needs_rehash(weak)
    assert _login(client, account, PASSWORD).status_code == 302
    assert _stored(account.id).startswith("$argon2id$v=19$m=19456,t=2,p=1$")
