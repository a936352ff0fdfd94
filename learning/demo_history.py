"""Demo histories: assignments, completions and certificates so that every page has true data.

Runs after the demo organisation and the course content exist. Deterministic and idempotent: it
does nothing when demo assignments already exist.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from learning.assignments import services as assignments
from learning.assignments.models import Assignment
from learning.catalog.models import Completion, Course, LessonProgress
from learning.certification import services as certificates
from learning.certification.models import Certificate
from learning.certification.settings import issue_settings
from learning.core.dates import local_today
from learning.extensions import db
from learning.org.models import Person, Unit

NOTE = "Dữ liệu mẫu"


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(1, 10), rng.randint(0, 59)))  # UTC, i.e. 08:00–17:59 local


def seed(today: date | None = None) -> dict[str, int]:
    today = today or local_today()
    if db.session.scalar(select(Assignment.id).where(Assignment.note == NOTE).limit(1)):
        return {"assignments": 0, "completions": 0, "certificates": 0}
    courses = list(db.session.scalars(select(Course).where(Course.active).order_by(Course.position)))
    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    if not courses or root is None:
        return {"assignments": 0, "completions": 0, "certificates": 0}
    rng = random.Random(7)  # demo data only  # noqa: S311  # nosec B311
    year = today.year
    mandatory = [c for c in courses if c.current_version and c.current_version.settings.audience.all_staff]
    created = []
    for course in mandatory[:4]:
        created.append(assignments.create(by=None, course_id=course.id, unit_id=root.id, categories=[], positions=[],
                                          period=year, starts_on=date(year, 1, 15), due_on=date(year, 10, 31),
                                          recert_months=12, note=NOTE))
        created.append(assignments.create(by=None, course_id=course.id, unit_id=root.id, categories=[], positions=[],
                                          period=year - 1, starts_on=date(year - 1, 3, 1),
                                          due_on=date(year - 1, 11, 30), note=NOTE))
    for course in courses:
        positions = course.current_version.settings.audience.positions if course.current_version else []
        if course not in mandatory and positions:
            created.append(assignments.create(by=None, course_id=course.id, unit_id=root.id, categories=[],
                                              positions=positions, period=year, starts_on=date(year, 2, 1),
                                              due_on=date(year, 12, 15), note=NOTE))
    people = list(db.session.scalars(select(Person).order_by(Person.id)))
    settings = issue_settings()
    completions = certs = 0
    for course in mandatory[:4]:
        version = course.current_version
        for person in people:
            roll = rng.random()
            if person.employee_code == "DEMO-HV":
                roll = {0: 0.1, 1: 0.5, 2: 0.95, 3: 0.99}[mandatory.index(course)]
            if roll < 0.55:  # this year, mostly on time
                day = date(year, 1, 20) + timedelta(days=rng.randint(0, 300))
            elif roll < 0.75:  # last year: certificates expiring or expired around now
                day = today - timedelta(days=365 - rng.randint(-40, 25))
            else:
                continue
            if day > today:
                day = today - timedelta(days=rng.randint(1, 30))
            completion = Completion(person_id=person.id, course_id=course.id, course_version_id=version.id,
                                    score=float(rng.choice([80, 86.7, 93.3, 100])), completed_at=_at(day, rng))
            db.session.add(completion)
            db.session.add_all(LessonProgress(person_id=person.id, course_id=course.id, lesson_slug=lesson.slug,
                                              read_at=completion.completed_at) for lesson in version.lessons)
            db.session.flush()
            certificates.issue(completion, settings, render=False)
            completions += 1
            certs += 1
    first = db.session.scalar(select(Completion).where(Completion.person_id.in_(
        select(Person.id).where(Person.employee_code.like("NV%")))).order_by(Completion.id))
    if first is not None:
        cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == first.id))
        certificates.revoke(cert, "Dữ liệu mẫu: kết quả bị hủy do làm bài hộ", None, via="demo")
    return {"assignments": len(created), "completions": completions, "certificates": certs}
