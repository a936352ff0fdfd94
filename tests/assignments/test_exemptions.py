"""Exemptions and extensions: a unit head asks, HR decides; exempt people leave every denominator and are
counted beside the rates (dashboard, unit export, PAR table and evidence workbook)."""

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from learning.assignments import exemptions
from learning.assignments.exemptions import ExemptionError
from learning.assignments.models import Exemption, ExemptionStatus
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.core.dates import local_today
from learning.extensions import db
from learning.par import queries as par_queries
from learning.progress.engine import status_rows
from tests.factories import EXPORT_PURPOSE


@pytest.fixture
def team(org, create_person, create_account, create_assignment, create_course_version, create_completion):
    today = local_today()
    version = create_course_version(title="Ứng xử trên mạng")
    assignment = create_assignment(org["province"], version, period=today.year,
                                   starts_on=today - timedelta(days=60), due_on=today - timedelta(days=2))
    passed = create_person("Trần Văn Đạt", unit=org["office"])
    create_completion(passed, version, completed_at=datetime.combine(today - timedelta(days=10), datetime.min.time()))
    late = create_person("Nguyễn Thị Sinh", unit=org["office"], email="sinh@tinh.gov.vn")
    other = create_person("Lê Văn Khác", unit=org["other"])
    head = create_account((Role.UNIT_HEAD, org["dept"]), full_name="Phạm Minh Trưởng", unit=org["dept"])
    hr = create_account((Role.HR, None), full_name="Hoàng Thị Nhân")
    db.session.commit()
    return {"assignment": assignment, "passed": passed, "late": late, "outsider": other, "head": head, "hr": hr,
            "version": version, **org}


def statuses(assignment, today=None):
    rows = status_rows([assignment], today or local_today())
    return {r.person_id: r.status for r in db.session.execute(rows)}


def test_an_approved_exemption_leaves_the_denominator_and_a_request_alone_does_not(app, team):
    a, late = team["assignment"], team["late"]
    row = exemptions.submit(late, a, kind="exempt", reason="maternity", by=team["head"])
    assert statuses(a)[late.id] == "overdue"  # waiting for HR: nothing changes yet
    exemptions.decide(row, team["hr"], approved=True, note="")
    assert statuses(a)[late.id] == "exempt"
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "exemption")))
    assert actions == ["exemption.requested", "exemption.approved"]


def test_an_extension_gives_the_person_their_own_due_date(app, team):
    a, late = team["assignment"], team["late"]
    new_due = local_today() + timedelta(days=20)
    exemptions.submit(late, a, kind="extend", reason="long_sick", new_due_on=new_due, by=team["hr"], approve=True)
    rows = {r.person_id: r for r in db.session.execute(status_rows([a], local_today()))}
    assert rows[late.id].status == "not_started" and rows[late.id].due_on == new_due


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "extend", "reason": "long_sick"}, "Gia hạn cần ngày hạn mới"),
    ({"kind": "extend", "reason": "long_sick", "new_due_on": date(2000, 1, 1)}, "Hạn mới phải sau hạn chung"),
    ({"kind": "exempt", "reason": "equivalent", "evidence": "có"}, "cần minh chứng"),
    ({"kind": "exempt", "reason": "other"}, "Lý do khác"),
    ({"kind": "exempt", "reason": "vui"}, "Hãy chọn lý do"),
], ids=["no-date", "date-too-early", "no-evidence", "other-without-note", "unknown-reason"])
def test_incomplete_requests_say_what_to_fix_and_write_nothing(app, team, fields, message):
    with pytest.raises(ExemptionError, match=message):
        exemptions.submit(team["late"], team["assignment"], by=team["head"], **fields)
    assert db.session.scalar(select(Exemption.id)) is None


def test_one_waiting_request_per_person_and_assignment(app, team):
    exemptions.submit(team["late"], team["assignment"], kind="exempt", reason="maternity", by=team["head"])
    with pytest.raises(ExemptionError, match="đang chờ duyệt"):
        exemptions.submit(team["late"], team["assignment"], kind="exempt", reason="long_sick", by=team["head"])


def test_a_refusal_needs_a_reason_and_withdrawing_an_exemption_counts_the_person_again(app, team):
    a, late = team["assignment"], team["late"]
    row = exemptions.submit(late, a, kind="exempt", reason="secondment", by=team["head"])
    with pytest.raises(ExemptionError, match="lý do từ chối"):
        exemptions.decide(row, team["hr"], approved=False, note="")
    exemptions.decide(row, team["hr"], approved=False, note="Chưa có quyết định biệt phái")
    assert row.status == ExemptionStatus.REJECTED.value and statuses(a)[late.id] == "overdue"
    approved = exemptions.submit(late, a, kind="exempt", reason="secondment", by=team["hr"], approve=True)
    assert statuses(a)[late.id] == "exempt"
    exemptions.withdraw(approved, team["hr"])
    assert statuses(a)[late.id] == "overdue"
    assert "exemption.withdrawn" in set(db.session.scalars(select(AuditEvent.action)))


