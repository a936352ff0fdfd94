"""Ending assignments ("Kết thúc đợt giao") after a confirmation page, as one audited batch; reopening them."""

from sqlalchemy import select

from learning.assignments.models import Assignment
from learning.audit.models import AuditEvent
from learning.auth.models import Role
from learning.extensions import db


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_ending_many_asks_first_then_writes_one_batch_event(app, client, login, create_account, org,
                                                             create_assignment, create_person):
    create_person("Lê Văn Một", unit=org["dept"])
    create_person("Lê Văn Hai", unit=org["office"])
    first, second = create_assignment(org["dept"]), create_assignment(org["office"])
    db.session.commit()
    login(create_account((Role.HR, None)))
    listing = client.get("/giao-hoc").text
    assert "Kết thúc đợt giao" in listing and 'type="checkbox"' in listing
    page = client.get(f"/giao-hoc/ket-thuc?id={first.id}&id={second.id}")
    assert page.status_code == 200
    assert "Sẽ kết thúc 2 đợt giao học, gồm 3 lượt phải học" in page.text  # 2 people + HR's own, 1 in office
    assert db.session.get(Assignment, first.id).active  # the page only asks
    done = client.post("/giao-hoc/ket-thuc", data={"id": [str(first.id), str(second.id)]})
    assert done.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Assignment, first.id).active and not db.session.get(Assignment, second.id).active
    [batch] = _events("assignment.closed_batch")
    assert batch.detail["count"] == 2 and sorted(batch.detail["ids"]) == sorted([first.id, second.id])
    singles = _events("assignment.closed")
    assert len(singles) == 2 and {e.detail["batch"] for e in singles} == {batch.detail["batch"]}


def test_nothing_selected_is_a_clear_message(app, client, login, create_account, org, create_assignment):
    create_assignment(org["dept"])
    db.session.commit()
    login(create_account((Role.HR, None)))
    response = client.get("/giao-hoc/ket-thuc", follow_redirects=True)
    assert "Hãy đánh dấu ít nhất một đợt giao học" in response.text
    assert _events("assignment.closed_batch") == []


def test_one_out_of_scope_assignment_refuses_the_whole_batch(app, client, login, create_account, org,
                                                             create_assignment):
    inside, outside = create_assignment(org["dept"]), create_assignment(org["other"])
    db.session.commit()
    login(create_account((Role.HR, org["dept"]), unit=org["dept"]))
    assert client.get(f"/giao-hoc/ket-thuc?id={inside.id}&id={outside.id}").status_code == 403
    assert client.post("/giao-hoc/ket-thuc", data={"id": [str(inside.id), str(outside.id)]}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Assignment, inside.id).active and db.session.get(Assignment, outside.id).active


def test_single_end_confirms_and_can_be_reopened(app, client, login, create_account, org, create_assignment):
    assignment = create_assignment(org["dept"])
    db.session.commit()
    login(create_account((Role.HR, None)))
    confirm = client.get(f"/giao-hoc/{assignment.id}/dong")
    assert confirm.status_code == 200 and "Kết thúc 1 đợt giao" in confirm.text and "Chốt số liệu" in confirm.text
    assert db.session.get(Assignment, assignment.id).active
    client.post(f"/giao-hoc/{assignment.id}/dong")
    db.session.expire_all()
    assert not db.session.get(Assignment, assignment.id).active
    assert "Mở lại" in client.get("/giao-hoc").text
    assert client.get(f"/giao-hoc/{assignment.id}/mo-lai").status_code == 200
    reopened = client.post(f"/giao-hoc/{assignment.id}/mo-lai", follow_redirects=True)
    assert "Đã mở lại đợt giao học" in reopened.text
    db.session.expire_all()
    assert db.session.get(Assignment, assignment.id).active
    [event] = _events("assignment.reopened")
    assert event.object_id == str(assignment.id)
