"""Invitation e-mails: a single-use activation link per invited account, sent as a background job.

``select`` sorts people into those to invite (``invited`` accounts of present people with an e-mail) and the
others, counted for the confirmation page and the ``accounts invite`` command. ``invite`` records one audit
event for the batch and queues the job; the job issues each link (``auth.tokens``: only its hash is stored)
just before mailing it, so a link exists only in the mail, and reports its progress on the ``Job`` row.
A mail the server refuses leaves that person's earlier link working (the new token is rolled back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import ColumnElement, select

from learning.audit.services import record
from learning.auth import tokens
from learning.auth.models import Account, AccountStatus, TokenPurpose, person_present
from learning.certification.models import Job, JobStatus
from learning.core.dates import format_date, utcnow
from learning.core.i18n import vietnamese
from learning.extensions import db
from learning.jobs import after_commit, enqueue, exclusively, is_locked, task
from learning.notify import mail
from learning.org.models import Person

JOB_KIND = "invitations.send"


@dataclass
class Selection:
    """Who an invitation batch reaches, and why the others are left out."""

    invite: list[Account] = field(default_factory=list)
    no_email: list[Account] = field(default_factory=list)  # invited, present, no e-mail: print a letter
    already_active: int = 0  # activated before (active or locked)
    not_present: int = 0  # left, inactive, or the account is disabled

    def counts(self) -> dict[str, int]:
        return {"invite": len(self.invite), "no_email": len(self.no_email),
                "already_active": self.already_active, "not_present": self.not_present}


def select_accounts(where: ColumnElement[bool]) -> Selection:
    """Sort the accounts of the people matching ``where`` (a clause on ``Person``/``Unit``)."""
    from learning.org.models import Unit  # noqa: PLC0415 - keep the module's import list short

    rows = db.session.scalars(
        select(Account).join(Person, Person.id == Account.person_id).join(Unit, Unit.id == Person.unit_id)
        .where(where).order_by(Person.employee_code)
    )
    return sort_accounts(rows)


def sort_accounts(accounts: Iterable[Account]) -> Selection:
    chosen = Selection()
    for account in accounts:
        if account.status == AccountStatus.DISABLED or not person_present(account.person):
            chosen.not_present += 1
        elif account.status != AccountStatus.INVITED:
            chosen.already_active += 1
        elif not account.person.email:
            chosen.no_email.append(account)
        else:
            chosen.invite.append(account)
    return chosen


def invite(accounts: list[Account], by: Account | None, *, source: str, counts: dict[str, int] | None = None,
           queue: bool = True) -> Job:
    """Queue one job mailing an invitation to each account (once the transaction commits); audited as one
    batch. ``queue=False``: the caller runs ``send_job`` itself (the operator command)."""
    ids = [account.id for account in accounts]
    job = Job(kind=JOB_KIND, params={"account_ids": ids, "sent": [], "failures": [], "source": source},
              total=len(ids), created_by_id=by.id if by else None)
    db.session.add(job)
    db.session.flush()
    record("auth.invitations_queued", actor_id=by.id if by else None, obj=job, source=source,
           people=[a.person.employee_code for a in accounts][:500], **(counts or {"invite": len(ids)}))
    if queue:
        after_commit(JOB_KIND, job_id=job.id)
    return job


def lifetime() -> timedelta:
    return timedelta(days=current_app.config["INVITATION_DAYS"])


@task(JOB_KIND)
def send_job(job_id: int) -> None:
    """Mail the job's invitations; safe to run again (people already sent to are skipped)."""
    with exclusively(JOB_KIND, job_id):
        _send(job_id)


