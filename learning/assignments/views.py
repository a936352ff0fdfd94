"""Assignments (HR) and compliance dashboards (HR, unit heads, PAR assessors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from learning.assignments import exports, queries, services
from learning.assignments.forms import AssignmentForm
from learning.assignments.models import Assignment
from learning.audit.purpose import ExportPurposeForm
from learning.audit.purpose import ask as ask_purpose
from learning.audit.services import record
from learning.auth.permissions import Action, can, require, scope_units, unit_scope_clause
from learning.catalog.models import Course
from learning.core.dates import local_today
from learning.core.pagination import page_arg
from learning.extensions import db
from learning.org import picker
from learning.org.models import CATEGORY_LABELS, Unit, category_labels
from learning.org.queries import ancestors
from learning.org.units import names_on
from learning.progress.labels import STATUS_ORDER, Status

bp = Blueprint("assignments", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.active).order_by(Course.position)))


@bp.get("/giao-hoc")
@login_required
def index():
    require(current_user, Action.MANAGE_ASSIGNMENTS)
    scope = unit_scope_clause(current_user, Action.MANAGE_ASSIGNMENTS)
    assignments = list(db.session.scalars(
        select(Assignment).join(Unit, Unit.id == Assignment.unit_id).where(scope)
        .options(joinedload(Assignment.unit).joinedload(Unit.parent))  # the list names the unit with its parent
        .order_by(Assignment.active.desc(), Assignment.period.desc(), Assignment.due_on)))
    return render_template("assignments/index.html", assignments=assignments,
                           categories=category_labels())


@bp.route("/giao-hoc/moi", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, Action.MANAGE_ASSIGNMENTS)
    form = AssignmentForm()
    form.course_id.choices = [(c.id, c.title) for c in _courses()]
    if request.method == "GET":
        today = local_today()
        form.period.data, form.starts_on.data = today.year, today
    scope = unit_scope_clause(current_user, Action.MANAGE_ASSIGNMENTS)
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        picked = picker.pick(form.unit_code.data, scope, local_today())
        unit = picked.unit
        if unit is None:
            form.unit_code.errors.append(gettext("Không có đơn vị mã “%(c)s”.", c=picked.typed))
        elif not can(current_user, Action.MANAGE_ASSIGNMENTS, unit):
            form.unit_code.errors.append(gettext(
                "Đơn vị “%(c)s” không thuộc phạm vi bạn quản lý: chỉ giao được cho đơn vị của bạn và các đơn vị "
                "trực thuộc.", c=picked.typed))
            status = 403
        else:
            services.create(by=current_user, course_id=form.course_id.data, unit_id=unit.id,
                            categories=form.categories.data or [],
                            positions=(form.positions.data or "").split(";"), period=form.period.data,
                            starts_on=form.starts_on.data, due_on=form.due_on.data,
                            recert_months=form.recert_months.data, note=form.note.data or "", **form.settings())
            flash(gettext("Đã giao khóa học. Người mới vào đơn vị sau này cũng được tính."), "success")
            return redirect(url_for("assignments.index"))
    return render_template("assignments/form.html", form=form, units=picker.entries(scope, local_today())), status


@dataclass
class View:
    filters: queries.Filters
    node: Unit
    scope: object
    assignments: list[Assignment]
    names: dict[int, str] = field(default_factory=dict)

    def name(self, unit: Unit) -> str:
        """The unit's name in the period shown: a past period keeps the name the unit had then."""
        return self.names.get(unit.id, unit.name)


def _view() -> View:
    """Filters from the query string, the unit being looked at, and the viewer's scope."""
    require(current_user, Action.VIEW_COMPLIANCE)
    args = request.args
    year = args.get("nam", "")
    course = args.get("khoa-hoc", "")
    category = args.get("loai", "")
    filters = queries.Filters(
        period=int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else local_today().year,
        course_id=int(course) if course.isdigit() else None,
        category=category if category in CATEGORY_LABELS else "")
    units = scope_units(current_user, Action.VIEW_COMPLIANCE)
    unit_id = args.get("don-vi", "")
    if unit_id.isdigit():
        node = db.session.get(Unit, int(unit_id)) or abort(404)
        require(current_user, Action.VIEW_COMPLIANCE, node)
    elif units:
        node = units[0]
    else:
        node = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id)) or abort(404)
    scope = unit_scope_clause(current_user, Action.VIEW_COMPLIANCE)
    children = db.session.scalars(select(Unit.id).where(Unit.parent_id == node.id))
    shown = [*Unit.ids_on_path(node.path), *children]
    names = names_on(shown, min(local_today(), date(filters.period, 12, 31)))
    return View(filters, node, scope, queries.assignments_for(filters, units), names)


