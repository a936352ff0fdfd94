"""PAR pages: the assessors' table, a unit's criteria with verified points, rubric versions."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from learning.audit.purpose import ExportPurposeForm
from learning.audit.purpose import ask as ask_purpose
from learning.audit.services import record
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, Reach, can, par_reach, require
from learning.core.dates import format_decimal, local_today
from learning.extensions import db
from learning.org.models import Unit
from learning.par import evidence, rubric, scoring, services
from learning.par.models import RubricVersion, Snapshot
from learning.par.queries import Table, table_for

bp = Blueprint("par", __name__, url_prefix="/cchc")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RubricUploadForm(FlaskForm):
    file = FileField(lazy_gettext("Tệp bộ tiêu chí (.yaml)"),
                     validators=[FileRequired(lazy_gettext("Hãy chọn tệp .yaml."))])


MAX_RUBRIC_BYTES = 200_000


def _rubric_file_problems(upload) -> list[str]:  # noqa: ANN001 - a werkzeug FileStorage
    """What is wrong with the uploaded file as a file (name, size); its content is checked by the parser."""
    if not (upload.filename or "").lower().endswith((".yaml", ".yml")):
        return [gettext("Chỉ nhận tệp bộ tiêu chí dạng văn bản .yaml (hoặc .yml).")]
    head = upload.stream.read(MAX_RUBRIC_BYTES + 1)
    upload.stream.seek(0)
    if len(head) > MAX_RUBRIC_BYTES:
        return [gettext("Tệp lớn hơn %(kb)s KB: một bộ tiêu chí chỉ vài KB; hãy kiểm tra lại tệp.",
                        kb=MAX_RUBRIC_BYTES // 1000)]
    if b"\x00" in head:
        return [gettext("Tệp không phải văn bản (.yaml): có thể bạn đã chọn nhầm tệp ảnh, PDF hoặc Excel.")]
    return []


def _reaches(scores: list[scoring.UnitScore]) -> dict[int, Reach]:
    """unit id → what the viewer may see of it (see permissions.par_reach)."""
    ids = [s.unit_id for s in scores]
    paths = dict(db.session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(ids))).all()) if ids else {}
    return {unit_id: par_reach(current_user, path) for unit_id, path in paths.items()}


def _visible(scores: list[scoring.UnitScore]) -> list[scoring.UnitScore]:
    """The units whose totals the viewer may see: those in scope and those containing the scope."""
    reaches = _reaches(scores)
    return [s for s in scores if reaches.get(s.unit_id, Reach.NONE) is not Reach.NONE]


def _language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


@bp.app_template_filter("par_value")
def par_value(value: float | None, indicator: str, digits: int = 1) -> str:
    """An indicator's value as the reader compares it with the rubric: rates in % (0.875 → "87,5%")."""
    if value is None:
        return "—"
    if indicator in rubric.RATE_INDICATORS:
        return format_decimal(value * 100, digits, _language()) + "%"
    return format_decimal(value, digits, _language())


@bp.app_template_filter("par_threshold")
def par_threshold(value: float, indicator: str) -> str:
    """A rule's threshold in the unit of the indicator's value (0.9 → "90%", 0.05 → "5%", 0.125 → "12,5%")."""
    shown = round(value * 100 if indicator in rubric.RATE_INDICATORS else value, 2)
    digits = 0 if shown == round(shown) else 1 if shown == round(shown, 1) else 2
    return par_value(value, indicator, digits)


