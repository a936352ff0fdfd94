"""A page needs one round of queries, not one per row: the main pages issue the same number of
SQL statements whatever the number of people, units, courses, completions and certificates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from learning.assessment.models import Attempt
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.catalog.loader import load_content
from learning.catalog.models import Course, LessonProgress
from learning.certification.models import Certificate
from learning.extensions import db
from learning.org.models import Category

YEAR = date.today().year


class QueryCounter:
    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0

    def _before(self, *_args) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


@pytest.fixture
def world(app, tree, province, create_unit, create_account, create_person, create_completion,
          create_course_version):
    """A learner part-way through a course with an open quiz, HR and a PAR assessor, and ``grow``,
    which adds units, people, courses, completions, certificates, attempts and lesson progress."""
    load_content(tree.root)
    db.session.commit()
    course = db.session.scalar(select(Course).where(Course.code == "khoa-thu"))
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    learner = create_account(unit=create_unit("Văn phòng Sở", parent=dept))
    hr = create_account(Role.HR)
    assessor = create_account(Role.PAR_ASSESSOR)
    versions = [course.current_version]
    assignment_services.create(by=None, course_id=course.id, unit_id=province.id, categories=[], positions=[],
                               period=YEAR, starts_on=date(YEAR, 1, 1), due_on=date(YEAR, 12, 31))
    db.session.add(LessonProgress(person_id=learner.person_id, course_id=course.id, lesson_slug="01-bai-mot"))
    db.session.commit()
    clients = {}
    for name, account in (("learner", learner), ("hr", hr), ("assessor", assessor)):
        clients[name] = app.test_client()
        with app.app_context():
            response = clients[name].post("/dang-nhap", data={"identifier": account.person.employee_code,
                                                              "password": "Mat-khau-2026"})
        assert response.status_code == 302
    with app.app_context():
        assert clients["learner"].post("/khoa-hoc/khoa-thu/kiem-tra/bat-dau").status_code == 302
    attempt = db.session.scalar(select(Attempt).where(Attempt.person_id == learner.person_id))
    rounds = iter(range(1, 100))

    def grow(units: int = 3, people: int = 4) -> None:
        n = next(rounds)
        extra = create_course_version(code=f"them-{n}", title=f"Khóa thêm {n}")
        versions.append(extra)
        assignment_services.create(by=None, course_id=extra.course_id, unit_id=province.id, categories=[],
                                   positions=[], period=YEAR, starts_on=date(YEAR, 1, 1),
                                   due_on=date(YEAR, 3, 31))
        for u in range(units):
            parent = create_unit(f"Xã {n}-{u}", parent=province, kind="xa_phuong")
            office = create_unit(f"Văn phòng {n}-{u}", parent=parent)
            for p in range(people):
                person = create_person(f"Trần Thị Người{n}{u}{p}", unit=office if p % 2 else parent,
                                       category=Category.PUBLIC_EMPLOYEE if p % 3 else Category.CIVIL_SERVANT)
                for version in versions[: 1 + p % len(versions)]:
                    create_completion(person, version, score=85 + p, completed_at=datetime(YEAR, 2, 1 + p))
                db.session.add(LessonProgress(person_id=person.id, course_id=course.id, lesson_slug="01-bai-mot"))
        # The learner's own history grows too: a completion (and certificate) of an extra course.
        create_completion(learner.person, extra, score=95, completed_at=datetime(YEAR, 2, 2))
        db.session.commit()

    return {"clients": clients, "attempt": attempt, "grow": grow, "dept": dept}


PAGES = [
    ("learner", "/"),
    ("learner", "/hoc-tap"),
    ("learner", "/khoa-hoc/khoa-thu"),
    ("learner", "/khoa-hoc/khoa-thu/bai/01-bai-mot"),
    ("learner", "/bai-lam/{attempt}/trang/1"),
    ("learner", "/chung-nhan"),
    ("hr", "/"),
    ("hr", "/tuan-thu"),
    ("hr", "/tuan-thu?don-vi={dept}"),
    ("hr", "/tuan-thu/can-bo"),
    ("hr", "/can-bo"),
    ("hr", "/don-vi"),
    ("hr", "/quan-ly/chung-nhan"),
    ("assessor", "/cchc"),
    (None, "/xac-thuc/{code}"),
]


def _counts(app, world) -> dict[str, int]:
    code = db.session.scalar(select(Certificate.code).order_by(Certificate.id).limit(1))
    counts = {}
    for who, template in PAGES:
        url = template.format(attempt=world["attempt"].id, dept=world["dept"].id, code=code)
        client = world["clients"][who] if who else app.test_client()
        # A fresh app context per request, as in production (Flask-Login keeps the user on ``g``).
        with app.app_context(), QueryCounter(db.engine) as counter:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[f"{who} {template}"] = counter.count
    return counts


def test_main_pages_issue_the_same_number_of_queries_at_two_data_sizes(app, world):
    world["grow"](units=1, people=2)
    _counts(app, world)  # warm up: the first PAR view loads the shipped rubric, and so on
    small = _counts(app, world)
    world["grow"](units=6, people=8)
    world["grow"](units=4, people=6)
    large = _counts(app, world)
    assert db.session.scalar(select(Certificate.id).order_by(Certificate.id.desc()).limit(1)) > 100
    assert large == small
    assert max(small.values()) <= 30, small  # the PAR table: rubric, snapshots (incl. unfrozen), names as of the period


# Issue 19 item 2: who the signed-in user is costs one statement per request (the principal's stamp, read by
# primary key: account ⋈ person); the full account is loaded only by pages that need more than the principal.
# 9 before (the user loader's account ⋈ person ⋈ unit, its role grants, and the full account again for the
# navigation), 3 now: the principal's stamp row (issue 19 item 2), the lesson state — course, version, opening
# and lessons read in one statement, the content itself from the per-version cache (item 3) — and the unread
# notices.
LESSON_PAGE_STATEMENTS = 3


def test_signed_in_lesson_page_statements(app, world):
    client = world["clients"]["learner"]
    client.get("/khoa-hoc/khoa-thu/bai/01-bai-mot")  # warm up (the principal is stored in the session)
    with app.app_context(), QueryCounter(db.engine) as counter:
        response = client.get("/khoa-hoc/khoa-thu/bai/01-bai-mot")
    assert response.status_code == 200
    assert counter.count == LESSON_PAGE_STATEMENTS
