"""A database that drops its connections gives a 503 page in the site's layout, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError

from learning import errors
from learning.extensions import db


@contextmanager
def database_fails(on: str) -> Iterator[None]:
    """Every statement (``on="execute"``) or every commit (``on="commit"``) fails as a lost connection would."""
    engine = db.engine
    lost = engine.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, lost, connection_invalidated=True)

    name = "before_cursor_execute" if on == "execute" else "commit"
    event.listen(engine, name, fail)
    try:
        yield
    finally:
        event.remove(engine, name, fail)


@pytest.mark.parametrize("on", ["execute", "commit"])
def test_a_lost_database_gives_a_503_page_in_the_layout(app, client, login, create_account, monkeypatch, on):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production, not as in TESTING
    login(create_account())
    db.session.commit()
    with database_fails(on):
        response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert 'class="site-header"' in response.text and "Hệ thống tạm thời gián đoạn" in response.text
    assert "Traceback" not in response.text
    assert client.get("/").status_code == 200  # and the next request works again


def test_a_lost_database_on_the_api_answers_json(client):
    with database_fails("execute"):
        response = client.get("/api/v1/people", headers={"Authorization": "Bearer x"})
    assert response.status_code == 503 and response.json["status"] == 503


def test_only_lost_connections_count_as_an_outage():
    """A constraint violation is a bug, shown as the plain 500 page; a refused connection is a 503."""
    assert not errors.is_outage(IntegrityError("INSERT", {}, Exception("duplicate key")))
    assert errors.is_outage(OperationalError("SELECT 1", {}, Exception("connection refused")))
    assert not errors.is_outage(None)