@bp.get("/tuan-thu")
@login_required
def dashboard():
    view = _view()
    today = local_today()
    found = queries.summary(view.node, view.assignments, view.filters, today, view.scope)
    late = queries.people(view.assignments, view.filters, today, view.scope, unit=view.node,
                          statuses=[Status.OVERDUE.value], per_page=10, total=found.total.overdue)
    sort = request.args.get("sap-xep", "ten")
    rows = exports.sort_unit_rows(found.rows, sort)
    return render_template(
        "assignments/dashboard.html", view=view, total=found.total, rows=rows, late=late, sort=sort,
        by_course=found.by_course, people_counts=found.people, expiring=found.expiring, courses=_courses(),
        categories=category_labels(), periods=queries.periods(), ancestors=ancestors(view.node),
        may_view_parent=lambda u: u is not None)


@bp.get("/tuan-thu/can-bo")
@login_required
def people():
    view = _view()
    statuses = [s for s in request.args.getlist("trang-thai") if s in Status._value2member_map_]
    today = local_today()
    page = queries.people(view.assignments, view.filters, today, view.scope, unit=view.node,
                          statuses=statuses, page=page_arg())
    people_total = queries.people_count(view.assignments, view.filters, today, view.scope, unit=view.node,
                                        statuses=statuses)
    return render_template("assignments/people.html", view=view, page=page, statuses=statuses,
                           all_statuses=STATUS_ORDER, people_total=people_total)


def _purpose(what: str, back: str = "assignments.dashboard") -> tuple[ExportPurposeForm, tuple[str, int] | None]:
    """The purpose form; the second value is the page asking for it, or None once it is given."""
    form = ExportPurposeForm()
    if form.validate_on_submit():
        return form, None
    return form, ask_purpose(form, what=what, back=url_for(back, **request.args.to_dict(flat=False)))


@bp.route("/tuan-thu/xuat.<any(xlsx, csv):fmt>", methods=["GET", "POST"])
@login_required
def export_units(fmt: str):
    view = _view()
    form, page = _purpose(gettext("bảng tuân thủ theo đơn vị của %(unit)s (%(fmt)s)",
                                  unit=view.node.name, fmt=fmt.upper()))
    if page is not None:
        return page
    total, rows = queries.by_child_unit(view.node, view.assignments, view.filters, local_today(), view.scope)
    record("compliance.exported", actor_id=current_user.id, object_type="unit", object_id=view.node.id,
           format=fmt, kind="units", **form.detail())
    return _file(exports.unit_table(view.node, total, rows, fmt), fmt, f"tuan-thu-{view.node.code}")


@bp.route("/tuan-thu/can-bo/xuat.<any(xlsx, csv):fmt>", methods=["GET", "POST"])
@login_required
def export_people(fmt: str):
    view = _view()
    form, page = _purpose(gettext("danh sách từng cán bộ và tình trạng học của %(unit)s (%(fmt)s)",
                                  unit=view.node.name, fmt=fmt.upper()), back="assignments.people")
    if page is not None:
        return page
    statuses = [s for s in request.args.getlist("trang-thai") if s in Status._value2member_map_]
    page = queries.people(view.assignments, view.filters, local_today(), view.scope, unit=view.node,
                          statuses=statuses, per_page=1_000_000)
    record("compliance.exported", actor_id=current_user.id, object_type="unit", object_id=view.node.id,
           format=fmt, kind="people", rows=page.total, **form.detail())
    return _file(exports.people_table(page.items, fmt), fmt, f"can-bo-{view.node.code}")


@bp.route("/tuan-thu/bao-cao.pdf", methods=["GET", "POST"])
@login_required
def report_pdf():
    view = _view()
    form, page = _purpose(gettext("báo cáo tuân thủ PDF của %(unit)s (gồm danh sách cán bộ quá hạn)",
                                  unit=view.node.name))
    if page is not None:
        return page
    today = local_today()
    found = queries.summary(view.node, view.assignments, view.filters, today, view.scope)
    late = queries.people(view.assignments, view.filters, today, view.scope, unit=view.node,
                          statuses=[Status.OVERDUE.value], per_page=200)
    record("compliance.exported", actor_id=current_user.id, object_type="unit", object_id=view.node.id,
           format="pdf", kind="report", **form.detail())
    pdf = exports.report_pdf(view, found, late, today, prepared_by=current_user.person.full_name)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename=bao-cao-{view.node.code}.pdf"})


def _file(data: bytes, fmt: str, stem: str) -> Response:
    mimetype = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={stem}.{fmt}"})

