"""The status of each targeted person for each assignment, derived in SQL (nothing is stored).

Rules, in order:

- **được miễn** — the latest approved exemption row of the person × assignment is an exemption; such
  enrolments leave every denominator and are counted on their own;
- **đã đạt** — a completion not withdrawn (a certificate revoked) on or after the window start;
- **quá hạn** — the person's own due date has passed: the assignment's due date for people present at its
  start; ``joined_on + joiner_days`` (never before the assignment's due date) for people who joined after
  it; pushed to ``new_due_on`` by an approved extension;
- **hết hạn chứng nhận** — an older completion that no longer counts;
- **đang học** — a lesson read or an attempt started since the window start;
- **chưa học** — otherwise.

People are counted in the unit they belonged to during the period (``audience``); a person who left before
their own due date is not counted, one who left after it is (their result for the period stands).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select

from learning.assessment.models import Attempt
from learning.assignments.models import Assignment, Exemption, ExemptionKind, ExemptionStatus
from learning.catalog.models import Completion, LessonProgress
from learning.certification.models import Certificate, StoredStatus
from learning.progress.audience import all_targets
from learning.progress.labels import Status
from learning.progress.sql import days_after, end_of_local_day


def withdrawn() -> ColumnElement[bool]:
    """The completion has certificates and all of them are revoked: it no longer counts.

    Looked for from the few revoked certificates, not by joining every certificate to every completion.
    """
    # Table aliases, not ORM ``aliased()``: the same SQL, built in a tenth of the time (every learner page
    # builds this expression).
    revoked = Certificate.__table__.alias()
    other = Certificate.__table__.alias()
    kept = (select(other.c.id).where(other.c.completion_id == revoked.c.completion_id,
                                     other.c.status != StoredStatus.REVOKED)
            .correlate(revoked).exists())
    return (select(revoked.c.id).where(revoked.c.completion_id == Completion.id,
                                       revoked.c.status == StoredStatus.REVOKED, ~kept)
            .correlate(Completion).exists())


def last_completions(person_id: int | None = None) -> Select:
    """Each person's (or one person's) latest counting completion per course, with its score."""
    valid = (select(Completion.person_id, Completion.course_id, Completion.completed_at, Completion.score)
             .where(~withdrawn()))
    if person_id is not None:
        valid = valid.where(Completion.person_id == person_id)
    valid = valid.subquery()
    ranked = select(valid, func.row_number().over(
        partition_by=(valid.c.person_id, valid.c.course_id),
        order_by=valid.c.completed_at.desc()).label("rank")).subquery()
    return select(ranked.c.person_id, ranked.c.course_id, ranked.c.completed_at,
                  ranked.c.score).where(ranked.c.rank == 1)


def current_certificates(person_id: int | None = None) -> Select:
    """Each person's (or one person's) latest valid-until date of a non-revoked certificate, per course."""
    query = (select(Certificate.person_id, Certificate.course_id,
                    func.max(Certificate.valid_until).label("valid_until"))
             .where(Certificate.stored_status == StoredStatus.VALID)
             .group_by(Certificate.person_id, Certificate.course_id))
    return query.where(Certificate.person_id == person_id) if person_id is not None else query


def decisions(assignment_ids: list[int], person_id: int | None = None) -> Select:
    """(person_id, assignment_id, kind, new_due_on): the latest approved exemption row per person × assignment."""
    query = select(Exemption.person_id, Exemption.assignment_id, Exemption.kind, Exemption.new_due_on,
                   func.row_number().over(partition_by=(Exemption.person_id, Exemption.assignment_id),
                                          order_by=Exemption.id.desc()).label("rank")).where(
        Exemption.status == ExemptionStatus.APPROVED.value, Exemption.assignment_id.in_(assignment_ids))
    if person_id is not None:
        query = query.where(Exemption.person_id == person_id)
    ranked = query.subquery("decision_ranked")
    return select(ranked.c.person_id, ranked.c.assignment_id, ranked.c.kind, ranked.c.new_due_on).where(
        ranked.c.rank == 1)


def enrolments(assignments: list[Assignment], scope: ColumnElement[bool] | None = None,
               person_id: int | None = None):
    """The counted (assignment, person) pairs with the person's own due date (``own_due``) and whether
    they are exempt, as a subquery; leavers who left before their own due date are left out."""
    target = all_targets(assignments, scope)
    decision = decisions([a.id for a in assignments], person_id).subquery("decision")
    joiner_due = days_after(target.c.joined_on, target.c.joiner_days)
    base_due = case((and_(target.c.joined_on.is_not(None), target.c.joined_on > target.c.starts_on,
                          joiner_due > target.c.due_on), joiner_due), else_=target.c.due_on)
    extended = and_(decision.c.kind == ExemptionKind.EXTEND.value, decision.c.new_due_on.is_not(None))
    stage = (select(target, base_due.label("base_due"), case((extended, decision.c.new_due_on), else_=None)
                    .label("extended_to"),
                    case((decision.c.kind == ExemptionKind.EXEMPT.value, True), else_=False).label("exempt"))
             .outerjoin(decision, and_(decision.c.person_id == target.c.person_id,
                                       decision.c.assignment_id == target.c.assignment_id))
             .subquery("enrolment_due"))
    own_due = case((and_(stage.c.extended_to.is_not(None), stage.c.extended_to > stage.c.base_due),
                    stage.c.extended_to), else_=stage.c.base_due)
    counted = (select(stage.c.assignment_id, stage.c.course_id, stage.c.person_id, stage.c.unit_id,
                      stage.c.unit_path, stage.c.window_start, stage.c.exempt, stage.c.left_on,
                      own_due.label("own_due"))
               .subquery("enrolment_own"))
    return (select(counted).where(or_(counted.c.left_on.is_(None), counted.c.left_on >= counted.c.own_due))
            .subquery("enrolment"))


def _activity(target) -> ColumnElement[bool]:
    """A lesson read or an attempt started since the window start (index lookups, only for the rows that
    reach this branch of the status)."""
    read = select(LessonProgress.id).where(LessonProgress.person_id == target.c.person_id,
                                           LessonProgress.course_id == target.c.course_id,
                                           LessonProgress.read_at >= target.c.window_start).exists()
    tried = select(Attempt.id).where(Attempt.person_id == target.c.person_id,
                                     Attempt.course_id == target.c.course_id,
                                     Attempt.started_at >= target.c.window_start).exists()
    return or_(read, tried)


def status_rows(assignments: list[Assignment], today: date,
                scope: ColumnElement[bool] | None = None, reference_day: date | None = None,
                person_id: int | None = None, certified: bool = True) -> Select | None:
    """One row per (assignment, counted person): status, own due date, completion date, score, on time, and
    whether the person holds a certificate still valid on ``reference_day`` (default: today).

    ``person_id`` limits the rows to one person; the completions and certificates are then read for
    that person only, not grouped over everyone (a learner's page stays fast at any size). With
    ``certified=False`` the certificates are not read and ``certified`` is always false (dashboards)."""
    if not assignments:
        return None
    if person_id is not None:
        from learning.org.models import Person

        scope = and_(scope, Person.id == person_id) if scope is not None else Person.id == person_id
    target = enrolments(assignments, scope, person_id)
    done = last_completions(person_id).subquery("done")
    certs = current_certificates(person_id).subquery("certs") if certified else None
    counts = and_(done.c.completed_at.is_not(None), done.c.completed_at >= target.c.window_start)
    status = case(
        (target.c.exempt, Status.EXEMPT.value),
        (counts, Status.PASSED.value),
        (target.c.own_due < today, Status.OVERDUE.value),
        (done.c.completed_at.is_not(None), Status.EXPIRED.value),
        (_activity(target), Status.IN_PROGRESS.value),
        else_=Status.NOT_STARTED.value,
    )
    query = (
        select(target.c.assignment_id, target.c.person_id, target.c.unit_id, target.c.unit_path,
               status.label("status"),
               case((counts, done.c.completed_at), else_=None).label("completed_at"),
               case((counts, done.c.score), else_=None).label("score"),
               case((and_(counts, done.c.completed_at < end_of_local_day(target.c.own_due)), True), else_=False)
               .label("on_time"),
               (case((certs.c.valid_until >= (reference_day or today), True), else_=False) if certs is not None
                else literal(False)).label("certified"),
               target.c.own_due.label("due_on"))
        .select_from(target)
        .outerjoin(done, and_(done.c.person_id == target.c.person_id,
                              done.c.course_id == target.c.course_id))
    )
    if certs is not None:
        query = query.outerjoin(certs, and_(certs.c.person_id == target.c.person_id,
                                            certs.c.course_id == target.c.course_id))
    return query


def overdue_rows(assignments: list[Assignment], today: date, scope: ColumnElement[bool] | None = None) -> Select | None:
    """The rows of ``status_rows`` whose status is OVERDUE, found without working out every status.

    Overdue is "not exempt, the own due date has passed and no completion counts": a non-revoked completion
    on or after the window start, which is what makes the latest one count in ``status_rows``.
    """
    if not any(a.due_on < today for a in assignments):
        # An extension can only push a due date later, so nobody is overdue before the assignment's date.
        return None
    target = enrolments(assignments, scope)
    counting = (select(Completion.id).where(Completion.person_id == target.c.person_id,
                                            Completion.course_id == target.c.course_id,
                                            Completion.completed_at >= target.c.window_start, ~withdrawn())
                .exists())
    return (select(target.c.assignment_id, target.c.person_id, target.c.unit_id, target.c.unit_path,
                   literal(Status.OVERDUE.value).label("status"), literal(None).label("completed_at"),
                   literal(None).label("score"), target.c.own_due.label("due_on"))
            .where(~target.c.exempt, target.c.own_due < today, ~counting))
