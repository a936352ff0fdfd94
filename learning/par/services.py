"""Rubric uploads, verified points and snapshots. Callers own the transaction."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select, update

from learning.audit.services import record
from learning.auth.models import Account
from learning.core.dates import local_today, utcnow
from learning.extensions import db
from learning.par import cache, evidence, rubric, scoring
from learning.par.models import RubricVersion, Snapshot, Verification


def ensure_shipped_rubric() -> RubricVersion:
    """The example rubric, loaded (and made active) if no rubric exists yet."""
    existing = scoring.active_rubric()
    if existing is not None:
        return existing
    name, text = rubric.shipped()[0]
    return upload(text, by=None, activate=True)


def upload(text: str, *, by: Account | None, activate: bool = True) -> RubricVersion:
    parsed = rubric.parse(text)  # raises RubricError with readable problems
    version = db.session.scalar(select(RubricVersion).where(RubricVersion.code == parsed.code,
                                                            RubricVersion.version == parsed.version))
    if version is not None and version.text != text:
        raise rubric.RubricError([gettext("phiên bản %(code)s %(version)s đã có với nội dung khác; "
                                          "hãy tăng số phiên bản (version)", code=parsed.code, version=parsed.version)])
    if version is None:
        version = RubricVersion(code=parsed.code, version=parsed.version, title=parsed.title, text=text,
                                example=parsed.example, uploaded_by_id=by.id if by else None)
        db.session.add(version)
        db.session.flush()
        record("par.rubric_uploaded", actor_id=by.id if by else None, obj=version,
               code=parsed.code, version=parsed.version)
    if activate:
        previous = scoring.active_rubric()
        db.session.execute(update(RubricVersion).values(active=False))
        version.active = True
        record("par.rubric_activated", actor_id=by.id if by else None, obj=version,
               before=previous.label if previous else None, after=version.label)
    return version


def verify(period: int, unit_id: int, rubric_version: RubricVersion, criterion: str, points: float | None,
           note: str, by: Account) -> Verification:
    parsed = rubric_version.rubric
    maximum = next(c.max_points for c in parsed.criteria if c.code == criterion)
    if points is not None and not 0 <= points <= maximum:
        raise ValueError(gettext("Điểm thẩm định của tiêu chí %(code)s phải từ 0 đến %(max)s.", code=criterion,
                                 max=format(maximum, "g")))
    if scoring.snapshot_of(period) is not None:
        raise ValueError(gettext("Kỳ %(y)s đã đóng băng; không sửa được điểm thẩm định.", y=period))
    row = db.session.scalar(select(Verification).where(
        Verification.period == period, Verification.unit_id == unit_id,
        Verification.rubric_id == rubric_version.id, Verification.criterion == criterion))
    if row is None:
        row = Verification(period=period, unit_id=unit_id, rubric_id=rubric_version.id, criterion=criterion)
        db.session.add(row)
    before = (row.points, row.note)
    row.points, row.note, row.updated_by_id = points, note, by.id
    record("par.verified", actor_id=by.id, object_type="unit", object_id=unit_id, period=period,
           criterion=criterion, before=list(before), after=[points, note])
    return row


def live_scores(period: int, rubric_version: RubricVersion, cached: bool = True) -> list[scoring.UnitScore]:
    """The current table (computed, or from the cache while data and date are unchanged: see par.cache)."""
    scores = (cache.computed_scores(period, rubric_version) if cached
              else scoring.compute(period, rubric_version.rubric, local_today()))
    return scoring.with_verifications(scores, period, rubric_version.id)


def freeze(period: int, by: Account | None) -> Snapshot:
    """Freeze the period: the table, the rubric version and the evidence rows, as they are now."""
    if scoring.snapshot_of(period) is not None:
        raise ValueError(gettext("Kỳ %(y)s đã được đóng băng trước đó.", y=period))
    version = scoring.active_rubric() or ensure_shipped_rubric()
    scores = live_scores(period, version, cached=False)  # a snapshot is computed afresh
    snapshot = Snapshot(period=period, rubric_id=version.id, frozen_by_id=by.id if by else None, data={
        "rubric": {"code": version.code, "version": version.version, "text": version.text},
        "units": scoring.to_data(scores),
        "evidence": {str(s.unit_id): evidence.rows_for(period, s.unit_id) for s in scores},
    })
    db.session.add(snapshot)
    db.session.flush()
    record("par.frozen", actor_id=by.id if by else None, obj=snapshot, period=period, rubric=version.label,
           units=len(scores))
    return snapshot


def freeze_preview(period: int) -> dict:
    """What freezing the period now would keep: units, their points, evidence rows (enrolments)."""
    version = scoring.active_rubric() or ensure_shipped_rubric()
    scores = live_scores(period, version)
    return {"rubric": version, "units": len(scores),
            "verified": sum(1 for s in scores if s.verified),
            "assigned": sum(s.counts.assigned for s in scores),
            "people": sum(s.counts.people for s in scores),
            "points": round(sum(s.total for s in scores), 2)}


def unfreeze(period: int, by: Account, reason: str) -> Snapshot:
    """Take the period's snapshot out of force (kept and viewable), so the table is live again."""
    snapshot = scoring.snapshot_of(period)
    if snapshot is None:
        raise ValueError(gettext("Kỳ %(y)s chưa chốt số liệu.", y=period))
    reason = reason.strip()
    if len(reason) < 5:
        raise ValueError(gettext("Hãy ghi lý do mở chốt (ít nhất 5 ký tự)."))
    snapshot.unfrozen_at, snapshot.unfrozen_by_id, snapshot.unfreeze_reason = utcnow(), by.id, reason[:1000]
    record("par.unfrozen", actor_id=by.id, obj=snapshot, period=period, reason=snapshot.unfreeze_reason,
           frozen_at=snapshot.frozen_at.isoformat())
    return snapshot
