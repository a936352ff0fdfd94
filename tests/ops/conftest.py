"""Fixtures of the operations tests: whole stacks of real processes.

A stack is a database, a Redis, gunicorn app nodes and a Celery worker, set up with the app's
own commands (``db upgrade``, ``content load``, ``demo seed``) and the small test course. The
scale-out stack uses the machine's PostgreSQL (a fresh database) behind Debian's nginx; the
fault stack starts its own PostgreSQL cluster, so restarting it harms nobody.

Missing nginx, redis-server or PostgreSQL binaries skip these tests with a message;
``REQUIRE_POSTGRES=1`` (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import secrets
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from learning import create_app
from learning.assessment.engine import option_token
from learning.certification.badge_key import ensure_key
from learning.extensions import db
from tests.conftest import POSTGRES_ADMIN_URL, _skip_or_fail
from tests.content_tree import ContentTree
from tests.ops import stack

DEMO_PEOPLE = 40  # ≈30 certificates: an export batch of a few seconds


def need(tool: str) -> str:
    path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if path is None:
        _skip_or_fail("REQUIRE_POSTGRES", f"{tool} is not installed (make test installs it with apt when root)")
    return path


class Stack:
    """The processes of one installation and an in-process app on its database for set-up and checks."""

    def __init__(self, root: Path, database_url: str, redis: stack.RedisServer, **settings: str) -> None:
        self.root = root
        self.logs = root / "logs"
        self.logs.mkdir()
        self.storage = root / "storage"
        self.database_url = database_url
        self.redis = redis
        self.tree = ContentTree(root / "content")
        ensure_key(root / "ob-issuer.pem")
        self.env = stack.app_env(
            APP_ENV="production", SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_SECURE="0",
            DATABASE_URL=database_url, REDIS_URL=redis.url, CONTENT_DIR=str(self.tree.root),
            STORAGE_DIR=str(self.storage), BASE_URL="http://hoctap.test", TRUSTED_PROXIES="1",
            OB_KEY_FILE=str(root / "ob-issuer.pem"),  # production requires its own Open Badges key
            # Production requires MFA of admin and HR; these tests sign the demo HR in with a password only.
            **({"MFA_REQUIRED_ROLES": ""} | settings))
        self.app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_DIR": self.tree.root,
                               "STORAGE_DIR": self.storage, "BASE_URL": "http://hoctap.test", "REDIS_URL": "",
                               "CELERY_BROKER_URL": "", "JOBS_MODE": "sync", "RATELIMIT_STORAGE_URI": "memory://"})
        self.processes: list = []

    def setup_database(self, people: int = DEMO_PEOPLE) -> None:
        runner = self.app.test_cli_runner()
        for args in (["db", "upgrade"], ["content", "load"], ["demo", "seed", "--people", str(people)]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, (args, result.output, result.exception)
        # The right options of every question, read now: the fault tests answer while the database is down.
        self.answer_key = {row.id: [o["id"] for o in row.options if o["correct"]]
                           for row in self.sql("SELECT id, options FROM question")}

    def correct_options(self, attempt_id: int, question_id: int) -> list[str]:
        """The page values of the right options (opaque per attempt: computed with the nodes' secret)."""
        return [option_token(self.env["SECRET_KEY"], attempt_id, question_id, oid)
                for oid in self.answer_key[question_id]]

    def start(self, process):
        self.processes.append(process)
        return process.start()

    def nodes(self, *names: str, workers: int = 2) -> dict[str, stack.AppNode]:
        """App nodes started side by side (each takes a few seconds to boot)."""
        started = {name: stack.AppNode(f"node-{name}", self.logs, self.env, workers=workers) for name in names}
        for node in started.values():
            self.processes.append(node)
            node.launch()
        return {name: node.wait_ready() for name, node in started.items()}

    def worker(self, name: str = "worker") -> stack.Worker:
        return self.start(stack.Worker(name, self.logs, self.env))

    def beat(self) -> stack.Beat:
        return self.start(stack.Beat(self.logs, self.env))

    def sql(self, statement: str, **params) -> list[sa.Row]:
        """Run a query on the stack's database from the test process."""
        with self.app.app_context():
            try:
                return list(db.session.execute(sa.text(statement), params))
            finally:
                db.session.rollback()
                db.session.remove()

    def sql_write(self, statement: str, **params) -> None:
        with self.app.app_context():
            db.session.execute(sa.text(statement), params)
            db.session.commit()
            db.session.remove()

    def scalar(self, statement: str, **params):
        rows = self.sql(statement, **params)
        return rows[0][0] if rows else None

    def close(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        with self.app.app_context():
            db.engine.dispose()

    def logs_text(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.read_text(errors='replace')[-4000:]}"
                         for p in sorted(self.logs.glob("*.log")))


@pytest.fixture(scope="module")
def shared_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL (as in tests/conftest.py)."""
    name = f"learning_ops_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        _skip_or_fail("REQUIRE_POSTGRES", f"PostgreSQL is not reachable: {error.orig}")
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[stack.PostgresCluster]:
    """A PostgreSQL cluster of its own on a spare port, which the fault tests may restart."""
    bindir = stack.postgres_bindir()
    if bindir is None:
        _skip_or_fail("REQUIRE_POSTGRES", "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    cluster = stack.PostgresCluster(bindir).init()
    try:
        cluster.start()
        admin = sa.create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE "learning"'))
        admin.dispose()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory) -> Iterator[stack.RedisServer]:
    """A Redis of its own on a spare port (rate limits, cache and broker of the stack)."""
    need("redis-server")
    server = stack.RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


def build_stack(tmp_path_factory, database_url: str, redis: stack.RedisServer, people: int = DEMO_PEOPLE,
                **settings: str) -> Stack:
    built = Stack(tmp_path_factory.mktemp("stack"), database_url, redis, **settings)
    built.setup_database(people)
    return built


@pytest.fixture
def on_failure_show_logs(request):
    """Print the processes' logs when a test fails (use with the stack of the module)."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for name in ("scaleout", "faults"):
            if name in request.fixturenames:
                print(request.getfixturevalue(name).logs_text())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report

