"""Single-use secrets (``auth.tokens``) and the password policy (issue 14, items 2 and 3)."""

from datetime import timedelta

import pytest

from learning.auth import tokens
from learning.auth.models import AccountToken, TokenPurpose
from learning.auth.services import password_problem
from learning.core.dates import utcnow
from learning.extensions import db

INVITE = TokenPurpose.INVITATION


def test_a_secret_is_stored_only_as_its_hash_and_works_once(app, create_account):
    account = create_account()
    secret, token = tokens.issue(account, INVITE, timedelta(days=7))
    db.session.commit()
    assert secret not in token.token_hash and token.token_hash == tokens.digest(secret)
    found = tokens.find(secret, INVITE)
    assert found is not None and found.account_id == account.id
    assert tokens.find(secret, TokenPurpose.PASSWORD_RESET) is None  # a link of one kind opens nothing else
    assert tokens.consume(found) is True
    assert tokens.consume(found) is False  # the second click of a double click
    assert tokens.find(secret, INVITE) is None


def test_an_expired_or_forged_secret_opens_nothing(app, create_account):
    account = create_account()
    secret, token = tokens.issue(account, INVITE, timedelta(days=7))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert tokens.find(secret, INVITE) is None
    assert tokens.consume(token) is False
    assert tokens.find(secret[:-1] + ("A" if secret[-1] != "A" else "B"), INVITE) is None
    assert tokens.find("", INVITE) is None and tokens.find("x" * 500, INVITE) is None


def test_a_new_secret_retires_the_earlier_ones(app, create_account):
    account = create_account()
    first, _ = tokens.issue(account, INVITE, timedelta(days=7))
    second, _ = tokens.issue(account, INVITE, timedelta(days=7))
    reset, _ = tokens.issue(account, TokenPurpose.PASSWORD_RESET, timedelta(hours=1))
    db.session.commit()
    assert tokens.find(first, INVITE) is None
    assert tokens.find(second, INVITE) is not None
    assert tokens.find(reset, TokenPurpose.PASSWORD_RESET) is not None  # other purposes untouched
    assert tokens.latest(account, INVITE).token_hash == tokens.digest(second)


def test_letter_codes_are_typed_back_however_they_are_spaced(app, create_account):
    account = create_account()
    code = tokens.new_code()
    assert len(code) == 11 and code[5] == "-" and not set(code) & set("01OIL")
    tokens.issue(account, TokenPurpose.LETTER, timedelta(days=30), secret=code)
    db.session.commit()
    typed = code.lower().replace("-", " ")
    assert tokens.find_for_account(account, tokens.normalise_code(typed), TokenPurpose.LETTER) is not None
    assert tokens.find_for_account(account, tokens.normalise_code("AAAAA-AAAAA"), TokenPurpose.LETTER) is None
    assert db.session.query(AccountToken).filter_by(token_hash=code).count() == 0


@pytest.mark.parametrize("password", ["password123", "Matkhau@2026", "Quangninh2026", "Anhyeuem123",
                                      "12345678901", "aaaaaaaaaaaa", "qwertyuiop12"])
def test_common_and_guessable_passwords_are_refused(app, password):
    with app.test_request_context():
        assert "dễ đoán" in password_problem(password)


def test_the_persons_own_details_make_a_password_guessable(app, create_person):
    person = create_person("Nguyễn Văn Hùng")
    with app.test_request_context():
        assert password_problem("NguyenVanHung") is None  # unknown person: a name is not obviously guessed
        assert "dễ đoán" in password_problem("NguyenVanHung", person)
        assert "mã cán bộ" in password_problem(f"{person.employee_code}-abcdef", person)


@pytest.mark.parametrize("password", ["Mat-khau-2026", "moi-2026-abc", "Hoa-sen-tim-nở-sớm", "correct horse battery"])
def test_phrases_and_uncommon_passwords_are_accepted(app, password):
    with app.test_request_context():
        assert password_problem(password) is None


def test_short_passwords_say_how_long_they_must_be(app):
    with app.test_request_context():
        assert "10" in password_problem("Ab1-xyz")
