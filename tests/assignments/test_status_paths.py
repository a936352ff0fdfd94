"""The fast paths of the status queries agree with the general one: revoked certificates, the late
list (anti-join) and one person's statuses (the learner's own page)."""

from datetime import date, datetime

from sqlalchemy import select, true

from learning.assignments import queries
from learning.assignments.personal import for_person
from learning.assignments.status import Status, status_rows
from learning.certification import services as certificates
from learning.certification.models import Certificate
from learning.certification.settings import issue_settings
from learning.extensions import db

BEFORE_DUE, AFTER_DUE = date(2026, 5, 1), date(2026, 7, 1)


def general(assignment, today):
    rows = db.session.execute(status_rows([assignment], today, true())).all()
    return {row.person_id: row.status for row in rows}


def test_revoked_reissued_and_late_people_agree_across_paths(app, org, create_person, create_assignment,
                                                             create_completion, create_course_version,
                                                             create_account):
    hr = create_account()
    version = create_course_version()
    assignment = create_assignment(org["dept"], version)
    people = {name: create_person(name, unit=org["office"]) for name in
              ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường", "Vũ Thị Dung", "Đỗ Văn Em")}
    for name in ("Lê Văn An", "Trần Thị Bình", "Phạm Văn Cường", "Vũ Thị Dung"):
        create_completion(people[name], version, completed_at=datetime(2026, 3, 1))
    cert = {c.person_id: c for c in db.session.scalars(select(Certificate))}
    certificates.revoke(cert[people["Trần Thị Bình"].id], "sai thông tin", hr)  # revoked: does not count
    reissued = certificates.reissue(cert[people["Phạm Văn Cường"].id], issue_settings(), hr)
    certificates.revoke(reissued, "gian lận", hr)  # superseded + revoked: the superseded one still counts
    certificates.reissue(cert[people["Vũ Thị Dung"].id], issue_settings(), hr)  # superseded + valid
    db.session.commit()
    expected = {"Lê Văn An": Status.PASSED, "Trần Thị Bình": Status.OVERDUE, "Phạm Văn Cường": Status.PASSED,
                "Vũ Thị Dung": Status.PASSED, "Đỗ Văn Em": Status.OVERDUE}
    by_id = {p.id: name for name, p in people.items()}
    assert {by_id[k]: Status(v) for k, v in general(assignment, AFTER_DUE).items()} == expected
    filters = queries.Filters(period=assignment.period)
    late = queries.people([assignment], filters, AFTER_DUE, true(), statuses=[Status.OVERDUE.value])
    assert sorted(i.person.full_name for i in late.items) == ["Trần Thị Bình", "Đỗ Văn Em"]
    total, _rows, by_course = queries.overview(org["province"], [assignment], filters, AFTER_DUE, true())
    assert (total.passed, total.overdue, late.total) == (3, 2, 2) and by_course[0][1].total == 5
    for name, person in people.items():
        mine = for_person(person, AFTER_DUE)
        assert [item.status for item in mine] == [expected[name]]
    assert not queries.people([assignment], filters, BEFORE_DUE, true(), statuses=[Status.OVERDUE.value]).items
