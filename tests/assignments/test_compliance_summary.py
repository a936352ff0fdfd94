"""``flask compliance summary`` prints the dashboard's own figures for a unit's subtree."""

import json
from datetime import date, datetime, timedelta

from sqlalchemy import true

from learning.assignments import queries
from learning.assignments.models import Exemption, ExemptionKind, ExemptionReason, ExemptionStatus
from learning.catalog.models import LessonProgress
from learning.core.dates import local_today
from learning.extensions import db


def test_summary_equals_the_dashboard(app, org, create_person, create_assignment, create_completion,
                                      create_course_version):
    today = local_today()
    year = today.year
    late_course, open_course = create_course_version(), create_course_version()
    late = create_assignment(org["province"], late_course, period=year, starts_on=date(year, 1, 1),
                             due_on=today - timedelta(days=1))
    create_assignment(org["province"], open_course, period=year, starts_on=date(year, 1, 1),
                      due_on=today + timedelta(days=60))
    a = create_person("Lê Văn An", unit=org["office"])
    b = create_person("Trần Thị Bình", unit=org["office"])
    create_person("Phạm Văn Cường", unit=org["dept"])
    create_person("Vũ Thị Dung", unit=org["other"])  # outside STP
    create_completion(a, late_course, completed_at=datetime(year, 1, 5))
    db.session.add(LessonProgress(person_id=b.id, course_id=open_course.course_id, lesson_slug="01-bai"))
    db.session.add(Exemption(person_id=b.id, assignment_id=late.id, kind=ExemptionKind.EXEMPT.value,
                             reason=ExemptionReason.LONG_SICK.value, status=ExemptionStatus.APPROVED.value))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["compliance", "summary", "--unit", "STP", "--period", str(year),
                                                "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    filters = queries.Filters(period=year)
    found = queries.summary(org["dept"], queries.assignments_for(filters), filters, today, true())
    total = data["total"]
    assert (total["required"], total["passed"], total["in_progress"], total["not_started"], total["overdue"],
            total["exempt"]) == (found.total.total, found.total.passed, found.total.in_progress,
                                 found.total.not_started, found.total.overdue, found.total.exempt)
    assert (total["required"], total["passed"], total["in_progress"], total["overdue"], total["exempt"]) == (5, 1, 1, 1, 1)
    assert total["people_required"] == found.people.required == 3
    by_code = {c["code"]: c for c in data["courses"]}
    for course, tally in found.by_course:
        assert by_code[course.code]["required"] == tally.total and by_code[course.code]["overdue"] == tally.overdue
    assert total["certificates_expiring_30_days"] == found.expiring.enrolments

    one = app.test_cli_runner().invoke(args=["compliance", "summary", "--province", "--period", str(year),
                                             "--course", open_course.course.code, "--json"])
    assert one.exit_code == 0, one.output
    assert [c["code"] for c in json.loads(one.output)["courses"]] == [open_course.course.code]
    assert json.loads(one.output)["total"]["required"] == 4

    both = app.test_cli_runner().invoke(args=["compliance", "summary", "--unit", "STP", "--province", "--period",
                                              str(year)])
    assert both.exit_code != 0 and "--unit" in both.output
    unknown = app.test_cli_runner().invoke(args=["compliance", "summary", "--unit", "KHONG", "--period", str(year)])
    assert unknown.exit_code != 0 and "KHONG" in unknown.output
