"""The signed-in person's notices ("Thông báo")."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, require
from learning.core.pagination import page_arg
from learning.extensions import db
from learning.notify import services
from learning.notify.models import Notice

bp = Blueprint("notify", __name__)


def _own(notice_id: int) -> Notice:
    """A notice of the signed-in account; anyone else's is not found (not even its existence is told)."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.account_id != current_user.id:
        abort(404)
    return notice


@bp.get("/thong-bao")
@login_required
def index():
    require(current_user, Action.VIEW_SELF)
    page = services.notices_of(current_user.id, page_arg())
    return render_template("notify/index.html", page=page, form=ConfirmForm())


@bp.post("/thong-bao/<int:notice_id>/da-doc")
@login_required
def read(notice_id: int):
    require(current_user, Action.VIEW_SELF)
    notice = _own(notice_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_read(notice)
    return redirect(url_for("notify.index"))


@bp.post("/thong-bao/da-doc-het")
@login_required
def read_all():
    require(current_user, Action.VIEW_SELF)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user.id)
    flash(gettext("Đã đánh dấu %(n)s thông báo là đã đọc.", n=count), "success")
    return redirect(url_for("notify.index"))
