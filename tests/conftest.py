"""Test set-up: every database test runs on SQLite and on PostgreSQL.

PostgreSQL tests need a server at ``TEST_POSTGRES_URL`` (default: the local one); without it
they are skipped with a message, unless ``REQUIRE_POSTGRES=1`` turns the skip into a failure.
Each test session creates its own database and drops it at the end.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from learning import create_app
from learning.catalog import content_cache
from learning.extensions import db, limiter

pytest_plugins = ["tests.factories", "tests.content_tree", "tests.ldap_server"]

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _required(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0", "false")


def _skip_or_fail(variable: str, reason: str) -> None:
    if _required(variable):
        pytest.fail(f"{reason} ({variable}=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session."""
    name = f"learning_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        _skip_or_fail("REQUIRE_POSTGRES", f"PostgreSQL is not reachable: {error.orig}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_test_app(url: str, **overrides: object) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "BASE_URL": "http://verify.test",
        "MAIL_SERVER": "",
        "JOBS_MODE": "sync",  # background tasks run at commit, in their own app context
        # Unsigned unless a test configures a key (the demo key of a developer's instance/ is ignored).
        "SIGN_PKCS12_FILE": "", "SIGN_PKCS12_PASSWORD": "", "SIGN_DEMO_PKCS12": "",
        # The Open Badges key is generated on first use: in a folder of its own, never the developer's instance/.
        "OB_KEY_FILE": str(Path(tempfile.mkdtemp(prefix="learning-ob-key-")) / "ob-issuer.pem"),
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    # The Open Badges issuer key is generated on first use, in this session's own folder.
    ob_key = str(tmp_path_factory.mktemp("ob-key") / "ob-issuer.pem")
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        return make_test_app(f"sqlite:///{path}", OB_KEY_FILE=ob_key)
    return make_test_app(request.getfixturevalue("postgres_url"), OB_KEY_FILE=ob_key)


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # course ↔ course_version is a cycle
            conn.commit()
            for table in tables:
                conn.execute(table.delete())
            conn.commit()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    db.session.commit()


@pytest.fixture
def app(backend: Flask) -> Iterator[Flask]:
    """The app of the current backend, inside an app context, emptied after the test."""
    with backend.app_context():
        limiter.reset()
        backend.config["WTF_CSRF_ENABLED"] = False
        try:
            yield backend
        finally:
            db.session.rollback()
            _empty_all_tables()
            content_cache.clear()  # ids are reused once the tables are empty
            db.session.remove()


@pytest.fixture
def client(app: Flask):
    return app.test_client()
