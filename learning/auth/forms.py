from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from learning.auth.models import Role

REQUIRED = lazy_gettext("Vui lòng nhập trường này.")


class LoginForm(FlaskForm):
    identifier = StringField(lazy_gettext("Mã cán bộ hoặc e-mail"),
                             validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField(lazy_gettext("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(lazy_gettext("Ghi nhớ đăng nhập trên máy này"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(lazy_gettext("Mật khẩu hiện tại"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(lazy_gettext("Mật khẩu mới"), validators=[DataRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField(
        lazy_gettext("Nhập lại mật khẩu mới"),
        validators=[DataRequired(REQUIRED),
                    EqualTo("new_password", lazy_gettext("Hai mật khẩu mới không khớp nhau."))],
    )


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change state."""


class GrantRoleForm(FlaskForm):
    role = SelectField(lazy_gettext("Vai trò"), validators=[DataRequired(REQUIRED)])
    unit_code = StringField(lazy_gettext("Mã đơn vị (để trống = toàn tỉnh)"), validators=[Length(max=40)])


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(lazy_gettext("Mã cán bộ hoặc e-mail"),
                             validators=[DataRequired(REQUIRED), Length(max=255)])


class SetPasswordForm(FlaskForm):
    """Choosing a password without the old one: an invitation link, a letter code or a reset link."""

    password = PasswordField(lazy_gettext("Mật khẩu mới"), validators=[DataRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField(
        lazy_gettext("Nhập lại mật khẩu mới"),
        validators=[DataRequired(REQUIRED), EqualTo("password", lazy_gettext("Hai mật khẩu mới không khớp nhau."))],
    )


class LetterCodeForm(FlaskForm):
    """Employee code + date of birth + the one-time code printed on an activation letter."""

    employee_code = StringField(lazy_gettext("Mã cán bộ"), validators=[DataRequired(REQUIRED), Length(max=40)])
    birth_date = StringField(lazy_gettext("Ngày sinh (ngày/tháng/năm, ví dụ 05/09/1988)"),
                             validators=[DataRequired(REQUIRED), Length(max=20)])
    code = StringField(lazy_gettext("Mã kích hoạt (in trên thư)"), validators=[DataRequired(REQUIRED), Length(max=40)])
class DisableAccountForm(FlaskForm):
    note = StringField(lazy_gettext("Ghi chú (không bắt buộc)"), validators=[Length(max=200)])


def role_choices() -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Role if r is not Role.LEARNER]
