"""Exemptions and extensions of one person for one assignment: asked by a unit head, decided by HR.

A unit head (in scope) asks; HR (in scope) approves or refuses; HR may also enter one, approved at once.
Only approved rows change a person's status (``progress.engine.decisions``): an exemption takes the
enrolment out of every denominator, an extension gives the person a later due date. Rows are never
deleted: a decision or a withdrawal is a new status on the row, each one audit-logged.

Evidence: "đã học tương đương" (an equivalent course taken elsewhere) must name what proves it — the number
and date of the certificate or decision ("Giấy chứng nhận số 123/GCN-TTBD ngày 05/3/2026 của Trường Chính
trị tỉnh"). The paper stays in the personnel file HR keeps; the site stores the reference, which HR checks
before approving. No file is uploaded (nothing to scan, store or serve across nodes). Callers own the
transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload

from learning.assignments.models import Assignment, Exemption, ExemptionKind, ExemptionReason, ExemptionStatus
from learning.audit.services import record
from learning.auth.models import Account
from learning.core.dates import utcnow
from learning.extensions import db
from learning.org.models import Person, Unit

MAX_EXTENSION_DAYS = 366  # an extension reaches at most a year past the assignment's due date
MIN_EVIDENCE = 8  # characters: "GCN 12/3" is about the shortest reference that names a document
OPEN = (ExemptionStatus.REQUESTED.value, ExemptionStatus.APPROVED.value)


class ExemptionError(ValueError):
    """A request that cannot be accepted as given; the message says what to fix (Vietnamese)."""


def check(assignment: Assignment, kind: str, reason: str, new_due_on: date | None, note: str,
          evidence: str) -> None:
    """Raise ExemptionError unless the request is complete."""
    if kind not in ExemptionKind._value2member_map_:
        raise ExemptionError(gettext("Hãy chọn miễn hoặc gia hạn."))
    if reason not in ExemptionReason._value2member_map_:
        raise ExemptionError(gettext("Hãy chọn lý do."))
    if kind == ExemptionKind.EXTEND.value:
        if new_due_on is None:
            raise ExemptionError(gettext("Gia hạn cần ngày hạn mới."))
        if new_due_on <= assignment.due_on:
            raise ExemptionError(gettext("Hạn mới phải sau hạn chung của đợt giao (%(d)s).",
                                         d=assignment.due_on.strftime("%d/%m/%Y")))
        if new_due_on > assignment.due_on + timedelta(days=MAX_EXTENSION_DAYS):
            raise ExemptionError(gettext("Chỉ gia hạn tối đa một năm sau hạn chung của đợt giao."))
    if reason == ExemptionReason.EQUIVALENT.value and len(evidence.strip()) < MIN_EVIDENCE:
        raise ExemptionError(gettext("“Đã học tương đương” cần minh chứng: ghi số, ngày và nơi cấp giấy chứng "
                                     "nhận hoặc quyết định (ít nhất %(n)s ký tự).", n=MIN_EVIDENCE))
    if reason == ExemptionReason.OTHER.value and len(note.strip()) < 5:
        raise ExemptionError(gettext("Lý do khác: hãy ghi rõ lý do trong phần ghi chú."))


def open_request(person_id: int, assignment_id: int) -> Exemption | None:
    """The request of this person × assignment still waiting for HR, if any."""
    return db.session.scalar(select(Exemption).where(
        Exemption.person_id == person_id, Exemption.assignment_id == assignment_id,
        Exemption.status == ExemptionStatus.REQUESTED.value))


def submit(person: Person, assignment: Assignment, *, kind: str, reason: str, by: Account,
           new_due_on: date | None = None, note: str = "", evidence: str = "", approve: bool = False) -> Exemption:
    """A new request; ``approve`` (HR entering it) decides it at once. Raises ExemptionError."""
    note, evidence = note.strip(), evidence.strip()
    check(assignment, kind, reason, new_due_on, note, evidence)
    if open_request(person.id, assignment.id) is not None:
        raise ExemptionError(gettext("Đã có một đề nghị đang chờ duyệt cho khóa học này: hãy đợi bộ phận tổ "
                                     "chức cán bộ quyết định, hoặc rút đề nghị đó trước."))
    row = Exemption(person_id=person.id, assignment_id=assignment.id, kind=kind, reason=reason,
                    new_due_on=new_due_on if kind == ExemptionKind.EXTEND.value else None, note=note,
                    evidence=evidence, requested_by_id=by.id, status=ExemptionStatus.REQUESTED.value)
    db.session.add(row)
    db.session.flush()
    record("exemption.requested", actor_id=by.id, obj=row, person_id=person.id, assignment_id=assignment.id,
           kind=kind, reason=reason, new_due_on=row.new_due_on.isoformat() if row.new_due_on else None,
           evidence=evidence, note=note)
    if approve:
        decide(row, by, approved=True, note="")
    return row


def decide(row: Exemption, by: Account, *, approved: bool, note: str) -> None:
    """Approve or refuse a waiting request (a refusal needs a reason). Raises ExemptionError."""
    note = note.strip()
    if row.status != ExemptionStatus.REQUESTED.value:
        raise ExemptionError(gettext("Đề nghị này đã được xử lý trước đó."))
    if not approved and len(note) < 5:
        raise ExemptionError(gettext("Hãy ghi lý do từ chối (ít nhất 5 ký tự): người đề nghị sẽ đọc lý do này."))
    if approved:
        # Two requests approved for one person × assignment: the later row wins (engine.decisions); an
        # earlier approved one is closed so the transcript shows one decision in force.
        for earlier in db.session.scalars(select(Exemption).where(
                Exemption.person_id == row.person_id, Exemption.assignment_id == row.assignment_id,
                Exemption.status == ExemptionStatus.APPROVED.value, Exemption.id != row.id)):
            earlier.status = ExemptionStatus.WITHDRAWN.value
            earlier.decision_note = gettext("Thay bằng quyết định mới")
            record("exemption.withdrawn", actor_id=by.id, obj=earlier, person_id=earlier.person_id,
                   assignment_id=earlier.assignment_id, replaced_by=row.id)
    row.status = ExemptionStatus.APPROVED.value if approved else ExemptionStatus.REJECTED.value
    row.decided_by_id, row.decided_at, row.decision_note = by.id, utcnow(), note
    db.session.flush()
    record("exemption.approved" if approved else "exemption.refused", actor_id=by.id, obj=row,
           person_id=row.person_id, assignment_id=row.assignment_id, kind=row.kind, note=note)


def withdraw(row: Exemption, by: Account, note: str = "") -> None:
    """Withdraw a waiting request, or end an approved exemption/extension (the person counts again)."""
    if row.status not in OPEN:
        raise ExemptionError(gettext("Đề nghị này đã kết thúc, không rút được nữa."))
    before = row.status
    row.status = ExemptionStatus.WITHDRAWN.value
    row.decided_by_id, row.decided_at, row.decision_note = by.id, utcnow(), note.strip()
    db.session.flush()
    record("exemption.withdrawn", actor_id=by.id, obj=row, person_id=row.person_id,
           assignment_id=row.assignment_id, before=before, note=note.strip())


# The list names each person's unit with its parent (``Unit.qualified_name``): load both with the row.
_UNIT_AND_PARENT = joinedload(Person.unit).joinedload(Unit.parent)


def pending(scope: ColumnElement[bool], limit: int = 500) -> list[tuple[Exemption, Person, Assignment]]:
    """Requests waiting for HR among the people of ``scope`` (a clause on Unit), oldest first."""
    return list(db.session.execute(
        select(Exemption, Person, Assignment).join(Person, Person.id == Exemption.person_id)
        .join(Unit, Unit.id == Person.unit_id).join(Assignment, Assignment.id == Exemption.assignment_id)
        .where(Exemption.status == ExemptionStatus.REQUESTED.value, scope).options(_UNIT_AND_PARENT)
        .order_by(Exemption.requested_at, Exemption.id).limit(limit)).all())


def recent(scope: ColumnElement[bool], limit: int = 20) -> list[tuple[Exemption, Person, Assignment]]:
    """The latest decided rows among the people of ``scope``, newest first."""
    return list(db.session.execute(
        select(Exemption, Person, Assignment).join(Person, Person.id == Exemption.person_id)
        .join(Unit, Unit.id == Person.unit_id).join(Assignment, Assignment.id == Exemption.assignment_id)
        .where(Exemption.status != ExemptionStatus.REQUESTED.value, scope).options(_UNIT_AND_PARENT)
        .order_by(Exemption.decided_at.desc(), Exemption.id.desc()).limit(limit)).all())


def of_person(person_id: int) -> list[Exemption]:
    return list(db.session.scalars(select(Exemption).where(Exemption.person_id == person_id)
                                   .order_by(Exemption.id.desc())))


def accounts_by_id(rows: list[Exemption]) -> dict[int, Account]:
    """The requesters and deciders of ``rows``, in one query."""
    ids = {i for r in rows for i in (r.requested_by_id, r.decided_by_id) if i}
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(Account).where(Account.id.in_(ids)))}
