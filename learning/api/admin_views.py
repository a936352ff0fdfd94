"""Administrators issue and revoke API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from learning.api import services
from learning.api.models import READ, TEXTCHECK, ApiToken
from learning.auth.forms import ConfirmForm
from learning.auth.permissions import Action, require
from learning.extensions import db
from learning.org.models import Unit

bp = Blueprint("api_admin", __name__, url_prefix="/quan-tri/api")


class TokenForm(FlaskForm):
    name = StringField(lazy_gettext("Tên hệ thống sử dụng"), validators=[
        DataRequired(lazy_gettext("Hãy đặt tên, ví dụ: Phần mềm CCHC Sở Nội vụ.")), Length(max=120)])
    unit_code = StringField(lazy_gettext("Mã đơn vị được xem (để trống = toàn tỉnh)"), validators=[Length(max=40)])
    purpose = StringField(
        lazy_gettext("Mục đích sử dụng dữ liệu (ghi vào nhật ký mỗi lần hệ thống này đọc dữ liệu)"), validators=[
            DataRequired(lazy_gettext("Hãy ghi mục đích, ví dụ: Đồng bộ kết quả bồi dưỡng sang phần mềm quản lý "
                                      "cán bộ.")),
            Length(min=5, max=300, message=lazy_gettext("Mục đích cần từ 5 đến 300 ký tự."))])
    scope = SelectField(lazy_gettext("Được dùng cho"), default=READ, choices=[
        (READ, lazy_gettext("Đọc dữ liệu bồi dưỡng (các API đọc)")),
        (TEXTCHECK, lazy_gettext("Chỉ kiểm tra văn bản (POST /api/v1/text-check), không đọc dữ liệu"))])


def _page(form: TokenForm, plain: str | None = None, status: int = 200):
    tokens = list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))
    return render_template("api/tokens.html", tokens=tokens, form=form, plain=plain,
                           revoke_form=ConfirmForm()), status


@bp.route("", methods=["GET", "POST"])
@login_required
def tokens():
    require(current_user, Action.ADMINISTER)
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if request.method == "POST" else 200)
    unit = None
    code = (form.unit_code.data or "").strip()
    if code:
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            form.unit_code.errors.append(gettext("Không có đơn vị mã “%(c)s”.", c=code))
            return _page(form, status=400)
    _token, plain = services.issue(form.name.data.strip(), unit, current_user, purpose=form.purpose.data.strip(),
                               scope=form.scope.data)
    return _page(TokenForm(formdata=None), plain=plain)


@bp.post("/<int:token_id>/thu-hoi")
@login_required
def revoke(token_id: int):
    require(current_user, Action.ADMINISTER)
    token = db.session.get(ApiToken, token_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke(token, current_user)
    flash(gettext("Đã thu hồi mã truy cập “%(name)s”.", name=token.name), "success")
    return redirect(url_for("api_admin.tokens"))