def _send(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    config = current_app.config
    sent, failures = list(job.params.get("sent", [])), list(job.params.get("failures", []))
    job.status, job.started_at = JobStatus.RUNNING, job.started_at or utcnow()
    db.session.commit()
    sender = db.session.get(Account, job.created_by_id) if job.created_by_id else None
    if not config["MAIL_SERVER"]:
        _finish(job_id, JobStatus.FAILED, sent, failures, "MAIL_SERVER chưa được cấu hình: không gửi được thư.")
        return
    with mail.Outbox() as outbox:
        try:
            outbox.connect()
        except mail.MAIL_ERRORS as error:
            _finish(job_id, JobStatus.FAILED, sent, failures, f"Không kết nối được máy chủ thư: {error}")
            return
        for account_id in job.params.get("account_ids", []):
            if account_id in sent or any(f["id"] == account_id for f in failures):
                continue
            account = db.session.get(Account, account_id)
            problem = _not_invitable(account)
            if problem is None:
                secret, token = tokens.issue(account, TokenPurpose.INVITATION, lifetime(), by=sender)
                try:
                    outbox.send(message(account, secret, token.expires_at, sender))
                except mail.MAIL_ERRORS as error:
                    db.session.rollback()  # the earlier link keeps working
                    problem = f"máy chủ thư từ chối: {error}"[:200]
            if problem is None:
                sent.append(account_id)
            else:
                account = db.session.get(Account, account_id)
                failures.append({"id": account_id, "code": account.person.employee_code if account else "",
                                 "name": account.person.full_name if account else "", "reason": problem})
            _progress(job_id, sent, failures)
    _finish(job_id, JobStatus.DONE, sent, failures, "")


@task("invitations.requeue_stalled")
def requeue_stalled() -> int:
    """Queue again the invitation jobs nobody is running (queued while the broker was down, or left by a
    worker or process that stopped); a rerun skips the people already mailed."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
    stalled = list(db.session.scalars(select(Job.id).where(
        Job.kind == JOB_KIND, Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)), Job.created_at < cutoff)))
    db.session.rollback()
    queued = 0
    for job_id in stalled:
        if not is_locked(JOB_KIND, job_id):
            enqueue(JOB_KIND, job_id=job_id)
            queued += 1
    return queued


def _not_invitable(account: Account | None) -> str | None:
    if account is None:
        return "không còn tài khoản"
    if account.status == AccountStatus.DISABLED or not person_present(account.person):
        return "cán bộ không còn làm việc"
    if account.status != AccountStatus.INVITED:
        return "tài khoản đã kích hoạt"
    if not account.person.email:
        return "không có e-mail"
    return None


def _progress(job_id: int, sent: list[int], failures: list[dict]) -> None:
    job = db.session.get(Job, job_id)
    job.params = job.params | {"sent": sent, "failures": failures}
    job.done = len(sent) + len(failures)
    db.session.commit()


def _finish(job_id: int, status: JobStatus, sent: list[int], failures: list[dict], error: str) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.params = job.params | {"sent": sent, "failures": failures}
    job.status, job.error, job.finished_at = status, error, utcnow()
    job.done = len(sent) + len(failures)
    record("auth.invitations_sent", actor_id=job.created_by_id, obj=job, sent=len(sent), failed=len(failures),
           error=error)
    db.session.commit()


def activation_url(secret: str) -> str:
    return f"{current_app.config['BASE_URL']}/kich-hoat/{secret}"


@vietnamese()
def message(account: Account, secret: str, expires_at, sender: Account | None) -> EmailMessage:
    """The invitation mail: plain text and a simple HTML part, both in Vietnamese."""
    person = account.person
    config = current_app.config
    context = {"person": person, "link": activation_url(secret), "expires": format_date(expires_at),
               "sender": sender.person if sender else None, "org_name": config["ORG_NAME"],
               "base_url": config["BASE_URL"], "days": config["INVITATION_DAYS"]}
    return mail.message(person.email, "Mời kích hoạt tài khoản học tập trực tuyến",
                        render_template("auth/invitation_mail.txt", **context),
                        html=render_template("auth/invitation_mail.html", **context))


def job_failures(job: Job) -> list[dict]:
    return list(job.params.get("failures", []))

