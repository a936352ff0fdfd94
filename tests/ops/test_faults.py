"""Faults the site must survive: a Celery worker killed mid-batch, Redis stopped, PostgreSQL restarted.

The stack has its own PostgreSQL cluster and its own Redis, so stopping them harms no other test
and none of the machine's servers. One gunicorn node, one Celery worker (a beat when a test needs one).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import threading
import time
import traceback
import zipfile
from collections import Counter

import pytest
import requests
from sqlalchemy import select

from learning.auth.models import Account
from learning.catalog.models import Course, LessonProgress
from learning.extensions import db
from learning.org.models import Category, Person, Unit
from tests.ops import stack
from tests.ops.conftest import build_stack
from tests.ops.site import PASSWORD, Visitor, forms_of, path_of, take_quiz

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
LAYOUT = 'class="site-header"'
OUTAGE = "Hệ thống tạm thời gián đoạn"


@pytest.fixture(scope="module")
def faults(own_postgres, own_redis, tmp_path_factory):
    # ≈75 certificates: an export of three chunks and more, long enough to be killed in the middle
    site = build_stack(tmp_path_factory, own_postgres.url("learning"), own_redis, people=100,
                       LOGIN_RATE_LIMIT="1000 per minute",
                       JOBS_SWEEP_SECONDS="2", JOBS_STALE_SECONDS="3", CELERY_VISIBILITY_TIMEOUT="8")
    site.postgres = own_postgres
    try:
        site.node = site.nodes("a")["a"]
        site.celery = site.worker()
        yield site
    finally:
        site.close()


def request_export(site, hr: Visitor) -> int:
    requested = hr.submit("/quan-ly/chung-nhan", r"/quan-ly/chung-nhan/xuat$", {"purpose": "ho-so"})
    assert requested.status_code == 302, requested.text[-800:]
    return int(re.search(r"/cong-viec/(\d+)", path_of(requested)).group(1))


def job_of(site, job_id: int):
    return site.sql("SELECT status, done, total, params, result_path FROM job WHERE id = :id", id=job_id)[0]


def check_archive(site, hr: Visitor, job_id: int) -> None:
    """The ZIP holds each certificate once, under its serial, with the PDF whose SHA-256 is on record."""
    download = hr.get(f"/cong-viec/{job_id}/tai-ve")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert len(names) == len(set(names))
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    expected = {r.serial: r.pdf_sha256 for r in site.sql("SELECT serial, pdf_sha256 FROM certificate")}
    assert sorted(names) == sorted([f"{s}.pdf" for s in expected] + ["danh-sach-chung-nhan.xlsx"])
    for serial, digest in expected.items():
        assert hashlib.sha256(archive.read(f"{serial}.pdf")).hexdigest() == digest


def serials_are_gap_free(site) -> None:
    numbers: dict[str, list[int]] = {}
    for (serial,) in site.sql("SELECT serial FROM certificate"):
        prefix, _, number = serial.rpartition("-")
        numbers.setdefault(prefix, []).append(int(number))
    for prefix, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), prefix
    counters = dict(site.sql("SELECT prefix, last FROM serial_counter"))
    assert counters == {prefix: len(found) for prefix, found in numbers.items()}


def start_slow_batch(site, hr: Visitor) -> tuple[int, int]:
    """Start an export that renders every PDF (as before the render sweep) and wait until it is well inside."""
    site.sql_write("DELETE FROM certificate_file")
    job_id = request_export(site, hr)
    stack.wait_until(lambda: job_of(site, job_id).done > 0, 60, "the first chunk of the export", interval=0.1)
    job = job_of(site, job_id)
    assert job.status == "running" and job.done < job.total - 25, job
    return job_id, len(site.sql("SELECT id FROM certificate"))


def test_a_pool_process_killed_mid_batch_is_replaced_and_the_batch_completes(faults, on_failure_show_logs):
    hr = Visitor(faults.node.url)
    assert hr.log_in("DEMO-TCCB").status_code == 302
    before = faults.sql("SELECT prefix, last FROM serial_counter")
    job_id, certificates = start_slow_batch(faults, hr)
    (pool,) = faults.celery.pool_pids()
    os.kill(pool, signal.SIGKILL)  # what the OOM killer does

    stack.wait_until(lambda: job_of(faults, job_id).status == "done", 60, "the export to finish on retry",
                     interval=0.2)
    assert job_of(faults, job_id).params["runs"] == 2
    assert "SIGKILL" in faults.celery.process.log()
    check_archive(faults, hr, job_id)
    assert faults.sql("SELECT prefix, last FROM serial_counter") == before
    assert len(faults.sql("SELECT id FROM certificate")) == certificates


def test_a_worker_killed_outright_mid_batch_leaves_the_batch_to_the_next_worker(faults, on_failure_show_logs):
    hr = Visitor(faults.node.url)
    assert hr.log_in("DEMO-TCCB").status_code == 302
    job_id, certificates = start_slow_batch(faults, hr)
    faults.celery.process.kill(signal.SIGKILL)  # the worker and its pool, as when the machine is lost
    faults.celery.process.proc.wait(10)
    assert job_of(faults, job_id).status == "running"

    faults.celery = faults.worker("worker2")  # the unacknowledged task is delivered to it again
    stack.wait_until(lambda: job_of(faults, job_id).status == "done", 60, "the next worker to finish the batch",
                     interval=0.2)
    assert job_of(faults, job_id).params["runs"] == 2
    check_archive(faults, hr, job_id)
    serials_are_gap_free(faults)
    assert len(faults.sql("SELECT id FROM certificate")) == certificates


def test_with_redis_stopped_log_in_and_learning_go_on_and_queued_jobs_run_when_it_returns(
        faults, on_failure_show_logs):
    beat = faults.beat()
    learner, hr = Visitor(faults.node.url), Visitor(faults.node.url)
    assert hr.log_in("DEMO-TCCB").status_code == 302
    faults.redis.stop()
    try:
        assert learner.log_in("DEMO-HV").status_code == 302
        began = time.monotonic()
        attempt, submitted = take_quiz(learner, "khoa-thu", faults.correct_options, iter(lambda: None, 0), None)
        assert submitted.status_code == 302 and learner.get(path_of(submitted)).status_code == 200
        assert time.monotonic() - began < 15  # a queue that cannot be reached does not hold requests up
        job_id = request_export(faults, hr)
        assert job_of(faults, job_id).status == "queued"
        node_log = faults.node.process.log()
        assert "Rate limit storage unreachable - falling back to in-memory storage" in node_log
        assert "it will run on the next sweep" in node_log
    finally:
        faults.redis.start()
    try:
        stack.wait_until(lambda: job_of(faults, job_id).status == "done", 90, "the queued export to run", interval=0.5)
        stack.wait_until(lambda: faults.scalar(
            "SELECT count(*) FROM certificate c JOIN completion k ON k.id = c.completion_id "
            "JOIN certificate_file f ON f.certificate_id = c.id WHERE k.attempt_id = :id", id=attempt), 60,
            "the new certificate's PDF")
        check_archive(faults, hr, job_id)
    finally:
        beat.stop()


class Learner(threading.Thread):
    """Takes the quiz again and again; retries a step the site answered with 503, as a person would."""

    def __init__(self, site, code: str, stop: threading.Event, outage: threading.Event) -> None:
        super().__init__(daemon=True, name=code)
        self.site, self.code, self.stop, self.outage = site, code, stop, outage
        self.visitor = Visitor(site.node.url, timeout=30)
        self.submitted: list[int] = []
        self.statuses: Counter[int] = Counter()
        self.problems: list[str] = []

    def call(self, request) -> requests.Response:
        deadline = time.monotonic() + 60
        while True:
            response = request()
            self.statuses[response.status_code] += 1
            if response.status_code != 503:
                return response
            self.outage.set()
            if LAYOUT not in response.text or OUTAGE not in response.text or "Traceback" in response.text:
                self.problems.append(f"503 page not in the layout: {response.text[:300]}")
            if time.monotonic() > deadline:
                raise AssertionError("still 503 after 60 s")
            time.sleep(0.1)

    def form(self, path: str, action: str):
        page = self.call(lambda: self.visitor.get(path))
        assert page.status_code == 200, (path, page.status_code)
        return next(f for f in forms_of(page.text) if f.method == "post" and re.search(action, f.action or path))

    def post(self, path: str, data: dict) -> requests.Response:
        response = self.call(lambda: self.visitor.post(path, data))
        assert response.status_code == 302, (path, response.status_code, response.text[:300])
        return response

    def run(self) -> None:
        try:
            login = self.form("/dang-nhap", "dang-nhap")
            self.post("/dang-nhap", login.fields | {"identifier": self.code, "password": PASSWORD})
            while not self.stop.is_set():
                self.take_quiz()
        except Exception:  # noqa: BLE001 - reported by the test
            self.problems.append(traceback.format_exc())

    def take_quiz(self) -> None:
        start = self.form("/khoa-hoc/khoa-thu", r"/kiem-tra/bat-dau$")
        target = path_of(self.post(start.action, start.fields))
        attempt = int(re.search(r"/bai-lam/(\d+)/", target).group(1))
        while "/trang/" in target:
            page = self.form(target, r"/trang/\d+$")
            answers = {name: [v for v in self.site.correct_options(attempt, int(name[1:])) if v in values]
                       for name, values in page.options.items()}
            step = "sau" if "sau" in page.buttons.get("di", []) else "nop"
            target = path_of(self.post(target, page.fields | answers | {"di": step}))
        confirm = self.form(target, r"/nop$")
        result = path_of(self.post(target, confirm.fields))
        assert result.endswith("/ket-qua"), result
        self.submitted.append(attempt)


def create_learners(site, count: int) -> list[str]:
    """Learners who have read the lessons, so that each passed quiz completes the course."""
    with site.app.app_context():
        root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        course = db.session.scalar(select(Course).where(Course.code == "khoa-thu"))
        codes = []
        for i in range(count):
            person = Person(employee_code=f"OPS-{i:02d}", middle_name="Nguyễn Văn", given_name=f"Học{i:02d}",
                            unit=root, category=Category.CIVIL_SERVANT)
            account = Account(person=person, status="active")
            account.set_password(PASSWORD)
            db.session.add(account)
            db.session.flush()
            db.session.add_all(LessonProgress(person_id=person.id, course_id=course.id, lesson_slug=lesson.slug)
                               for lesson in course.current_version.lessons)
            codes.append(person.employee_code)
        db.session.commit()
        db.session.remove()
    return codes


def test_a_postgresql_restart_during_quiz_submissions_loses_and_duplicates_nothing(faults, on_failure_show_logs):
    codes = create_learners(faults, 6)
    stop, outage = threading.Event(), threading.Event()
    learners = [Learner(faults, code, stop, outage) for code in codes]
    for learner in learners:
        learner.start()
    try:
        stack.wait_until(lambda: all(len(x.submitted) >= 1 for x in learners) or any(x.problems for x in learners),
                         60, "every learner to submit once")
        faults.postgres.stop("fast")  # terminates the sessions of requests in flight
        stack.wait_until(outage.is_set, 20, "a request to meet the outage")
        faults.postgres.start()
        done_before = [len(x.submitted) for x in learners]
        stack.wait_until(lambda: all(len(x.submitted) >= n + 2 for x, n in zip(learners, done_before, strict=True))
                         or any(x.problems for x in learners), 90, "every learner to submit twice more")
    finally:
        stop.set()
        for learner in learners:
            learner.join(60)
    assert [p for x in learners for p in x.problems] == []
    statuses = sum((x.statuses for x in learners), Counter())
    print("responses:", dict(statuses))
    assert statuses[503] > 0 and set(statuses) <= {200, 302, 503}, statuses
    assert faults.node.process.running() and faults.node.healthy()  # recovered without a restart

    for learner in learners:
        assert len(learner.submitted) == len(set(learner.submitted))
        in_db = faults.sql("SELECT a.id, a.submitted_at, a.passed FROM attempt a JOIN person p ON p.id = a.person_id "
                           "WHERE p.employee_code = :code ORDER BY a.id", code=learner.code)
        assert [row.id for row in in_db if row.submitted_at is not None] == sorted(learner.submitted)
        assert all(row.passed for row in in_db if row.submitted_at is not None)
    assert faults.sql("SELECT attempt_id FROM completion WHERE attempt_id IS NOT NULL "
                      "GROUP BY attempt_id HAVING count(*) > 1") == []
    assert faults.sql("SELECT completion_id FROM certificate GROUP BY completion_id HAVING count(*) > 1") == []
    submitted = sum(len(x.submitted) for x in learners)
    assert faults.scalar("SELECT count(*) FROM completion k JOIN person p ON p.id = k.person_id "
                         "WHERE p.employee_code LIKE 'OPS-%'") == submitted
    serials_are_gap_free(faults)
