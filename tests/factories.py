"""Factories shared by every test module (a pytest plugin, see conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from learning.auth.models import Account, Role, RoleGrant
from learning.extensions import db
from learning.org.models import Category, Person, Unit, UnitKind
from learning.org.services import place_unit

PASSWORD = "Mat-khau-2026"
_seq = itertools.count(1)


@pytest.fixture
def create_unit(app) -> Callable[..., Unit]:
    def factory(name: str | None = None, *, parent: Unit | None = None, kind: str = UnitKind.OFFICE,
                code: str | None = None, **fields) -> Unit:
        n = next(_seq)
        unit = Unit(code=code or f"U{n}", name=name or f"Đơn vị {n}", kind=kind, **fields)
        place_unit(unit, parent)
        db.session.flush()
        return unit

    return factory


@pytest.fixture
def province(create_unit) -> Unit:
    return create_unit("Ủy ban nhân dân tỉnh Thử nghiệm", kind=UnitKind.PROVINCE, code="TN")


@pytest.fixture
def create_person(app, province) -> Callable[..., Person]:
    def factory(full_name: str = "Nguyễn Văn An", *, unit: Unit | None = None, code: str | None = None,
                category: str = Category.CIVIL_SERVANT, **fields) -> Person:
        n = next(_seq)
        middle, _, given = full_name.rpartition(" ")
        person = Person(employee_code=code or f"CB{n:05d}", middle_name=middle, given_name=given,
                        unit=unit or province, category=category, **fields)
        db.session.add(person)
        db.session.flush()
        return person

    return factory


@pytest.fixture
def create_account(app, create_person) -> Callable[..., Account]:
    def factory(*roles: Role | tuple[Role, Unit | None], person: Person | None = None,
                password: str = PASSWORD, **person_fields) -> Account:
        person = person or create_person(**person_fields)
        account = Account(person=person)
        account.set_password(password)
        db.session.add(account)
        for role in roles:
            role, scope = role if isinstance(role, tuple) else (role, None)
            account.grants.append(RoleGrant(role=role.value, unit=scope))
        db.session.commit()
        return account

    return factory


@pytest.fixture
def login(client: FlaskClient) -> Callable[[Account], FlaskClient]:
    def do_login(account: Account, password: str = PASSWORD) -> FlaskClient:
        response = client.post("/dang-nhap", data={"identifier": account.person.employee_code,
                                                   "password": password})
        assert response.status_code == 302, response.text[:500]
        return client

    return do_login
