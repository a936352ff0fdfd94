"""Public verification, the learner's certificates, and HR management."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from learning.audit.purpose import ExportPurposeForm
from learning.audit.purpose import ask as ask_purpose
from learning.audit.services import record
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, can, require
from learning.catalog.models import Course
from learning.certification import queries, services, tasks
from learning.certification.downloads import certificate_for_download
from learning.certification.file_check import check_file
from learning.certification.forms import CodeForm, RevokeForm, UploadForm
from learning.certification.models import Certificate, Job, JobStatus, Status, StoredStatus
from learning.certification.public import public_view, status_now, verify_form_page
from learning.certification.settings import issue_settings
from learning.core.dates import local_today
from learning.core.pagination import page_arg, paginate
from learning.extensions import db, limiter
from learning.jobs import after_commit
from learning.org.models import Unit

bp = Blueprint("certification", __name__)
MAX_PDF_BYTES = 2 * 1024 * 1024
VERIFY_LIMIT = "60 per minute"


@bp.get("/xac-thuc")
@limiter.limit(VERIFY_LIMIT)
def verify_form():
    form = CodeForm(request.args)
    if "code" in request.args:
        if form.validate():
            cert = services.find_by_code(form.code.data)
            if cert is not None:
                return redirect(url_for("certification.verify", code=cert.code))
            return verify_form_page(form=form, upload=UploadForm(),
                                   not_found=True), 404
    return verify_form_page(form=form, upload=UploadForm())


@bp.get("/xac-thuc/<code>")
@limiter.limit(VERIFY_LIMIT)
def verify(code: str):
    cert = services.find_by_code(code)
    if cert is None:
        return verify_form_page(form=CodeForm(code=code),
                               upload=UploadForm(), not_found=True), 404
    return render_template("certification/verify.html", cert=cert, view=public_view(cert),
                           status=status_now(cert), upload=UploadForm())


@bp.get("/xac-thuc/<code>.json")
@limiter.limit(VERIFY_LIMIT)
def verify_json(code: str):
    cert = services.find_by_code(code)
    if cert is None:
        return jsonify(error="not_found", message=gettext("Không có chứng nhận với mã này.")), 404
    return jsonify(public_view(cert))


@bp.post("/xac-thuc/kiem-tra-tep")
@limiter.limit("20 per minute")
def verify_upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return verify_form_page(form=CodeForm(), upload=form), 400
    data = form.pdf.data.read(MAX_PDF_BYTES + 1)
    problem = None
    if len(data) > MAX_PDF_BYTES:
        problem = gettext("Tệp lớn hơn 2 MB: chứng nhận do hệ thống cấp luôn nhỏ hơn nhiều.")
    elif not data.startswith(b"%PDF-"):
        problem = gettext("Tệp không phải PDF. Hãy tải lên đúng tệp chứng nhận đã nhận.")
    if problem:
        form.pdf.errors.append(problem)
        return verify_form_page(form=CodeForm(), upload=form), 400
    result = check_file(data)
    cert = result.cert
    return render_template("certification/upload_result.html", result=result, cert=cert, digest=result.digest,
                           view=public_view(cert) if cert else None, status=result.status)


@bp.get("/chung-nhan")
@login_required
def mine():
    certs = queries.of_person(current_user.person_id)
    return render_template("certification/mine.html", certs=certs, today=local_today(),
                           expiring_days=current_app.config.get("CERT_EXPIRING_DAYS", 30))


@bp.get("/chung-nhan/<serial>.pdf")
@login_required
def download(serial: str):
    cert = certificate_for_download("certificate.downloaded", serial)
    pdf = tasks.ensure_pdf(cert)
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{cert.serial}.pdf", max_age=0)


@bp.get("/quan-ly/chung-nhan")
@login_required
def manage():
    require(current_user, Action.MANAGE_CERTIFICATES)
    filters = queries.CertificateFilter.from_params(request.args)
    page = paginate(queries.search(filters, queries.scope_for(current_user),
                                   current_app.config.get("CERT_EXPIRING_DAYS", 30)), page_arg(), 50)
    courses = list(db.session.scalars(select(Course).where(Course.active).order_by(Course.position)))
    return render_template("certification/manage.html", page=page, filters=filters, courses=courses,
                           statuses=queries.STATUS_CHOICES, today=local_today(),
                           expiring_days=current_app.config.get("CERT_EXPIRING_DAYS", 30),
                           export_form=ExportPurposeForm(formdata=None))


def _managed(cert_id: int) -> Certificate:
    cert = db.session.get(Certificate, cert_id) or abort(404)
    require(current_user, Action.MANAGE_CERTIFICATES, cert.person)
    return cert


@bp.route("/quan-ly/chung-nhan/<int:cert_id>", methods=["GET", "POST"])
@login_required
def detail(cert_id: int):
    cert = _managed(cert_id)
    form = RevokeForm()
    if form.validate_on_submit():
        if status_now(cert) in (Status.REVOKED, Status.SUPERSEDED):
            flash(gettext("Chứng nhận này đã bị thu hồi hoặc thay thế."), "error")
        else:
            services.revoke(cert, form.reason.data.strip(), current_user)
            flash(gettext("Đã thu hồi chứng nhận %(serial)s.", serial=cert.serial), "success")
            return redirect(url_for("certification.detail", cert_id=cert.id))
    status = 400 if request.method == "POST" else 200
    return render_template("certification/detail.html", cert=cert, view=public_view(cert),
                           status=status_now(cert), form=form, reissue_form=ConfirmForm()), status


@bp.post("/quan-ly/chung-nhan/<int:cert_id>/cap-lai")
@login_required
def reissue(cert_id: int):
    cert = _managed(cert_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if cert.stored_status != StoredStatus.VALID:
        flash(gettext("Chỉ cấp lại được chứng nhận đang hợp lệ."), "error")
        return redirect(url_for("certification.detail", cert_id=cert.id))
    new = services.reissue(cert, issue_settings(), current_user)
    flash(gettext("Đã cấp lại: %(new)s thay cho %(old)s (tên và đơn vị hiện tại).", new=new.serial, old=cert.serial),
          "success")
    return redirect(url_for("certification.detail", cert_id=new.id))


FILTER_FIELDS = ("don-vi", "khoa-hoc", "nam", "trang-thai", "q")


@bp.post("/quan-ly/chung-nhan/xuat")
@login_required
def export():
    require(current_user, Action.MANAGE_CERTIFICATES)
    filters = queries.CertificateFilter.from_params(request.form)
    if filters.unit_code:
        require(current_user, Action.MANAGE_CERTIFICATES, _unit_or_404(filters.unit_code))
    form = ExportPurposeForm()
    if not form.validate_on_submit():
        return ask_purpose(form, what=gettext("tệp ZIP các chứng nhận (PDF) kèm danh sách Excel theo bộ lọc "
                                              "đã chọn"),
                           back=url_for("certification.manage"),
                           hidden={name: request.form.get(name, "") for name in FILTER_FIELDS})
    # The task applies the requester's scope again: a subtree HR exports only their units.
    params = filters.as_params() | {"account_id": current_user.id} | form.detail()
    job = Job(kind="certificates.export", params=params, created_by_id=current_user.id)
    db.session.add(job)
    db.session.flush()
    record("certificate.export_requested", actor_id=current_user.id, obj=job, **filters.as_params(),
           **form.detail())
    after_commit("certificates.export", job_id=job.id)
    return redirect(url_for("certification.job", job_id=job.id))


def _unit_or_404(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code)) or abort(404)


def _own_job(job_id: int) -> Job:
    """A certificate job, for the account that started it or an administrator."""
    job = db.session.get(Job, job_id) or abort(404)
    if job.created_by_id != current_user.id and not can(current_user, Action.ADMINISTER):
        abort(403)
    return job


@bp.get("/cong-viec/<int:job_id>")
@login_required
def job(job_id: int):
    job = _own_job(job_id)
    return render_template("certification/job.html", job=job)


@bp.get("/cong-viec/<int:job_id>/tai-ve")
@login_required
def job_download(job_id: int):
    job = _own_job(job_id)
    if job.status != JobStatus.DONE:
        abort(404)
    record("certificate.export_downloaded", actor_id=current_user.id, obj=job,
           **{key: job.params.get(key, "") for key in ("purpose", "purpose_code", "purpose_note")})
    return send_file(job.result_path, as_attachment=True, download_name=f"chung-nhan-{job.id}.zip")
