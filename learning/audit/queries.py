"""Everything the platform holds about one person, for the "my data" page and its JSON download."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, or_, select

from learning.assessment.models import Attempt
from learning.assignments.models import Assignment, ReminderLog
from learning.audit.models import AuditEvent
from learning.auth.models import Account, RoleGrant
from learning.catalog.models import Completion, Course, CourseVersion, Lesson, LessonOpening, LessonProgress
from learning.certification.models import Certificate
from learning.extensions import db

PAGE_EVENTS = 200  # the page shows the latest ones; the download has them all


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _events_about(account: Account, certificate_ids: list[int], attempt_ids: list[int]):
    """Events the person did, and events about their account, person record, certificates and attempts."""
    def about(kind: str, ids: list[int]):
        return and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_([str(i) for i in ids]))

    return select(AuditEvent).where(or_(
        AuditEvent.actor_id == account.id, about("account", [account.id]), about("person", [account.person_id]),
        about("certificate", certificate_ids), about("attempt", attempt_ids),
    )).order_by(AuditEvent.id.desc())


def personal_data(account: Account, *, event_limit: int | None = None) -> dict[str, Any]:
    """A plain-JSON description of what is stored about the account's person; no other person's data."""
    person = account.person
    grants = db.session.scalars(select(RoleGrant).where(RoleGrant.account_id == account.id).order_by(RoleGrant.id))
    attempts = list(db.session.execute(
        select(Attempt, Course.code).join(Course, Course.id == Attempt.course_id)
        .where(Attempt.person_id == person.id).order_by(Attempt.started_at)))
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.person_id == person.id).order_by(Certificate.issued_at)))
    reminders = db.session.execute(
        select(ReminderLog, Course.code).outerjoin(Assignment, Assignment.id == ReminderLog.assignment_id)
        .outerjoin(Course, Course.id == Assignment.course_id)
        .where(ReminderLog.person_id == person.id).order_by(ReminderLog.sent_at))
    events = _events_about(account, [c.id for c in certificates], [a.id for a, _code in attempts])
    if event_limit is not None:
        events = events.limit(event_limit)
    return {
        "person": {"employee_code": person.employee_code, "middle_name": person.middle_name,
                   "given_name": person.given_name, "email": person.email, "birth_date": _iso(person.birth_date),
                   "unit": person.unit.name, "unit_code": person.unit.code, "position": person.position,
                   "category": person.category_label, "active": person.active,
                   "created_at": _iso(person.created_at), "updated_at": _iso(person.updated_at)},
        "account": {"roles": sorted(r.label for r in account.roles), "status": account.status,
                    "created_at": _iso(account.created_at), "last_login_at": _iso(account.last_login_at),
                    "password_changed_at": _iso(account.password_changed_at),
                    "must_change_password": account.must_change_password},
        "grants": [{"role": g.role_label, "scope": g.unit.name if g.unit else gettext("Toàn tỉnh"),
                    "granted_at": _iso(g.created_at)} for g in grants],
        "lessons_read": [{"course": code, "lesson": p.lesson_slug, "read_at": _iso(p.read_at)}
                         for p, code in db.session.execute(
                             select(LessonProgress, Course.code).join(Course, Course.id == LessonProgress.course_id)
                             .where(LessonProgress.person_id == person.id).order_by(LessonProgress.read_at))],
        "lessons_opened": [{"course": code, "course_version": number, "lesson": slug,
                            "first_opened_at": _iso(opened)}
                           for opened, slug, number, code in db.session.execute(
                               select(LessonOpening.first_opened_at, Lesson.slug, CourseVersion.version, Course.code)
                               .join(Lesson, Lesson.id == LessonOpening.lesson_id)
                               .join(CourseVersion, CourseVersion.id == Lesson.course_version_id)
                               .join(Course, Course.id == CourseVersion.course_id)
                               .where(LessonOpening.person_id == person.id)
                               .order_by(LessonOpening.first_opened_at, LessonOpening.id))],
        "attempts": [{"course": code, "course_version_id": a.course_version_id, "started_at": _iso(a.started_at),
                      "submitted_at": _iso(a.submitted_at), "submit_reason": a.submit_reason or None,
                      "questions": len(a.question_ids), "answered": sum(1 for v in a.answers.values()
                                                                        if v.get("options")),
                      "answers": {qid: v.get("options", []) for qid, v in a.answers.items()},
                      "score": a.score, "passed": a.passed,
                      "details_purged_at": _iso(a.details_purged_at)} for a, code in attempts],
        "completions": [{"course": c.course.title, "completed_at": _iso(c.completed_at), "score": c.score}
                        for c in db.session.scalars(select(Completion).where(Completion.person_id == person.id)
                                                    .order_by(Completion.completed_at))],
        "certificates": [{"serial": c.serial, "course": c.course_title, "name_printed": c.person_name,
                          "unit_printed": c.unit_name, "score": c.score, "issued_at": _iso(c.issued_at),
                          "valid_until": _iso(c.valid_until), "status": c.stored_status,
                          "revoked_at": _iso(c.revoked_at), "revoke_reason": c.revoke_reason or None}
                         for c in certificates],
        "reminders": [{"day": _iso(r.day), "kind": r.kind, "course": code, "sent_at": _iso(r.sent_at)}
                      for r, code in reminders],
        # Only the person's own addresses: the address another member of staff acted from is theirs.
        "activity": [{"at": _iso(e.at), "action": e.action, "ip": e.ip if e.actor_id == account.id else None,
                      "by": None if e.actor_id in (None, account.id) else (e.actor.person.full_name if e.actor
                                                                           else None),
                      "object": f"{e.object_type}:{e.object_id}" if e.object_type else None}
                     for e in db.session.scalars(events)],
    }
