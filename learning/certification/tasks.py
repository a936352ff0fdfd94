"""Background tasks of the certificates package."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import false, func, select, update
from sqlalchemy.exc import IntegrityError

from learning.auth.models import Account
from learning.certification import exports, queries, services
from learning.certification.models import Certificate, CertificateFile, Job, JobStatus
from learning.certification.pdf import CertificateRenderer
from learning.certification.settings import issue_settings
from learning.certification.signing import SigningUnavailable
from learning.core.dates import utcnow
from learning.extensions import db
from learning.jobs import enqueue, exclusively, is_locked, task

EXPORT_MAX_RUNS = 5  # a job that failed this many times is marked failed instead of retried again


@task("certificates.render_missing")
def render_missing(limit: int = 500) -> int:
    """Render the PDF of certificates issued without one yet (an idempotent sweep).

    Several sweeps may run at once (one is queued after every issue): each certificate is
    locked while rendered (SKIP LOCKED on PostgreSQL), and a lost race is simply skipped.
    """
    settings = issue_settings()
    renderer = settings.renderer()
    missing = list(db.session.scalars(
        select(Certificate.id).outerjoin(CertificateFile)
        .where(CertificateFile.certificate_id.is_(None)).order_by(Certificate.id).limit(limit)
    ))
    rendered = 0
    for cert_id in missing:
        cert = db.session.scalar(
            select(Certificate).where(Certificate.id == cert_id)
            .with_for_update(skip_locked=True, of=Certificate))
        if cert is None or cert.file is not None:
            db.session.rollback()
            continue
        try:
            services.attach_pdf(cert, settings, renderer)
            db.session.commit()
            rendered += 1
        except IntegrityError:
            db.session.rollback()
        except SigningUnavailable:
            db.session.rollback()
            return rendered  # the rest stay queued; the next sweep tries again
    if len(missing) == limit:
        enqueue("certificates.render_missing", limit=limit)  # a burst bigger than one sweep: carry on
    return rendered


def pending_count() -> int:
    """Certificates issued whose PDF is not made yet (waiting for the sweep, or for the signing key)."""
    return db.session.scalar(select(func.count(Certificate.id)).outerjoin(CertificateFile)
                             .where(CertificateFile.certificate_id.is_(None))) or 0


def ensure_pdf(cert: Certificate, settings: services.IssueSettings | None = None,
               renderer: CertificateRenderer | None = None) -> bytes:
    """The issued PDF, rendering it now if the background sweep has not done so yet."""
    if cert.file is None:
        # Lock the certificate first: a sweep or another export rendering it meanwhile finishes,
        # and its PDF is the one kept (one PDF, one SHA-256 per certificate).
        db.session.execute(select(Certificate.id).where(Certificate.id == cert.id).with_for_update())
        db.session.expire(cert, ["file"])
    if cert.file is None:
        services.attach_pdf(cert, settings or issue_settings(), renderer)
        db.session.flush()
    return cert.file.pdf


@task("certificates.export")
def export_batch(job_id: int) -> None:
    """Write a ZIP of the PDFs of a filtered set of certificates, plus an Excel list.

    Safe to run again: a second delivery waits for the first (``exclusively``), a finished job is
    not redone, and the PDFs an interrupted run rendered are kept and reused.
    """
    with exclusively("certificates.export", job_id):
        _export(job_id)


def _export(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    runs = int(job.params.get("runs", 0)) + 1
    if runs > EXPORT_MAX_RUNS:
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = f"stopped after {EXPORT_MAX_RUNS} interrupted runs"
        return
    job.params = job.params | {"runs": runs}
    requester = db.session.get(Account, job.params.get("account_id") or job.created_by_id)
    scope = queries.scope_for(requester) if requester else false()
    ids = queries.filtered_ids(queries.CertificateFilter.from_params(job.params), scope)
    job.status, job.started_at, job.total, job.done = JobStatus.RUNNING, utcnow(), len(ids), 0
    db.session.commit()
    folder = Path(current_app.config["STORAGE_DIR"]) / "exports"
    target = folder / f"chung-nhan-{job_id}.zip"

    def progress(done: int) -> None:
        db.session.execute(update(Job).where(Job.id == job_id).values(done=done))
        db.session.commit()

    try:
        write_zip(ids, target, progress)
    except SigningUnavailable as error:
        # Not failed: queued again, the stalled-job sweep restarts it once the key can sign.
        db.session.rollback()
        db.session.execute(update(Job).where(Job.id == job_id).values(status=JobStatus.QUEUED, error=str(error)))
        return
    db.session.execute(update(Job).where(Job.id == job_id).values(
        status=JobStatus.DONE, done=len(ids), result_path=str(target), finished_at=utcnow()))


@task("certificates.requeue_stalled")
def requeue_stalled() -> int:
    """Queue again the export jobs nobody is running: queued while the broker was down, or left
    by a worker that died. Jobs running now (their lock is held) and finished ones are left alone."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
    stalled = list(db.session.scalars(select(Job.id).where(
        Job.kind == "certificates.export", Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
        Job.created_at < cutoff)))
    db.session.rollback()
    queued = 0
    for job_id in stalled:
        if not is_locked("certificates.export", job_id):
            enqueue("certificates.export", job_id=job_id)
            queued += 1
    return queued


def write_zip(ids: list[int], target: Path, progress: Callable[[int], None] | None = None,
              chunk: int = 25) -> None:
    """PDFs named by serial plus ``danh-sach-chung-nhan.xlsx``; memory stays flat over any size.

    Each chunk commits the PDFs it rendered and reports progress, so an interrupted run loses at
    most one chunk of work.

    The file appears under its final name only when complete, so a retried job never serves a
    half-written archive.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    settings = issue_settings()
    renderer = settings.renderer()
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(ids), chunk):
            batch = list(db.session.scalars(select(Certificate).where(
                Certificate.id.in_(ids[start:start + chunk])).order_by(Certificate.serial)))
            for cert in batch:
                archive.writestr(f"{cert.serial}.pdf", ensure_pdf(cert, settings, renderer))
            db.session.commit()  # keep PDFs rendered now; release them from the session
            db.session.expunge_all()
            if progress:
                progress(start + len(batch))
        buffer = io.BytesIO()
        exports.certificate_workbook(ids).save(buffer)
        archive.writestr("danh-sach-chung-nhan.xlsx", buffer.getvalue())
    partial.replace(target)
