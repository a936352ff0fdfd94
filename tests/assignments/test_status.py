"""Status per person and assignment is derived from the assignment and the person's completions."""

from datetime import date, datetime

from learning.assignments import queries
from learning.assignments.status import Status
from learning.extensions import db

TODAY = date(2026, 5, 1)


def statuses(assignment, today=TODAY, scope=None):
    from sqlalchemy import true

    filters = queries.Filters(period=assignment.period)
    page = queries.people([assignment], filters, today, scope if scope is not None else true(), per_page=1000)
    return {item.person.full_name: item.status for item in page.items}


def test_status_follows_completions_and_dates(app, org, create_person, create_assignment, create_completion,
                                              create_course_version):
    version = create_course_version()
    assignment = create_assignment(org["dept"], version)
    passed = create_person("Lê Văn An", unit=org["office"])
    old = create_person("Trần Thị Bình", unit=org["office"])
    create_person("Phạm Văn Cường", unit=org["dept"])
    create_person("Vũ Thị Dung", unit=org["other"])  # outside the target subtree
    create_completion(passed, version, completed_at=datetime(2026, 3, 1))
    create_completion(old, version, completed_at=datetime(2025, 3, 1))
    assert statuses(assignment) == {"Lê Văn An": Status.PASSED, "Trần Thị Bình": Status.EXPIRED,
                                    "Phạm Văn Cường": Status.NOT_STARTED}
    after_due = statuses(assignment, today=date(2026, 7, 1))
    assert after_due["Phạm Văn Cường"] is Status.OVERDUE and after_due["Trần Thị Bình"] is Status.OVERDUE
    assert after_due["Lê Văn An"] is Status.PASSED


def test_recertification_window_counts_earlier_completions(app, org, create_person, create_assignment,
                                                           create_completion, create_course_version):
    version = create_course_version()
    assignment = create_assignment(org["dept"], version, recert_months=12)
    person = create_person("Lê Văn An", unit=org["office"])
    create_completion(person, version, completed_at=datetime(2025, 8, 1))  # within 12 months of 30/06/2026
    assert statuses(assignment) == {"Lê Văn An": Status.PASSED}


def test_new_people_are_included_and_filters_apply(app, org, create_person, create_assignment):
    assignment = create_assignment(org["dept"], categories=["vien_chuc"])
    create_person("Lê Văn An", unit=org["office"], category="cong_chuc")
    assert statuses(assignment) == {}
    create_person("Đỗ Thị Hà", unit=org["office"], category="vien_chuc")
    assert statuses(assignment) == {"Đỗ Thị Hà": Status.NOT_STARTED}


def test_a_person_who_moves_keeps_their_history(app, org, create_person, create_assignment, create_completion,
                                                create_course_version):
    version = create_course_version()
    first = create_assignment(org["dept"], version)
    second = create_assignment(org["other"], version)
    person = create_person("Lê Văn An", unit=org["office"])
    create_completion(person, version, completed_at=datetime(2026, 2, 1))
    from learning.org.history import record_move

    db.session.commit()  # the person's first unit membership is opened at commit
    record_move(db.session, person, org["other"], date(2026, 3, 1))  # a move is a new membership row
    db.session.flush()
    assert statuses(first) == {}
    assert statuses(second) == {"Lê Văn An": Status.PASSED}


def test_a_revoked_certificate_does_not_count(app, org, create_person, create_assignment, create_completion,
                                              create_course_version):
    from sqlalchemy import select

    from learning.certification.models import Certificate

    version = create_course_version()
    assignment = create_assignment(org["dept"], version)
    person = create_person("Lê Văn An", unit=org["office"])
    create_completion(person, version, completed_at=datetime(2026, 2, 1))
    db.session.scalar(select(Certificate)).revoke("Thi hộ", None)
    db.session.flush()
    assert statuses(assignment) == {"Lê Văn An": Status.NOT_STARTED}


def test_rates_by_child_unit(app, org, create_person, create_assignment, create_completion, create_course_version):
    version = create_course_version()
    assignment = create_assignment(org["province"], version)
    a = create_person("Lê Văn An", unit=org["office"])
    create_person("Trần Thị Bình", unit=org["dept"])
    create_person("Vũ Thị Dung", unit=org["other"])
    create_completion(a, version, score=80, completed_at=datetime(2026, 3, 1))
    from sqlalchemy import true

    total, rows = queries.by_child_unit(org["province"], [assignment], queries.Filters(period=2026), TODAY, true())
    by_code = {r.unit.code: r.tally for r in rows}
    assert (total.total, total.passed) == (3, 1)
    assert (by_code["STP"].total, by_code["STP"].passed, by_code["STP"].completion_rate) == (2, 1, 0.5)
    assert by_code["STP"].average_score == 80
    assert (by_code["SYT"].total, by_code["SYT"].passed) == (1, 0)


def test_assignments_with_one_audience_read_people_once_and_give_the_same_rows(
        app, org, create_person, create_assignment, create_course_version):
    from sqlalchemy import select, union_all

    from learning.assignments.status import all_targets, targets

    create_person("Lê Văn An", unit=org["office"])
    create_person("Vũ Thị Dung", unit=org["other"], category="vien_chuc")
    shared = [create_assignment(org["province"], create_course_version(), due_on=date(2026, 6, 30)),
              create_assignment(org["province"], create_course_version(), due_on=date(2026, 6, 30),
                                recert_months=12)]
    own = [create_assignment(org["province"], create_course_version(), categories=["vien_chuc"]),
           create_assignment(org["dept"], create_course_version())]
    assignments = shared + own

    def rows(query) -> set:
        return set(db.session.execute(select(query)).all())

    assert rows(all_targets(assignments)) == rows(union_all(*(targets(a) for a in assignments)).subquery())
    grouped = str(all_targets(assignments).compile())
    one = str(targets(own[0]).subquery().compile()).count("FROM person")
    assert grouped.count("FROM person") == 3 * one  # the two province-wide assignments share one read