def _period_arg() -> int:
    value = request.args.get("nam", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else local_today().year


@bp.get("")
@login_required
def index():
    require(current_user, Action.VIEW_PAR)
    table = table_for(_period_arg())
    previous = {s.unit_id: s for s in table_for(table.period - 1).scores}
    earlier = list(db.session.scalars(select(Snapshot).where(Snapshot.period == table.period,
                                                             Snapshot.unfrozen_at.is_not(None))
                                      .order_by(Snapshot.id.desc())))
    return render_template("par/index.html", table=table, rows=_visible(table.scores), previous=previous,
                           rubric=table.version.rubric, earlier=earlier,
                           may_assess=can(current_user, Action.ASSESS_PAR),
                           may_unfreeze=can(current_user, Action.ADMINISTER))


def _unit_score(table: Table, unit_id: int, reach: Reach = Reach.TOTALS) -> tuple[scoring.UnitScore, Reach]:
    """The unit's score and the viewer's reach over it; 403 unless the reach is at least ``reach``."""
    score = next((s for s in table.scores if s.unit_id == unit_id), None) or abort(404)
    found = _reaches([score]).get(unit_id, Reach.NONE)
    if found is Reach.NONE or (reach is Reach.PEOPLE and found is not Reach.PEOPLE):
        abort(403)
    return score, found


@bp.route("/<int:period>/don-vi/<int:unit_id>", methods=["GET", "POST"])
@login_required
def unit(period: int, unit_id: int):
    require(current_user, Action.VIEW_PAR)
    table = table_for(period)
    score, reach = _unit_score(table, unit_id)
    parsed = table.version.rubric
    errors: list[str] = []
    if request.method == "POST":
        require(current_user, Action.ASSESS_PAR)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        errors = _save_verifications(period, unit_id, table, parsed)
        if not errors:
            flash(gettext("Đã lưu điểm thẩm định."), "success")
            return redirect(url_for("par.unit", period=period, unit_id=unit_id))
        db.session.rollback()
    return render_template("par/unit.html", table=table, score=score, rubric=parsed, errors=errors,
                           form=ConfirmForm(), may_assess=can(current_user, Action.ASSESS_PAR),
                           people_visible=reach is Reach.PEOPLE), 400 if errors else 200


def _save_verifications(period: int, unit_id: int, table: Table, parsed: rubric.Rubric) -> list[str]:
    errors = []
    for criterion in parsed.criteria:
        raw = request.form.get(f"diem-{criterion.code}", "").strip().replace(",", ".")
        note = request.form.get(f"ghi-chu-{criterion.code}", "").strip()[:1000]
        try:
            points = float(raw) if raw else None
        except ValueError:
            errors.append(gettext("Tiêu chí %(code)s: “%(raw)s” không phải là số.", code=criterion.code, raw=raw))
            continue
        try:
            services.verify(period, unit_id, table.version, criterion.code, points, note, current_user)
        except ValueError as error:
            errors.append(str(error))
    return errors


@bp.route("/<int:period>/don-vi/<int:unit_id>/minh-chung.<any(xlsx, pdf):fmt>", methods=["GET", "POST"])
@login_required
def evidence_file(period: int, unit_id: int, fmt: str):
    require(current_user, Action.VIEW_PAR)
    table = table_for(period)
    # Totals (the PDF) for a unit containing the viewer's scope; person rows (Excel) only inside it.
    score, _reach = _unit_score(table, unit_id, Reach.PEOPLE if fmt == "xlsx" else Reach.TOTALS)
    form = ExportPurposeForm()
    if not form.validate_on_submit():
        what = (gettext("bảng minh chứng từng cán bộ (Excel) của %(unit)s, kỳ %(y)s", unit=score.name, y=period)
                if fmt == "xlsx" else
                gettext("bản tổng hợp minh chứng (PDF) của %(unit)s, kỳ %(y)s", unit=score.name, y=period))
        return ask_purpose(form, what=what,
                           back=url_for("par.unit", period=period, unit_id=unit_id))
    parsed = table.version.rubric
    record("par.evidence_exported", actor_id=current_user.id, object_type="unit", object_id=unit_id,
           period=period, format=fmt, **form.detail())
    if fmt == "pdf":
        data = evidence.summary_pdf(period, score, parsed, table.snapshot is not None,
                                    prepared_by=current_user.person.full_name)
        mimetype = "application/pdf"
    else:
        try:
            rows = evidence.rows_for_viewer(current_user, period, unit_id, table.snapshot)
        except PermissionError:
            abort(403)
        data, mimetype = evidence.workbook(period, score, parsed, rows), XLSX
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename=minh-chung-{score.code}-{period}.{fmt}"})


@bp.route("/bo-tieu-chi", methods=["GET", "POST"])
@login_required
def rubrics():
    require(current_user, Action.VIEW_PAR)
    services.ensure_shipped_rubric()
    form = RubricUploadForm()
    problems: list[str] = []
    if request.method == "POST":
        require(current_user, Action.ADMINISTER)
        if form.validate_on_submit():
            problems = _rubric_file_problems(form.file.data)
            try:
                if not problems:
                    version = services.upload(form.file.data.read().decode("utf-8"), by=current_user)
                    flash(gettext("Đã tải lên và áp dụng bộ tiêu chí %(label)s.", label=version.label), "success")
                    return redirect(url_for("par.rubrics"))
            except UnicodeDecodeError:
                problems = [gettext("Tệp phải là văn bản UTF-8 (.yaml).")]
            except rubric.RubricError as error:
                problems = error.problems
    versions = list(db.session.scalars(select(RubricVersion).order_by(RubricVersion.id.desc())))
    status = 400 if request.method == "POST" else 200
    return render_template("par/rubrics.html", versions=versions, form=form, problems=problems,
                           may_upload=can(current_user, Action.ADMINISTER)), status


from learning.par import freezing  # noqa: E402,F401 - its routes live on this blueprint
