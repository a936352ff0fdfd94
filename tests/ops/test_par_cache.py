"""PAR tables come from the shared cache while data and date are unchanged, and never after a change."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from learning.assignments import services as assignment_services
from learning.extensions import db
from learning.par import cache, scoring, services


@pytest.fixture
def with_cache(app, own_redis, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)
    app.extensions.pop("learning_cache", None)
    own_redis.client().flushdb()
    yield own_redis
    app.extensions.pop("learning_cache", None)


@pytest.fixture
def computed(monkeypatch):
    calls = []
    real = scoring.compute

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring, "compute", counting)
    return calls


@pytest.fixture
def year(app, province, create_unit, create_person, create_completion, create_course_version):
    unit = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    people = [create_person(f"Nguyễn Văn Người{i}", unit=unit) for i in range(4)]
    create_completion(people[0], version, completed_at=datetime(2026, 3, 1))
    db.session.commit()
    return {"version": version, "people": people}


def rate(period: int = 2026) -> float:
    version = services.ensure_shipped_rubric()
    return next(s for s in services.live_scores(period, version) if s.code == "STP").indicators["completion_rate"]


def test_the_second_view_reads_the_cache_and_a_completion_makes_a_new_key(with_cache, year, computed,
                                                                          create_completion):
    assert rate() == 0.25 and rate() == 0.25
    assert computed == [2026]  # once: the second view came from Redis
    create_completion(year["people"][1], year["version"], completed_at=datetime(2026, 3, 2))  # issues a certificate
    db.session.commit()
    assert rate() == 0.5 and computed == [2026, 2026]


def test_the_nightly_refresh_stores_this_year_and_last(app, with_cache, year, computed):
    services.ensure_shipped_rubric()
    db.session.commit()
    today = cache.local_today()
    assert cache.refresh() == [today.year, today.year - 1]
    assert len(with_cache.client().keys(cache.cache.PREFIX + "par:*")) == 2


def test_without_redis_the_table_is_computed(app, year, computed, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    app.extensions.pop("learning_cache", None)
    assert rate() == 0.25 and rate() == 0.25
    assert computed == [2026, 2026]
    app.extensions.pop("learning_cache", None)
