"""Shared pieces of the benchmarks: a fresh database, synthetic courses and histories, the machine.

Every benchmark builds its own database (PostgreSQL: ``bench_<name>_<random>`` on the server of
``BENCH_POSTGRES_URL``, default the local one, dropped at the end; SQLite: a temporary file) and
never depends on what an earlier run left.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import func, insert, select, text, update  # noqa: E402

from learning.assessment.models import Question  # noqa: E402
from learning.assignments import services as assignment_services  # noqa: E402
from learning.auth.models import Account, AccountStatus  # noqa: E402
from learning.catalog.models import Completion, Course, CourseVersion, Lesson, LessonProgress  # noqa: E402
from learning.catalog.settings import CourseSettings  # noqa: E402
from learning.certification.models import Certificate, SerialCounter  # noqa: E402
from learning.certification.services import new_code  # noqa: E402
from learning.core.dates import utcnow  # noqa: E402
from learning.extensions import db  # noqa: E402
from learning.org.models import Person, Unit  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL",
                           os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
BENCH_PASSWORD = "Bench@2026-hoc-tap"  # noqa: S105 - synthetic learners of a throw-away database
LESSONS_PER_COURSE = 4
QUESTIONS_PER_COURSE = 20
QUESTIONS_DRAWN = 10

PARAGRAPH = ("Cán bộ, công chức, viên chức khi sử dụng mạng xã hội phải tuân thủ quy định của pháp luật, "
             "giữ gìn hình ảnh của cơ quan, đơn vị; không đăng tải, chia sẻ thông tin chưa được kiểm chứng, "
             "thông tin thuộc bí mật nhà nước hoặc dữ liệu cá nhân của người dân khi chưa được phép. ")


# --- the machine -------------------------------------------------------------------------------------

def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        with open("/proc/meminfo") as info:
            mem = int(next(line.split()[1] for line in info if line.startswith("MemTotal"))) / 1024 / 1024
    except (OSError, StopIteration):
        mem = 0
    pg = ""
    try:
        engine = sa.create_engine(ADMIN_URL)
        with engine.connect() as conn:
            pg = ", PostgreSQL " + conn.execute(text("SHOW server_version")).scalar().split()[0]
        engine.dispose()
    except sa.exc.SQLAlchemyError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}{pg}; "
            f"reference loop {reference_loop():.2f} s; {date.today():%Y-%m-%d}")


def reference_loop() -> float:
    """Seconds for 10 million Python additions (best of 3): how fast this (shared, virtual) machine is now.

    Runs on the same machine type differ by up to 2× from one day to the next; compare this figure
    before comparing two runs.
    """
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def rss_mb(pid: int | None = None) -> float:
    with open(f"/proc/{pid or 'self'}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "pass" if ok else "**miss**"


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- databases ---------------------------------------------------------------------------------------

@dataclass
class Database:
    url: str
    kind: str  # postgresql | sqlite


@contextmanager
def fresh_database(kind: str, name: str) -> Iterator[Database]:
    """A new, empty database, removed afterwards whatever happens."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix=f"bench_{name}_"))
        try:
            yield Database(f"sqlite:///{folder / 'bench.sqlite3'}", "sqlite")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    dbname = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    try:
        yield Database(ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}", "postgresql")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


def migrate(url: str) -> None:
    """``flask db upgrade`` in a child process (keeps Alembic's logging out of the tables)."""
    env = os.environ | {"DATABASE_URL": url, "FLASK_APP": "wsgi"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def analyze() -> None:
    """Fresh planner statistics after bulk loading, as autovacuum would give a live PostgreSQL database.

    SQLite gets none: nothing in the application runs ANALYZE there, so the bench measures SQLite as it
    runs. (With statistics of a small exemption table, SQLite's planner scans the latest-completions
    subquery once per enrolment instead of building an automatic index on it: 10 s for the dashboard of
    1,500 people instead of 0.4 s.)"""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


# --- synthetic content and histories -----------------------------------------------------------------

def synthetic_courses(n: int = 6, prefix: str = "bench") -> list[CourseVersion]:
    """``n`` courses of four lessons (about 3 KB of HTML each) and 20 single-choice questions."""
    settings = CourseSettings.model_validate({
        "quiz": {"questions": QUESTIONS_DRAWN, "pass_mark": 80, "max_attempts": 0, "cooldown_minutes": 0,
                 "time_limit_minutes": 60}}).model_dump()
    versions = []
    start = db.session.scalar(select(func.coalesce(func.max(Course.position), 0))) + 1
    for i in range(n):
        course = Course(code=f"{prefix}-{i + 1}", position=start + i)
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course=course, version=1, content_hash=f"{prefix}{i}", title=f"Khóa học số {i + 1}",
                                summary="Khóa học tổng hợp cho đo hiệu năng.", objectives=["Nắm quy định"],
                                estimated_minutes=40, settings_json=settings)
        body = "".join(f"<h2>Mục {k}</h2><p>{PARAGRAPH * 3}</p>" for k in range(1, 5))
        version.lessons = [Lesson(position=j, slug=f"0{j}-bai-{j}", title=f"Bài {j}: quy định và tình huống",
                                  minutes=8, body_md=PARAGRAPH, body_html=body)
                           for j in range(1, LESSONS_PER_COURSE + 1)]
        db.session.add(version)
        db.session.flush()
        for q in range(1, QUESTIONS_PER_COURSE + 1):
            db.session.add(Question(
                course_version_id=version.id, key=f"q{q:02d}", group_key=f"q{q:02d}", position=q, kind="single",
                lesson_slug=f"0{1 + q % LESSONS_PER_COURSE}-bai-{1 + q % LESSONS_PER_COURSE}", difficulty=1,
                tags=[], stem=f"Câu {q}: trong tình huống này, cán bộ nên làm gì?",
                options=[{"id": o, "text": f"Phương án {o.upper()}", "correct": o == "a",
                          "feedback": "Đúng." if o == "a" else "Chưa đúng."} for o in "abcd"],
                explanation="Theo quy định.", cite=[]))
        course.current_version = version
        versions.append(version)
    db.session.flush()
    return versions


