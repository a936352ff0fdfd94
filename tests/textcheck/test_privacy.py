"""Privacy by construction: a checked text is in no table, no log record, no audit detail and no cache."""

from __future__ import annotations

import io
import logging
import uuid

import pytest
from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.extensions import db


def _marker() -> str:
    return f"dấu-vết-{uuid.uuid4().hex[:12]}"


def _anywhere_in_the_database(marker: str) -> list[str]:
    db.session.expire_all()
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            if any(marker in str(value) for value in row):
                found.append(table.name)
    return found


def assert_nowhere(marker: str, caplog, response) -> None:
    assert _anywhere_in_the_database(marker) == []
    assert [r.name for r in caplog.records if marker in r.getMessage() or marker in str(r.args)] == []
    assert all(marker not in value for value in response.headers.getlist("Set-Cookie"))
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def signed_in(client, login, create_account):
    account = create_account()
    login(account)
    return account


@pytest.mark.parametrize("as_file", [False, True])
def test_a_page_check_leaves_no_trace_but_an_audit_event_with_counts(app, client, signed_in, caplog, as_file):
    marker = _marker()
    text = f"Kính gửi UBND xã ({marker}). Tôi là Đoàn Thị Mật, CCCD 022085001234, SĐT 0912345678.\n"
    caplog.set_level(logging.DEBUG)
    if as_file:  # the file name may hold personal data too
        data = {"file": (io.BytesIO(text.encode()), f"don-{marker}.txt")}
    else:
        data = {"text": text}
    response = client.post("/kiem-tra-van-ban", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and marker in response.get_data(as_text=True)  # shown, then gone
    assert_nowhere(marker, caplog, response)
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "textcheck.ran")))
    assert len(events) == 1 and events[0].actor_id == signed_in.id
    assert events[0].detail["counts"] == {"cccd": 1, "phone": 1, "person_name": 1}
    assert "022085001234" not in str(events[0].detail)


def test_a_refused_check_leaves_no_trace_either(app, client, signed_in, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "TEXTCHECK_MAX_CHARS", 50)
    marker = _marker()
    caplog.set_level(logging.DEBUG)
    response = client.post("/kiem-tra-van-ban", data={"text": f"{marker} " * 10}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert_nowhere(marker, caplog, response)


def test_the_page_is_rate_limited_per_account(app, client, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "TEXTCHECK_RATE_LIMIT", "2 per minute")
    statuses = [client.post("/kiem-tra-van-ban", data={"text": "SĐT 0912345678"},
                            content_type="multipart/form-data").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/kiem-tra-van-ban").status_code == 200  # reading the page is not limited
