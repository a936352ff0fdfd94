"""The notice page ("Thông báo"): one's own notices, newest first, paginated, marked read; a count in the nav."""

from datetime import timedelta

from sqlalchemy import select

from learning.audit.models import AuditEvent
from learning.core.dates import utcnow
from learning.extensions import db
from learning.notify.models import Notice
from learning.notify.services import PER_PAGE, notify


def test_notices_are_listed_newest_first_with_pages_and_a_count_in_the_nav(client, login, create_account):
    account = create_account()
    start = utcnow() - timedelta(days=30)
    for n in range(PER_PAGE + 3):
        notify(account.id, "reminder.before", f"Nhắc số {n:02d}").created_at = start + timedelta(hours=n)
    db.session.commit()
    login(account)
    first = client.get("/thong-bao").text
    assert first.index(f"Nhắc số {PER_PAGE + 2:02d}") < first.index(f"Nhắc số {PER_PAGE + 1:02d}")
    assert "Nhắc số 00" not in first and "Trang 1 / 2" in first
    assert f'<span class="badge">{PER_PAGE + 3}</span>' in first
    assert "Nhắc số 00" in client.get("/thong-bao?page=2").text


def test_marking_read_changes_the_count_and_is_audited(client, login, create_account):
    account = create_account()
    one, _two = notify(account.id, "reminder.due", "Một"), notify(account.id, "reminder.due", "Hai")
    db.session.commit()
    login(account)
    assert client.post(f"/thong-bao/{one.id}/da-doc").status_code == 302
    assert '<span class="badge">1</span>' in client.get("/thong-bao").text
    client.post("/thong-bao/da-doc-het")
    page = client.get("/thong-bao").text
    assert 'class="badge"' not in page and "Đã đánh dấu 1 thông báo là đã đọc." in page
    assert all(n.read_at for n in db.session.scalars(select(Notice)))
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("notice.%"))))
    assert actions == {"notice.read", "notice.read_all"}


def test_nobody_reads_or_marks_another_persons_notice(client, login, create_account):
    mine, theirs = create_account(full_name="Lê Văn Một"), create_account(full_name="Trần Văn Hai")
    notice = notify(theirs.id, "reminder.due", "Riêng của người khác")
    db.session.commit()
    login(mine)
    assert "Riêng của người khác" not in client.get("/thong-bao").text
    assert client.post(f"/thong-bao/{notice.id}/da-doc").status_code == 404
    db.session.refresh(notice)
    assert notice.read_at is None


def test_the_page_escapes_what_a_notice_says(client, login, create_account):
    account = create_account()
    notify(account.id, "reminder.due", "<script>alert(1)</script>", body="<b>x</b>")
    db.session.commit()
    login(account)
    page = client.get("/thong-bao").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
