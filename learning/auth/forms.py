from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

REQUIRED = "Vui lòng nhập trường này."


class LoginForm(FlaskForm):
    identifier = StringField("Mã cán bộ hoặc e-mail", validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField("Mật khẩu", validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField("Ghi nhớ đăng nhập trên máy này")
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField("Mật khẩu mới", validators=[DataRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[DataRequired(REQUIRED), EqualTo("new_password", "Hai mật khẩu mới không khớp nhau.")],
    )


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class GrantRoleForm(FlaskForm):
    role = SelectField("Vai trò", validators=[DataRequired(REQUIRED)])
    unit_code = StringField("Mã đơn vị (để trống = toàn tỉnh)", validators=[Length(max=40)])
