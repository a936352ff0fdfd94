from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    class Meta:
        csrf = False  # a public GET form that changes nothing

    code = StringField("Mã xác thực (in trên chứng nhận)",
                       validators=[DataRequired("Hãy nhập mã xác thực."), Length(max=40)])


class UploadForm(FlaskForm):
    pdf = FileField("Tệp PDF chứng nhận", validators=[FileRequired("Hãy chọn tệp PDF cần kiểm tra.")])


class RevokeForm(FlaskForm):
    reason = TextAreaField("Lý do thu hồi", validators=[
        DataRequired("Hãy ghi lý do thu hồi: lý do này hiện trên trang xác thực."), Length(min=5, max=500,
        message="Lý do cần từ 5 đến 500 ký tự.")])
