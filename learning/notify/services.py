"""Notices: add, count, list and mark read. Callers own the transaction."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select, update

from learning.audit.services import record
from learning.core.dates import utcnow
from learning.core.pagination import Page, paginate
from learning.extensions import db
from learning.notify.models import Notice

PER_PAGE = 20


def notify(account_id: int, kind: str, title: str, body: str = "", link: str = "") -> Notice:
    notice = Notice(account_id=account_id, kind=kind, title=title[:300], body=body, link=link[:300])
    db.session.add(notice)
    return notice


def path_for(endpoint: str, **values: object) -> str:
    """The path of a page of this site, without a request (the CLI and background tasks make notices)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def unread_count(account_id: int) -> int:
    return db.session.scalar(select(func.count(Notice.id)).where(Notice.account_id == account_id,
                                                                 Notice.read_at.is_(None))) or 0


def notices_of(account_id: int, page: int) -> Page[Notice]:
    """The account's notices, newest first."""
    return paginate(select(Notice).where(Notice.account_id == account_id)
                    .order_by(Notice.created_at.desc(), Notice.id.desc()), page, PER_PAGE)


def mark_read(notice: Notice) -> bool:
    if notice.read_at is not None:
        return False
    notice.read_at = utcnow()
    record("notice.read", actor_id=notice.account_id, obj=notice)
    return True


def mark_all_read(account_id: int) -> int:
    result = db.session.execute(update(Notice).where(Notice.account_id == account_id, Notice.read_at.is_(None))
                                .values(read_at=utcnow()))
    if result.rowcount:
        record("notice.read_all", actor_id=account_id, object_type="account", object_id=account_id,
               count=result.rowcount)
    return result.rowcount