def bench_versions(prefix: str = "bench") -> list[CourseVersion]:
    """The current versions of the synthetic courses, loaded in the current session."""
    return list(db.session.scalars(select(CourseVersion).join(Course, Course.current_version_id == CourseVersion.id)
                                   .where(Course.code.like(f"{prefix}-%")).order_by(Course.position)))


def assign_province_wide(versions: list[CourseVersion], year: int) -> None:
    root = db.session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    for version in versions:
        assignment_services.create(by=None, course_id=version.course_id, unit_id=root, categories=[], positions=[],
                                   period=year, starts_on=date(year, 1, 1), due_on=date(year, 9, 30))


def seed_lifecycle(year: int, move_every: int = 20, join_every: int = 33, exempt_every: int = 50) -> dict[str, int]:
    """People over time on top of the synthetic province, as issue 15 counts them: every ``move_every``-th
    person moved to another unit on 1 July (a new membership row, ``record_moves``), every ``join_every``-th
    joined on 15 September (their own due date: 30 days from joining), and every ``exempt_every``-th has an
    approved exemption (maternity leave) from the year's first assignment."""
    from learning.assignments.models import Assignment, Exemption, ExemptionKind, ExemptionReason, ExemptionStatus
    from learning.org.history import record_moves

    units = list(db.session.scalars(select(Unit.id).where(Unit.parent_id.is_not(None), Unit.valid_to.is_(None))
                                    .order_by(Unit.id)))
    people = db.session.execute(select(Person.id, Person.unit_id).where(Person.active.is_(True))
                                .order_by(Person.id)).all()
    following = {unit_id: units[(i + 1) % len(units)] for i, unit_id in enumerate(units)}
    moves = [(person_id, following[unit_id], date(year, 7, 1)) for person_id, unit_id in people
             if person_id % move_every == 0 and unit_id in following]
    moved = record_moves(db.session, moves)
    joiners = db.session.execute(update(Person).where(Person.id % join_every == 3, Person.active.is_(True))
                                 .values(joined_on=date(year, 9, 15))).rowcount
    first = db.session.scalar(select(Assignment.id).where(Assignment.period == year).order_by(Assignment.id))
    now = utcnow()
    rows = [{"person_id": person_id, "assignment_id": first, "kind": ExemptionKind.EXEMPT.value,
             "reason": ExemptionReason.MATERNITY.value, "note": "", "evidence": "", "decision_note": "",
             "status": ExemptionStatus.APPROVED.value, "requested_at": now, "decided_at": now}
            for person_id, _unit in people if person_id % exempt_every == 1]
    for chunk in range(0, len(rows), 10000):
        db.session.execute(insert(Exemption), rows[chunk:chunk + 10000])
    db.session.commit()
    return {"moved": moved, "joiners": joiners, "exempt": len(rows)}


