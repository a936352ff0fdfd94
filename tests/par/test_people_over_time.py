"""PAR counts people as the compliance figures do (issue 15 item 3): joiners by their joining date and own
due date, movers in the unit they belonged to during the period, exempt people out of every denominator,
and a frozen snapshot that stays as it was when people later move, leave or are exempted."""

from datetime import date, datetime

import pytest

from learning.assignments import exemptions
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.extensions import db
from learning.org.history import record_move
from learning.par import evidence, queries, services

PERIOD = 2025
DUE = date(2025, 11, 30)


@pytest.fixture
def org(province, create_unit):
    return {"STP": create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh"),
            "SYT": create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh")}


@pytest.fixture
def assignment(app, province, create_course_version):
    version = create_course_version()
    a = assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                                   positions=[], period=PERIOD, starts_on=date(PERIOD, 1, 1), due_on=DUE,
                                   joiner_days=30)
    db.session.commit()
    return a


def score(code, period=PERIOD):
    return next(s for s in queries.table_for(period).scores if s.code == code)


def live(code, period=PERIOD):
    version = services.scoring.active_rubric() or services.ensure_shipped_rubric()
    return next(s for s in services.live_scores(period, version, cached=False)
                if s.code == code)


def evidence_of(unit, period=PERIOD):
    return {r[0]: r for r in evidence.rows_for(period, unit.id)}


def test_a_joiner_after_the_period_is_not_counted_and_one_within_it_has_their_own_due_date(
        app, org, assignment, create_person):
    create_person("Lê Văn Cũ", unit=org["STP"], code="OLD1", joined_on=date(2019, 1, 1))
    create_person("Phạm Thị Sau", unit=org["STP"], code="NEW26", joined_on=date(2026, 2, 1))
    create_person("Hoàng Văn Muộn", unit=org["STP"], code="NEW25", joined_on=date(2025, 11, 15))
    db.session.commit()
    stp = live("STP")
    assert (stp.counts.assigned, stp.counts.people) == (2, 2)  # the 2026 joiner is not in 2025
    rows = evidence_of(org["STP"])
    assert set(rows) == {"OLD1", "NEW25"}
    assert rows["OLD1"][4] == "2025-11-30"
    assert rows["NEW25"][4] == "2025-12-15"  # 30 days from joining, after the assignment's due date


def test_a_mover_counts_in_the_old_unit_for_the_old_period_and_in_the_new_one_after(
        app, org, assignment, province, create_person, create_course_version):
    person = create_person("Trần Văn Chuyển", unit=org["STP"], code="MOV1", joined_on=date(2019, 1, 1))
    db.session.commit()
    record_move(db.session, person, org["SYT"], on=date(2026, 1, 1))
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 11, 30))
    db.session.commit()
    assert (live("STP").counts.assigned, live("SYT").counts.assigned) == (1, 0)
    assert (live("STP", 2026).counts.assigned, live("SYT", 2026).counts.assigned) == (0, 1)
    assert evidence_of(org["STP"])["MOV1"][2] == "Sở Tư pháp"  # where they were in 2025, not where they are
    assert "MOV1" not in evidence_of(org["SYT"])
    assert evidence_of(org["SYT"], 2026)["MOV1"][2] == "Sở Y tế"


def test_an_exempt_person_leaves_every_denominator_and_is_listed(app, org, assignment, create_person,
                                                                create_completion, create_account):
    done = create_person("Nguyễn Thị Đạt", unit=org["STP"], code="PASS1", joined_on=date(2019, 1, 1))
    create_completion(done, assignment.course.current_version, score=90, completed_at=datetime(2025, 3, 1))
    leave = create_person("Vũ Thị Nghỉ", unit=org["STP"], code="EXM1", joined_on=date(2019, 1, 1))
    hr = create_account(Role.HR)
    db.session.commit()
    assert live("STP").indicators["completion_rate"] == 0.5
    exemptions.submit(leave, assignment, kind="exempt", reason="maternity", by=hr, approve=True)
    db.session.commit()
    stp = live("STP")
    assert (stp.counts.assigned, stp.counts.exempt, stp.counts.people) == (1, 1, 1)
    assert stp.indicators["completion_rate"] == 1.0
    assert evidence_of(org["STP"])["EXM1"][5] == "Được miễn"


def test_a_frozen_snapshot_does_not_change_when_people_move_leave_or_are_exempted_later(
        app, org, assignment, create_person, create_account):
    mover = create_person("Trần Văn Chuyển", unit=org["STP"], code="MOV2", joined_on=date(2019, 1, 1))
    leaver = create_person("Đỗ Văn Thôi", unit=org["STP"], code="LEFT2", joined_on=date(2019, 1, 1))
    exempt = create_person("Vũ Thị Nghỉ", unit=org["STP"], code="EXM2", joined_on=date(2019, 1, 1))
    hr = create_account(Role.HR)
    db.session.commit()
    services.freeze(PERIOD, None)
    db.session.commit()
    frozen = score("STP")
    frozen_rows = evidence.rows_for_viewer(hr, PERIOD, org["STP"].id, queries.table_for(PERIOD).snapshot)
    assert (frozen.counts.assigned, frozen.counts.overdue) == (3, 3)

    # Later, as if in 2025 after all: the mover left for SYT in March, the leaver left in May, one exempted.
    record_move(db.session, mover, org["SYT"], on=date(2025, 3, 1))
    leaver.left_on, leaver.active = date(2025, 5, 1), False
    exemptions.submit(exempt, assignment, kind="exempt", reason="maternity", by=hr, approve=True)
    db.session.commit()

    after = score("STP")
    assert (after.counts.assigned, after.counts.overdue, after.total) == (3, 3, frozen.total)
    assert evidence.rows_for_viewer(hr, PERIOD, org["STP"].id, queries.table_for(PERIOD).snapshot) == frozen_rows
    moved_now = live("STP")  # the live figures do change: the snapshot is what holds still
    assert moved_now.counts.exempt == 1 and moved_now.counts.assigned < 3
