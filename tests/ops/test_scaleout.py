"""Two app nodes (gunicorn) behind nginx, one PostgreSQL database, one Redis and a Celery worker.

Nothing a request needs may live in one node's memory: the session, the quiz, the log-in rate
limit and a background export must all work whichever node serves each request. nginx sends a
request with ``X-Node: a`` or ``X-Node: b`` to that node, and says which one served it.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import zipfile

import pytest

from tests.ops import stack
from tests.ops.conftest import build_stack, need
from tests.ops.site import Visitor, path_of, served_by, take_quiz

pytestmark = [pytest.mark.scaleout, pytest.mark.postgres]


@pytest.fixture(scope="module")
def scaleout(shared_database, own_redis, tmp_path_factory):
    need("nginx")
    site = build_stack(tmp_path_factory, shared_database, own_redis, LOGIN_RATE_LIMIT="5 per minute")
    try:
        site.node = site.nodes("a", "b")
        site.nginx = site.start(stack.Nginx(tmp_path_factory.mktemp("nginx"), site.node))
        site.celery = site.worker()
        yield site
    finally:
        site.close()


def address(node: stack.AppNode) -> str:
    return f"127.0.0.1:{node.port}"


def test_a_learner_logs_in_on_one_node_and_finishes_the_quiz_on_the_other(scaleout, on_failure_show_logs):
    a, b = scaleout.node["a"], scaleout.node["b"]
    learner = Visitor(scaleout.nginx.url)
    logged_in = learner.log_in("DEMO-HV", node="a")
    assert logged_in.status_code == 302 and served_by(logged_in) == address(a)
    home = learner.get("/", node="b")
    assert home.status_code == 200 and served_by(home) == address(b)
    assert "dang-xuat" in home.text  # node B knows the session node A opened

    attempt, submitted = take_quiz(learner, "khoa-thu", scaleout.correct_options, itertools.cycle("ab"),
                                   submit_node="b")

    assert submitted.status_code == 302 and served_by(submitted) == address(b)
    result = learner.get(path_of(submitted), node="a")
    assert result.status_code == 200
    row = scaleout.sql("SELECT submitted_at, passed FROM attempt WHERE id = :id", id=attempt)[0]
    assert row.submitted_at is not None and row.passed
    # The certificate issued on node B is rendered by the worker.
    stack.wait_until(lambda: scaleout.scalar(
        "SELECT count(*) FROM certificate c JOIN completion k ON k.id = c.completion_id "
        "JOIN certificate_file f ON f.certificate_id = c.id WHERE k.attempt_id = :id", id=attempt), 60,
        "the worker to render the new certificate")


def test_the_log_in_rate_limit_counts_across_nodes(scaleout, on_failure_show_logs):
    guesser = Visitor(scaleout.nginx.url, source="127.0.0.3")  # nginx passes its address on (ProxyFix)
    statuses = [guesser.log_in("KHONG-CO-AI", "sai-mat-khau", node=node).status_code for node in "abab"]
    assert statuses == [401] * 4
    # The failures of both nodes count together (shared storage): the 4th set a wait, seen on node A.
    throttled = guesser.log_in("KHONG-CO-AI", "sai-mat-khau", node="a")
    assert throttled.status_code == 429 and "thử lại sau" in throttled.text
    # And the per-address request limit (5 per minute here) is shared too: the 6th request is refused.
    again = guesser.log_in("DEMO-TT", node="b")
    assert again.status_code == 429 and "Quá nhiều yêu cầu" in again.text and 'class="site-header"' in again.text
    # Another client is not affected: the limit is per client address, not per proxy.
    colleague = Visitor(scaleout.nginx.url, source="127.0.0.4")
    assert colleague.log_in("DEMO-TT", node="b").status_code == 302
    assert scaleout.redis.client().keys("LIMITS*")


def test_an_export_started_on_one_node_is_built_by_the_worker_and_downloaded_from_the_other(
        scaleout, on_failure_show_logs):
    a, b = scaleout.node["a"], scaleout.node["b"]
    hr = Visitor(scaleout.nginx.url)
    assert hr.log_in("DEMO-TCCB").status_code == 302
    requested = hr.submit("/quan-ly/chung-nhan", r"/quan-ly/chung-nhan/xuat$", {"purpose": "ho-so"}, node="a")
    assert requested.status_code == 302 and served_by(requested) == address(a)
    job_page = path_of(requested)
    job_id = int(re.search(r"/cong-viec/(\d+)", job_page).group(1))

    def finished() -> bool:
        page = hr.get(job_page, node="b")
        assert page.status_code == 200 and served_by(page) == address(b)
        assert "Không tạo được tệp" not in page.text
        return "tai-ve" in page.text

    stack.wait_until(finished, 90, "the export job to finish", interval=0.5)
    download = hr.get(f"/cong-viec/{job_id}/tai-ve", node="b")
    assert download.status_code == 200 and served_by(download) == address(b)

    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = archive.namelist()
    expected = {row.serial: row.pdf_sha256 for row in scaleout.sql("SELECT serial, pdf_sha256 FROM certificate")}
    assert len(expected) >= 20
    assert sorted(names) == sorted([f"{serial}.pdf" for serial in expected] + ["danh-sach-chung-nhan.xlsx"])
    for serial, digest in expected.items():
        assert hashlib.sha256(archive.read(f"{serial}.pdf")).hexdigest() == digest
    assert "learning.run_task" in scaleout.celery.process.log()  # the worker built it
