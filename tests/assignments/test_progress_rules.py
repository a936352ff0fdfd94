"""The rules of ``learning.progress``: who counts, in which unit, by which due date, exempt or in progress."""

from datetime import date, datetime

from sqlalchemy import true

from learning.assignments import queries
from learning.assignments.models import Exemption, ExemptionKind, ExemptionReason, ExemptionStatus
from learning.catalog.models import LessonProgress
from learning.extensions import db
from learning.org.history import record_move
from learning.progress.engine import status_rows
from learning.progress.labels import Status


def statuses(assignment, today):
    page = queries.people([assignment], queries.Filters(period=assignment.period), today, true(), per_page=1000)
    return {item.person.full_name: item.status for item in page.items}


def own_due(assignment, today):
    return {r.person_id: r.due_on for r in db.session.execute(status_rows([assignment], today, true()))}


def test_a_joiner_after_the_period_is_not_counted_in_it(app, org, create_person, create_assignment):
    assignment = create_assignment(org["dept"], period=2025, starts_on=date(2025, 1, 1), due_on=date(2025, 11, 30))
    create_person("Lê Văn An", unit=org["office"], joined_on=date(2024, 3, 1))
    create_person("Trần Thị Bình", unit=org["office"], joined_on=date(2026, 12, 3))  # imported today
    db.session.commit()
    assert statuses(assignment, date(2026, 12, 3)) == {"Lê Văn An": Status.OVERDUE}
    total, _rows = queries.by_child_unit(org["dept"], [assignment], queries.Filters(period=2025), date(2026, 12, 3),
                                         true())
    assert (total.total, total.overdue) == (1, 1)


def test_a_joiner_within_the_period_gets_their_own_due_date(app, org, create_person, create_assignment):
    assignment = create_assignment(org["dept"], starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    assignment.joiner_days = 30
    present = create_person("Lê Văn An", unit=org["office"], joined_on=date(2020, 1, 1))
    joiner = create_person("Trần Thị Bình", unit=org["office"], joined_on=date(2026, 6, 20))
    db.session.commit()
    assert own_due(assignment, date(2026, 7, 1)) == {present.id: date(2026, 6, 30), joiner.id: date(2026, 7, 20)}
    assert statuses(assignment, date(2026, 7, 1)) == {"Lê Văn An": Status.OVERDUE, "Trần Thị Bình": Status.NOT_STARTED}
    assert statuses(assignment, date(2026, 7, 21))["Trần Thị Bình"] is Status.OVERDUE


def test_a_mover_counts_in_the_old_unit_for_the_old_period_and_in_the_new_one_after(
        app, org, create_person, create_assignment, create_course_version):
    version = create_course_version()
    old = create_assignment(org["province"], version, period=2025, starts_on=date(2025, 1, 1),
                            due_on=date(2025, 11, 30))
    new = create_assignment(org["province"], version, period=2026, starts_on=date(2026, 1, 1),
                            due_on=date(2026, 11, 30))
    person = create_person("Lê Văn An", unit=org["office"])
    db.session.commit()
    record_move(db.session, person, org["other"], date(2026, 1, 10))
    db.session.commit()
    today = date(2026, 12, 3)
    for assignment, counted, empty in ((old, "STP", "SYT"), (new, "SYT", "STP")):
        _total, rows = queries.by_child_unit(org["province"], [assignment], queries.Filters(period=assignment.period),
                                             today, true())
        by_code = {r.unit.code: r.tally.total for r in rows}
        assert by_code[counted] == 1 and by_code[empty] == 0


def _decide(person, assignment, kind, status=ExemptionStatus.APPROVED, new_due_on=None):
    db.session.add(Exemption(person_id=person.id, assignment_id=assignment.id, kind=kind.value,
                             reason=ExemptionReason.MATERNITY.value, status=status.value, new_due_on=new_due_on))
    db.session.flush()


def test_an_exempt_person_is_out_of_the_denominator_and_counted_as_exempt(
        app, org, create_person, create_assignment, create_completion, create_course_version):
    version = create_course_version()
    assignment = create_assignment(org["dept"], version)
    passed = create_person("Lê Văn An", unit=org["office"])
    exempt = create_person("Trần Thị Bình", unit=org["office"])
    asked = create_person("Phạm Văn Cường", unit=org["office"])
    create_completion(passed, version, completed_at=datetime(2026, 3, 1))
    _decide(exempt, assignment, ExemptionKind.EXEMPT)
    _decide(asked, assignment, ExemptionKind.EXEMPT, status=ExemptionStatus.REQUESTED)  # not decided yet
    today = date(2026, 7, 1)
    assert statuses(assignment, today) == {"Lê Văn An": Status.PASSED, "Trần Thị Bình": Status.EXEMPT,
                                           "Phạm Văn Cường": Status.OVERDUE}
    total, _rows = queries.by_child_unit(org["dept"], [assignment], queries.Filters(period=2026), today, true())
    assert (total.total, total.passed, total.overdue, total.exempt, total.completion_rate) == (2, 1, 1, 1, 0.5)
    exempt_list = queries.people([assignment], queries.Filters(period=2026), today, true(),
                                 statuses=[Status.EXEMPT.value])
    assert [i.person.full_name for i in exempt_list.items] == ["Trần Thị Bình"]


def test_an_approved_extension_pushes_the_due_date(app, org, create_person, create_assignment):
    assignment = create_assignment(org["dept"])
    person = create_person("Lê Văn An", unit=org["office"])
    _decide(person, assignment, ExemptionKind.EXTEND, new_due_on=date(2026, 8, 31))
    assert own_due(assignment, date(2026, 7, 1)) == {person.id: date(2026, 8, 31)}
    assert statuses(assignment, date(2026, 7, 1)) == {"Lê Văn An": Status.NOT_STARTED}
    assert statuses(assignment, date(2026, 9, 1)) == {"Lê Văn An": Status.OVERDUE}


def test_a_leaver_stops_counting_from_their_leaving_date(app, org, create_person, create_assignment):
    assignment = create_assignment(org["dept"])  # due 30/06/2026
    create_person("Lê Văn An", unit=org["office"], left_on=date(2026, 5, 15), active=False)
    create_person("Trần Thị Bình", unit=org["office"], left_on=date(2026, 8, 1), active=False)
    db.session.commit()
    assert statuses(assignment, date(2026, 9, 1)) == {"Trần Thị Bình": Status.OVERDUE}


def test_the_dashboard_shows_in_progress(app, org, create_person, create_assignment, create_course_version):
    version = create_course_version()
    assignment = create_assignment(org["dept"], version)
    reader = create_person("Lê Văn An", unit=org["office"])
    create_person("Trần Thị Bình", unit=org["office"])
    db.session.add(LessonProgress(person_id=reader.id, course_id=version.course_id, lesson_slug="01-bai",
                                  read_at=datetime(2026, 2, 1)))
    db.session.flush()
    today = date(2026, 5, 1)
    assert statuses(assignment, today) == {"Lê Văn An": Status.IN_PROGRESS, "Trần Thị Bình": Status.NOT_STARTED}
    total, _rows = queries.by_child_unit(org["dept"], [assignment], queries.Filters(period=2026), today, true())
    assert (total.in_progress, total.not_started) == (1, 1)