def _request_page(client, team, **data):
    url = f"/can-bo/{team['late'].id}/giao-hoc/{team['assignment'].id}/ngoai-le"
    return client.post(url, data={"kind": "exempt", "reason": "maternity", **data})


def test_unit_head_requests_and_hr_approves_through_the_pages(app, client, login, team):
    login(team["head"])
    page = client.get(f"/can-bo/{team['late'].id}/ho-so-hoc-tap")
    assert page.status_code == 200 and "Nguyễn Thị Sinh" in page.text and "Quá hạn" in page.text
    bad = _request_page(client, team, reason="equivalent", evidence="")
    assert bad.status_code == 400 and "cần minh chứng" in bad.text
    assert _request_page(client, team).status_code == 302
    db.session.expire_all()
    row = db.session.scalar(select(Exemption))
    assert row.status == "requested" and row.requested_by_id == team["head"].id
    assert client.get("/ngoai-le").status_code == 403  # unit heads ask, HR decides
    assert client.get(f"/ngoai-le/{row.id}/duyet").status_code == 403
    client.post("/dang-xuat")
    login(team["hr"])
    listing = client.get("/ngoai-le")
    assert "Nguyễn Thị Sinh" in listing.text and "Nghỉ thai sản" in listing.text
    confirm = client.get(f"/ngoai-le/{row.id}/duyet")
    assert confirm.status_code == 200 and "Xác nhận duyệt" in confirm.text
    assert client.post(f"/ngoai-le/{row.id}/duyet", data={"note": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Exemption, row.id).status == "approved"
    assert statuses(team["assignment"])[team["late"].id] == "exempt"
    again = client.post(f"/ngoai-le/{row.id}/tu-choi", data={"note": "Muộn rồi"}, follow_redirects=True)
    assert "đã được xử lý" in again.text and db.session.get(Exemption, row.id).status == "approved"


def test_a_unit_head_cannot_ask_for_people_outside_their_unit(app, client, login, team):
    login(team["head"])
    url = f"/can-bo/{team['outsider'].id}/giao-hoc/{team['assignment'].id}/ngoai-le"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"kind": "exempt", "reason": "maternity"}).status_code == 403
    assert db.session.scalar(select(Exemption.id)) is None


def test_the_dashboard_and_the_par_evidence_count_the_exempt_beside_the_rates(app, client, login, team,
                                                                              create_account):
    a = team["assignment"]
    exemptions.submit(team["late"], a, kind="exempt", reason="maternity", by=team["hr"], approve=True)
    db.session.commit()
    login(team["hr"])
    page = client.get(f"/tuan-thu?don-vi={team['dept'].id}").text
    # Sở Tư pháp: the one who passed, the exempt one, and the unit head (overdue) → 2 enrolments, 50 %
    assert "1 lượt (1 người), không tính vào tỷ lệ" in page
    assert "<dt>Lượt phải học</dt><dd>2</dd>" in page and "<dd>1 (50%)</dd>" in page
    csv = client.post(f"/tuan-thu/xuat.csv?don-vi={team['dept'].id}", data=EXPORT_PURPOSE).data.decode("utf-8-sig")
    assert csv.splitlines()[0].endswith("Được miễn")
    client.post("/dang-xuat")
    login(create_account((Role.PAR_ASSESSOR, None)))
    score = next(s for s in par_queries.table_for(a.period).scores if s.code == "STP")
    assert (score.counts.assigned, score.counts.passed, score.counts.exempt) == (2, 1, 1)
    assert score.indicators["completion_rate"] == 0.5
    book = load_workbook(io.BytesIO(client.post(f"/cchc/{a.period}/don-vi/{team['dept'].id}/minh-chung.xlsx",
                                                data=EXPORT_PURPOSE).data))
    sheet = book["Số liệu"]
    assert sheet["I1"].value == "Được miễn" and sheet["I2"].value == 1 and sheet["C2"].value == 2
    rows = list(book["TC 4.1"].iter_rows(min_row=2, values_only=True))
    exempt = [r for r in rows if r[5] == "Được miễn"]
    assert len(exempt) == 1 and exempt[0][-1].startswith("không (được miễn")


def test_a_frozen_par_snapshot_does_not_change_when_someone_is_exempted_later(app, team):
    from learning.par import services as par_services

    a = team["assignment"]
    par_services.freeze(a.period, None)
    db.session.commit()
    before = next(s for s in par_queries.table_for(a.period).scores if s.code == "STP")
    exemptions.submit(team["late"], a, kind="exempt", reason="long_sick", by=team["hr"], approve=True)
    db.session.commit()
    frozen = next(s for s in par_queries.table_for(a.period).scores if s.code == "STP")
    assert (frozen.counts.assigned, frozen.counts.exempt, frozen.total) == (before.counts.assigned, 0, before.total)
    live = next(s for s in par_services.live_scores(a.period, par_services.scoring.active_rubric()) if s.code == "STP")
    assert (live.counts.assigned, live.counts.exempt) == (before.counts.assigned - 1, 1)
