"""Every section of a unit's dashboard (and PDF report, and ``compliance summary``) is that unit's subtree."""

from datetime import date, datetime

from sqlalchemy import true

from learning.assignments import queries
from learning.progress.labels import Status

TODAY = date(2026, 7, 1)


def test_on_every_unit_page_the_sections_add_up_to_that_units_people(
        app, org, create_person, create_assignment, create_completion, create_course_version):
    first, second = create_course_version(), create_course_version()
    assignments = [create_assignment(org["province"], first), create_assignment(org["province"], second)]
    a = create_person("Lê Văn An", unit=org["office"])
    create_person("Trần Thị Bình", unit=org["dept"])
    c = create_person("Vũ Thị Dung", unit=org["other"])
    create_person("Phạm Văn Cường", unit=org["province"])
    create_completion(a, first, completed_at=datetime(2026, 3, 1))
    create_completion(c, second, completed_at=datetime(2026, 3, 1))  # certificate valid for a year or more
    people_of = {"TN": 4, "STP": 2, "STP-2": 1, "SYT": 1}
    filters = queries.Filters(period=2026)
    for code, node in ((u.code, u) for u in org.values()):
        found = queries.summary(node, assignments, filters, TODAY, true(), expiring_days=400)
        assert found.people.required == people_of[code]
        assert found.total.total == 2 * people_of[code]  # two courses each
        assert sum(r.tally.total for r in found.rows) == found.total.total
        assert sum(t.total for _c, t in found.by_course) == found.total.total
        assert sum(t.overdue for _c, t in found.by_course) == found.total.overdue
        late = queries.people(assignments, filters, TODAY, true(), unit=node, statuses=[Status.OVERDUE.value],
                              per_page=1000)
        assert late.total == found.total.overdue
        assert len({i.person.id for i in late.items}) == found.people.overdue
        assert queries.people_count(assignments, filters, TODAY, true(), unit=node,
                                    statuses=[Status.OVERDUE.value]) == found.people.overdue
        expected_certs = {"TN": 2, "STP": 1, "STP-2": 1, "SYT": 1}[code]
        assert found.expiring.enrolments == expected_certs == sum(found.expiring.by_course.values())


def test_the_unit_page_does_not_show_province_figures(app, org, create_person, create_assignment, create_account,
                                                       login, client):
    from learning.auth.models import Role

    create_assignment(org["province"], due_on=date(2026, 6, 30))
    for n in range(3):
        create_person(f"Vũ Thị Dung{n}", unit=org["other"])
    create_person("Lê Văn An", unit=org["office"])
    hr = create_account(Role.HR)
    login(hr)
    page = client.get(f"/tuan-thu?nam=2026&don-vi={org['dept'].id}")
    assert page.status_code == 200
    text = page.text
    assert "Người phải học</dt><dd>1<" in text.replace("\n", "").replace("  ", "")
