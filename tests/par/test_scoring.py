"""PAR points per unit, frozen snapshots, historical units, and evidence that matches the table."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from learning.api import services as api_services
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.extensions import db
from learning.par import queries, services
from tests.factories import EXPORT_PURPOSE


@pytest.fixture
def province_org(province, create_unit):
    return {"STP": create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh"),
            "SYT": create_unit("Sở Y tế", parent=province, code="SYT", kind="so_nganh"),
            "H-TY": create_unit("Huyện Tiên Yên", parent=province, code="H-TY", kind="huyen",
                                valid_to=date(2025, 6, 30))}


def assign(unit, version, period):
    return assignment_services.create(by=None, course_id=version.course_id, unit_id=unit.id, categories=[],
                                      positions=[], period=period, starts_on=date(period, 1, 1),
                                      due_on=date(period, 6, 30))


def people_with(create_person, create_completion, unit, version, total, passed_on_time, year=2026):
    for i in range(total):
        person = create_person(f"Nguyễn Văn Người{i:02d}", unit=unit)
        if i < passed_on_time:
            create_completion(person, version, score=90, completed_at=datetime(year, 3, 1))


def score_of(period, code):
    return next(s for s in queries.table_for(period).scores if s.code == code)


def test_points_follow_the_tiers_at_their_edges(app, province, province_org, create_person, create_completion,
                                                create_course_version):
    version = create_course_version()
    assign(province, version, 2026)
    people_with(create_person, create_completion, province_org["STP"], version, 10, 9)   # exactly 90%
    people_with(create_person, create_completion, province_org["SYT"], version, 10, 7)   # exactly 70%
    stp, syt = score_of(2026, "STP"), score_of(2026, "SYT")
    assert stp.indicators["on_time_rate"] == 0.9 and stp.points["4.1"] == 2.0
    assert syt.indicators["on_time_rate"] == 0.7 and syt.points["4.1"] == 1.0
    assert (stp.rank, syt.rank) == (1, 2)


def test_a_frozen_snapshot_does_not_change_when_new_certificates_arrive(
        app, province, province_org, create_person, create_completion, create_course_version):
    version = create_course_version()
    assign(province, version, 2026)
    people_with(create_person, create_completion, province_org["SYT"], version, 4, 1)
    services.freeze(2026, None)
    db.session.commit()
    before = score_of(2026, "SYT")
    late = create_person("Trần Thị Muộn", unit=province_org["SYT"])
    create_completion(late, version, completed_at=datetime(2026, 4, 1))
    db.session.commit()
    after = score_of(2026, "SYT")
    assert (after.counts.passed, after.total) == (before.counts.passed, before.total) == (1, before.total)
    assert queries.table_for(2026).snapshot is not None
    live = services.live_scores(2026, services.scoring.active_rubric())
    assert next(s for s in live if s.code == "SYT").counts.passed == 2
    with pytest.raises(ValueError, match="đã được đóng băng"):
        services.freeze(2026, None)


def test_a_dissolved_district_appears_in_its_own_period_only(app, province, province_org, create_person,
                                                            create_completion, create_course_version):
    version = create_course_version()
    assign(province, version, 2024)
    former = create_person("Lý Văn Huyện", unit=province_org["H-TY"], active=False)
    create_completion(former, version, completed_at=datetime(2024, 2, 1))
    codes_2024 = {s.code for s in queries.table_for(2024).scores}
    assert "H-TY" in codes_2024
    assert score_of(2024, "H-TY").counts.passed == 1 and score_of(2024, "H-TY").historical
    assert "H-TY" not in {s.code for s in queries.table_for(2026).scores}


def test_evidence_workbook_numbers_equal_the_table(app, client, login, create_account, province, province_org,
                                                   create_person, create_completion, create_course_version):
    version = create_course_version()
    assign(province, version, 2026)
    people_with(create_person, create_completion, province_org["STP"], version, 5, 3)
    db.session.commit()
    login(create_account((Role.PAR_ASSESSOR, None)))
    table = client.get("/cchc?nam=2026")
    assert table.status_code == 200 and "bộ tiêu chí ví dụ" in table.text
    unit_id = province_org["STP"].id
    book = load_workbook(io.BytesIO(client.post(f"/cchc/2026/don-vi/{unit_id}/minh-chung.xlsx",
                                                data=EXPORT_PURPOSE).data))
    score = score_of(2026, "STP")
    summary = {row[0].value: row for row in book["Tổng hợp"].iter_rows(min_row=2)}
    for code, points in score.points.items():
        assert summary[code][5].value == points
    assert book["Số liệu"]["C2"].value == score.counts.assigned == 5
    assert book["Số liệu"]["D2"].value == score.counts.passed == 3
    people = list(book["TC 4.1"].iter_rows(min_row=2, values_only=True))
    assert len(people) == 5 and sum(1 for r in people if r[-1] == "có") == score.counts.on_time
    assert all(r[10].startswith("QN-") for r in people if r[5] == "Đã đạt")


def test_assessor_enters_verified_points_with_a_note(app, client, login, create_account, province, province_org,
                                                     create_course_version):
    assign(province, create_course_version(), 2026)
    db.session.commit()
    login(create_account((Role.PAR_ASSESSOR, None)))
    url = f"/cchc/2026/don-vi/{province_org['STP'].id}"
    bad = client.post(url, data={"diem-4.1": "5", "ghi-chu-4.1": ""})
    assert bad.status_code == 400 and "phải từ 0 đến 2" in bad.text
    client.post(url, data={"diem-4.1": "1,5", "ghi-chu-4.1": "Thiếu minh chứng 2 người"})
    page = client.get(url).text
    assert "Thiếu minh chứng 2 người" in page and "1,50" in page


def test_unit_head_sees_only_their_units_and_cannot_assess(app, client, login, create_account, province,
                                                           province_org, create_course_version):
    assign(province, create_course_version(), 2026)
    db.session.commit()
    login(create_account((Role.UNIT_HEAD, province_org["STP"])))
    page = client.get("/cchc?nam=2026").text
    assert "Sở Tư pháp" in page and "Sở Y tế" not in page
    assert client.get(f"/cchc/2026/don-vi/{province_org['SYT'].id}").status_code == 403
    assert client.post(f"/cchc/2026/don-vi/{province_org['STP'].id}", data={}).status_code == 403
    assert client.post("/cchc/2026/dong-bang").status_code == 403


def test_api_and_cli_give_the_same_numbers(app, client, create_account, province, province_org, create_person,
                                           create_completion, create_course_version, tmp_path):
    version = create_course_version()
    assign(province, version, 2026)
    people_with(create_person, create_completion, province_org["STP"], version, 4, 2)
    _, plain = api_services.issue("CCHC", None, create_account((Role.ADMIN, None)))
    db.session.commit()
    data = client.get("/api/v1/par/2026", headers={"Authorization": f"Bearer {plain}"}).json
    stp = next(u for u in data["units"] if u["unit_code"] == "STP")
    assert stp["counts"]["passed"] == 2 and stp["points"] == score_of(2026, "STP").points
    out = tmp_path / "par.xlsx"
    result = app.test_cli_runner().invoke(args=["par", "score", "--period", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = {r[0]: r for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
    assert rows["STP"][-3] == stp["self_assessed_total"]
    frozen = app.test_cli_runner().invoke(args=["par", "freeze", "--period", "2026"])
    assert frozen.exit_code == 0 and "Đã đóng băng kỳ 2026" in frozen.output


def test_admin_uploads_a_new_rubric_version(app, client, login, create_account):
    login(create_account((Role.ADMIN, None)))
    text = services.rubric.shipped()[0][1].replace('version: "2026.2"', 'version: "2026.3"').replace(
        "max_points: 1.0\n    indicator: certified_rate", "max_points: 2.0\n    indicator: certified_rate")
    response = client.post("/cchc/bo-tieu-chi", data={"file": (io.BytesIO(text.encode()), "tc.yaml")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Đã tải lên và áp dụng bộ tiêu chí vi-du 2026.3" in response.text
    bad = client.post("/cchc/bo-tieu-chi", data={"file": (io.BytesIO(b"code: x"), "tc.yaml")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "chưa hợp lệ" in bad.text