def seed_histories(versions: list[CourseVersion], year: int, share: int = 6, min_person_id: int = 0,
                   placeholder_pdfs: bool = False) -> int:
    """Completions (with their certificates) for about share/10 of people × courses.

    The PDFs are left to render, or with ``placeholder_pdfs`` stored as a few bytes, so that the
    background sweep of an HTTP benchmark renders only the certificates issued during the run (a live
    database has the PDFs of its past certificates).
    """
    people = db.session.execute(select(Person.id, Person.middle_name, Person.given_name, Person.unit_id, Unit.name)
                                .join(Unit, Unit.id == Person.unit_id).where(Person.id > min_person_id)
                                .order_by(Person.id)).all()
    completions = []
    for k, (person_id, *_rest) in enumerate(people):
        for i, version in enumerate(versions):
            if (person_id * 7 + i * 3) % 10 < share:
                completions.append({"person_id": person_id, "course_id": version.course_id,
                                    "course_version_id": version.id, "score": 80 + (k + i) % 21,
                                    "completed_at": datetime(year, 1 + (k + i) % 8, 1 + k % 27, 2, 30)})
    for chunk in range(0, len(completions), 10000):
        db.session.execute(insert(Completion), completions[chunk:chunk + 10000])
    db.session.flush()
    # Certificates as issue() would write them (serials gap-free per year), without the PDFs.
    rows = db.session.execute(
        select(Completion.id, Completion.person_id, Completion.course_id, Completion.course_version_id,
               Completion.score, Completion.completed_at)
        .outerjoin(Certificate, Certificate.completion_id == Completion.id)
        .where(Certificate.id.is_(None), Completion.person_id > min_person_id).order_by(Completion.id)).all()
    names = {p[0]: (f"{p[1]} {p[2]}".strip(), p[3], p[4]) for p in people}
    titles = {v.course_id: (v.title, v.version) for v in versions}
    prefix = f"QN-{year}"
    counter = db.session.get(SerialCounter, prefix)
    if counter is None:
        counter = SerialCounter(prefix=prefix, last=0)
        db.session.add(counter)
        db.session.flush()
    last = counter.last
    certificates = []
    for completion_id, person_id, course_id, version_id, score, completed_at in rows:
        last += 1
        name, unit_id, unit_name = names[person_id]
        certificates.append({
            "serial": f"{prefix}-{last:06d}", "code": new_code(), "person_id": person_id, "course_id": course_id,
            "course_version_id": version_id, "completion_id": completion_id, "person_name": name,
            "unit_id": unit_id, "unit_name": unit_name, "course_title": titles[course_id][0],
            "course_version_number": titles[course_id][1], "score": score, "issued_at": completed_at,
            "valid_until": (completed_at + timedelta(days=365)).date(), "pdf_sha256": "",
            "stored_status": "revoked" if completion_id % 97 == 0 else "valid", "revoke_reason": ""})
    for chunk in range(0, len(certificates), 10000):
        db.session.execute(insert(Certificate), certificates[chunk:chunk + 10000])
    db.session.execute(update(SerialCounter).where(SerialCounter.prefix == prefix).values(last=last))
    if placeholder_pdfs:
        db.session.execute(text(
            "INSERT INTO certificate_file (certificate_id, pdf) SELECT c.id, :pdf FROM certificate c "
            "LEFT JOIN certificate_file f ON f.certificate_id = c.id WHERE f.certificate_id IS NULL"),
            {"pdf": b"%PDF-1.7 placeholder of a past certificate"})
    db.session.commit()
    return len(completions)


def learner_accounts(count: int, min_person_id: int = 0) -> list[str]:
    """Log-in accounts for the first ``count`` active people, all with BENCH_PASSWORD (hashed once)."""
    template = Account(person_id=0)
    template.set_password(BENCH_PASSWORD)
    people = db.session.execute(select(Person.id, Person.employee_code).where(
        Person.active.is_(True), Person.employee_code.like("NV%"), Person.id > min_person_id)
        .order_by(Person.id).limit(count)).all()
    # Every person has an account from the commit that added them (learning.auth.receivers): set its password.
    have = set(db.session.scalars(select(Account.person_id)))
    rows = [{"person_id": pid, "password_hash": template.password_hash, "status": AccountStatus.ACTIVE.value,
             "must_change_password": False, "created_at": utcnow()} for pid, _code in people if pid not in have]
    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(Account), rows[chunk:chunk + 5000])
    ids = [pid for pid, _code in people if pid in have]
    for chunk in range(0, len(ids), 5000):
        db.session.execute(update(Account).where(Account.person_id.in_(ids[chunk:chunk + 5000])).values(
            password_hash=template.password_hash, status=AccountStatus.ACTIVE.value, disabled_reason=None))
    db.session.commit()
    return [code for _pid, code in people]


def lessons_read_for(person_ids: Sequence[int], versions: list[CourseVersion]) -> None:
    rows = [{"person_id": pid, "course_id": v.course_id, "lesson_slug": lesson.slug}
            for pid in person_ids for v in versions for lesson in v.lessons]
    for chunk in range(0, len(rows), 10000):
        db.session.execute(insert(LessonProgress), rows[chunk:chunk + 10000])
    db.session.commit()
