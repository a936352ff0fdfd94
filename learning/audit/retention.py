"""How long personal data is kept, and the purge that applies it. Callers own the transaction.

Two settings, stored in ``retention_policy`` and changed by an administrator (audit-logged):

- audit events older than ``audit_months`` are deleted, except the events that are evidence behind
  certificates and PAR snapshots (issue, revoke, re-issue, rubric, verified points, freeze) and the
  retention events themselves: those are kept with the IP address removed;
- quiz attempts older than ``attempt_months`` lose their answer details (drawn questions, option order,
  answers, per-question results). An attempt that backs a completion — and so a certificate and the PAR
  indicators — keeps its score, result and dates; any other old attempt is deleted.

Uploaded staff lists are kept only between the preview and the confirmation: the file of a confirmed
import is dropped when it is applied (its summary and audit event stay), and a preview left
unconfirmed for ``IMPORT_PREVIEW_HOURS`` is deleted by the purge.

The purge records one ``retention.purged`` event with what it removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import gettext
from sqlalchemy import delete, func, select, update

from learning.assessment.models import Attempt
from learning.audit.models import AuditEvent, RetentionPolicy
from learning.audit.services import record
from learning.auth.models import Account
from learning.catalog.models import Completion
from learning.core.dates import utcnow
from learning.extensions import db
from learning.jobs import task
from learning.org.models import StaffImport

DEFAULT_AUDIT_MONTHS = 36
DEFAULT_ATTEMPT_MONTHS = 24
MIN_AUDIT_MONTHS = 12
MIN_ATTEMPT_MONTHS = 6
MAX_MONTHS = 240
IMPORT_PREVIEW_HOURS = 24
# Kept past the retention period (IP removed): what certificates and PAR snapshots rest on.
EVIDENCE_ACTIONS = frozenset({
    "certificate.issued", "certificate.revoked", "certificate.reissued",
    "par.rubric_uploaded", "par.rubric_activated", "par.verified", "par.frozen",
    "retention.policy_changed", "retention.purged",
})


@dataclass(frozen=True)
class Policy:
    audit_months: int
    attempt_months: int
    updated_at: datetime | None = None
    updated_by: Account | None = None


@dataclass
class PurgeReport:
    audit_cutoff: str
    attempt_cutoff: str
    audit_deleted: int = 0
    audit_anonymised: int = 0
    attempts_deleted: int = 0
    attempts_stripped: int = 0
    imports_deleted: int = 0

    def as_detail(self) -> dict:
        return asdict(self)


def current_policy() -> Policy:
    row = db.session.scalar(select(RetentionPolicy).order_by(RetentionPolicy.id))
    if row is None:
        return Policy(DEFAULT_AUDIT_MONTHS, DEFAULT_ATTEMPT_MONTHS)
    return Policy(row.audit_months, row.attempt_months, row.updated_at, row.updated_by)


def problems(audit_months: int, attempt_months: int) -> list[str]:
    """Messages for values the policy refuses (the admin form shows the same bounds)."""
    found = []
    if not MIN_AUDIT_MONTHS <= audit_months <= MAX_MONTHS:
        found.append(gettext("Nhật ký hệ thống phải được giữ từ %(min)s đến %(max)s tháng.",
                             min=MIN_AUDIT_MONTHS, max=MAX_MONTHS))
    if not MIN_ATTEMPT_MONTHS <= attempt_months <= MAX_MONTHS:
        found.append(gettext("Chi tiết bài làm phải được giữ từ %(min)s đến %(max)s tháng.",
                             min=MIN_ATTEMPT_MONTHS, max=MAX_MONTHS))
    return found


def change_policy(audit_months: int, attempt_months: int, *, by: Account) -> Policy:
    """Store the new periods and log the change with before and after."""
    found = problems(audit_months, attempt_months)
    if found:
        raise ValueError(" ".join(found))
    before = current_policy()
    row = db.session.scalar(select(RetentionPolicy).order_by(RetentionPolicy.id))
    if row is None:
        row = RetentionPolicy()
        db.session.add(row)
    row.audit_months, row.attempt_months = audit_months, attempt_months
    row.updated_at, row.updated_by_id = utcnow(), by.id
    db.session.flush()
    record("retention.policy_changed", actor_id=by.id, obj=row,
           before={"audit_months": before.audit_months, "attempt_months": before.attempt_months},
           after={"audit_months": audit_months, "attempt_months": attempt_months})
    return current_policy()


def _cutoffs(policy: Policy, now: datetime) -> tuple[datetime, datetime]:
    return now - relativedelta(months=policy.audit_months), now - relativedelta(months=policy.attempt_months)


def _backing_attempts():
    return select(Completion.attempt_id).where(Completion.attempt_id.is_not(None))


def purge(*, dry_run: bool = False, now: datetime | None = None, actor: Account | None = None,
          via: str = "cli") -> PurgeReport:
    """Apply the policy; with ``dry_run`` only count what would go (and write nothing)."""
    now = now or utcnow()
    audit_cutoff, attempt_cutoff = _cutoffs(current_policy(), now)
    report = PurgeReport(audit_cutoff.isoformat(timespec="seconds"), attempt_cutoff.isoformat(timespec="seconds"))
    old_event = AuditEvent.at < audit_cutoff
    evidence = AuditEvent.action.in_(EVIDENCE_ACTIONS)
    old_attempt = func.coalesce(Attempt.submitted_at, Attempt.started_at) < attempt_cutoff
    backing = Attempt.id.in_(_backing_attempts())
    to_strip = (old_attempt, backing, Attempt.details_purged_at.is_(None))

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count(model.id)).where(*where)) or 0

    report.audit_deleted = count(AuditEvent, old_event, ~evidence)
    report.audit_anonymised = count(AuditEvent, old_event, evidence, AuditEvent.ip != "")
    report.attempts_deleted = count(Attempt, old_attempt, ~backing)
    report.attempts_stripped = count(Attempt, *to_strip)
    preview_cutoff = now - timedelta(hours=IMPORT_PREVIEW_HOURS)
    stale_preview = (StaffImport.applied_at.is_(None), StaffImport.created_at < preview_cutoff)
    applied_file = (StaffImport.applied_at.is_not(None), func.length(StaffImport.data) > 0)
    report.imports_deleted = count(StaffImport, *stale_preview)
    if dry_run:
        return report
    db.session.execute(delete(AuditEvent).where(old_event, ~evidence), execution_options={"synchronize_session": False})
    db.session.execute(update(AuditEvent).where(old_event, evidence, AuditEvent.ip != "").values(ip=""),
                       execution_options={"synchronize_session": False})
    db.session.execute(delete(Attempt).where(old_attempt, ~backing), execution_options={"synchronize_session": False})
    db.session.execute(update(Attempt).where(*to_strip).values(
        pages=[], option_order={}, answers={}, results={}, details_purged_at=now),
        execution_options={"synchronize_session": False})
    db.session.execute(delete(StaffImport).where(*stale_preview), execution_options={"synchronize_session": False})
    # Imports confirmed before their file was dropped on apply: drop it now.
    db.session.execute(update(StaffImport).where(*applied_file).values(data=b""),
                       execution_options={"synchronize_session": False})
    record("retention.purged", actor_id=actor.id if actor else None, object_type="retention_policy",
           via=via, **report.as_detail())
    return report


@task("retention.purge")
def scheduled_purge() -> None:
    """The nightly purge (Celery beat); the task runner commits."""
    purge(via="beat")
