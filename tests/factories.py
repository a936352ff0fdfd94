"""Factories shared by every test module (a pytest plugin, see conftest.py)."""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from flask.testing import FlaskClient
from sqlalchemy import select

from learning.auth.models import Account, AccountStatus, Role, RoleGrant
from learning.catalog.models import LessonOpening
from learning.extensions import db
from learning.org.models import Category, Person, Unit, UnitKind
from learning.org.services import place_unit

PASSWORD = "Mat-khau-2026"
# The purpose form every export of personal data asks for (learning/audit/purpose.py).
EXPORT_PURPOSE = {"purpose": "bao-cao", "note": "Công văn 12/SNV"}
_seq = itertools.count(1)


def age_lesson_openings(minutes: int = 60) -> None:
    """Move every recorded lesson opening ``minutes`` into the past (the reading-time gate, issue 18 item 4)."""
    for opening in db.session.scalars(select(LessonOpening)):
        opening.first_opened_at -= timedelta(minutes=minutes)
    db.session.commit()


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
        # Every person has an account from the commit that added them (org.history); reuse it then.
        account = db.session.scalar(select(Account).where(Account.person_id == person.id)) or Account(person=person)
        account.set_password(password)
        account.status = AccountStatus.ACTIVE.value
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


@pytest.fixture
def create_course_version(app):
    """A course with one version and ``lessons`` lessons, built directly through the models."""
    from learning.catalog.models import Course, CourseVersion, Lesson
    from learning.catalog.settings import CourseSettings

    def factory(code: str | None = None, title: str = "Ứng xử văn minh trên mạng xã hội",
                lessons: int = 2, **settings) -> CourseVersion:
        n = next(_seq)
        course = Course(code=code or f"khoa-{n}", position=n)
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course=course, version=1, content_hash=f"h{n}", title=title,
                                summary="Tóm tắt", objectives=["Mục tiêu"], estimated_minutes=30,
                                settings_json=CourseSettings.model_validate(settings).model_dump())
        for i in range(1, lessons + 1):
            version.lessons.append(Lesson(position=i, slug=f"0{i}-bai", title=f"Bài {i}", minutes=5,
                                          body_md="Nội dung", body_html="<p>Nội dung</p>"))
        db.session.add(version)
        db.session.flush()
        course.current_version = version
        db.session.flush()
        return version

    return factory


@pytest.fixture
def create_completion(app, create_course_version):
    """A completed course for a person; certificates are issued by the signal receiver."""
    from learning.catalog.models import Completion
    from learning.catalog.signals import course_completed

    def factory(person: Person, version=None, score: float = 90.0, completed_at=None, notify: bool = True):
        version = version or create_course_version()
        completion = Completion(person_id=person.id, course_id=version.course_id,
                                course_version_id=version.id, score=score)
        if completed_at is not None:
            completion.completed_at = completed_at
        db.session.add(completion)
        db.session.flush()
        if notify:
            course_completed.send(None, completion=completion)
        return completion

    return factory


class Inbox(Message):
    """Keeps every message a local SMTP server receives; refuses the addresses put in ``refuse``."""

    def __init__(self):
        super().__init__()
        self.messages = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp(app, monkeypatch) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free local port, set as the app's mail server."""
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: Controller checks it can connect after start
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    yield inbox
    controller.stop()


@pytest.fixture
def outbox_log(monkeypatch) -> list[str]:
    """The ``To`` of every mail sent through ``learning.notify.mail.Outbox`` (the one way mail leaves)."""
    from learning.notify import mail  # noqa: PLC0415 - only the tests that ask for it

    sent: list[str] = []
    real = mail.Outbox.send

    def send(self, message):
        sent.append(message["To"])
        return real(self, message)

    monkeypatch.setattr(mail.Outbox, "send", send)
    return sent


class RequestScopedClient(FlaskClient):
    """Each request in its own app context, as in production: the tests' shared context would keep the previous
    request's user in ``g`` and hide what the user loader decides."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def request_scoped_clients(app, monkeypatch) -> None:
    """``app.test_client()`` gives a RequestScopedClient (the tests of who the signed-in user is)."""
    monkeypatch.setattr(app, "test_client_class", RequestScopedClient)
