from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    class Meta:
        csrf = False  # a public GET form that changes nothing

    code = StringField(lazy_gettext("Mã xác thực (in trên chứng nhận)"),
                       validators=[DataRequired(lazy_gettext("Hãy nhập mã xác thực.")), Length(max=40)])


class UploadForm(FlaskForm):
    pdf = FileField(lazy_gettext("Tệp PDF chứng nhận"),
                    validators=[FileRequired(lazy_gettext("Hãy chọn tệp PDF cần kiểm tra."))])


class RevokeForm(FlaskForm):
    reason = TextAreaField(lazy_gettext("Lý do thu hồi"), validators=[
        DataRequired(lazy_gettext("Hãy ghi lý do thu hồi: lý do này hiện trên trang xác thực.")), Length(min=5, max=500,
        message=lazy_gettext("Lý do cần từ 5 đến 500 ký tự."))])


class BadgeForm(FlaskForm):
    """A pasted Open Badges credential (VC-JWT), or the downloaded .jwt file."""

    credential = TextAreaField(lazy_gettext("Chứng nhận Open Badges (dán nội dung tệp .jwt)"),
                               validators=[Length(max=64 * 1024)])
    file = FileField(lazy_gettext("Hoặc chọn tệp .jwt"))
