"""Forms of the people and unit pages."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from learning.core.dates import local_today
from learning.core.forms import LocalDateField
from learning.org.models import UNIT_KIND_LABELS, category_labels

REQUIRED = lazy_gettext("Vui lòng nhập trường này.")


def _date(label: str, *required: object) -> LocalDateField:
    return LocalDateField(label, validators=list(required) or [Optional()])


class PersonForm(FlaskForm):
    middle_name = StringField(lazy_gettext("Họ đệm"), validators=[Optional(), Length(max=120)])
    given_name = StringField(lazy_gettext("Tên"), validators=[DataRequired(REQUIRED), Length(max=60)])
    email = StringField(lazy_gettext("E-mail"), validators=[
        Optional(), Length(max=255), Email(lazy_gettext("Địa chỉ e-mail không hợp lệ."))])
    position = StringField(lazy_gettext("Vị trí việc làm"), validators=[Optional(), Length(max=160)])
    category = SelectField(lazy_gettext("Loại"), choices=lambda: list(category_labels().items()))
    unit_code = StringField(lazy_gettext("Mã đơn vị"), validators=[DataRequired(REQUIRED), Length(max=40)])
    moved_on = _date(lazy_gettext("Ngày chuyển sang đơn vị mới (nếu đổi đơn vị; bỏ trống = hôm nay)"))
    joined_on = _date(lazy_gettext("Ngày vào đơn vị"))
    left_on = _date(lazy_gettext("Ngày thôi việc"))
    active = BooleanField(lazy_gettext("Đang làm việc"))

    def validate_left_on(self, field: LocalDateField) -> None:
        if field.data and self.joined_on.data and field.data < self.joined_on.data:
            raise ValidationError(gettext("Ngày thôi việc phải sau ngày vào đơn vị."))
        if field.data and field.data <= local_today() and self.active.data:
            raise ValidationError(gettext("Người đã thôi việc không còn “đang làm việc”: hãy bỏ chọn ô đó "
                                          "hoặc xóa ngày thôi việc."))

    def validate_moved_on(self, field: LocalDateField) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(gettext("Ngày chuyển đơn vị không được sau hôm nay."))


def _kind_choices() -> list[tuple[str, str]]:
    return [(value, gettext(label)) for value, label in UNIT_KIND_LABELS.items()]


class UnitForm(FlaskForm):
    code = StringField(lazy_gettext("Mã đơn vị"), validators=[DataRequired(REQUIRED), Length(max=40)])
    name = StringField(lazy_gettext("Tên đơn vị"), validators=[DataRequired(REQUIRED), Length(max=255)])
    kind = SelectField(lazy_gettext("Loại đơn vị"), choices=_kind_choices)
    parent_code = StringField(lazy_gettext("Mã đơn vị cấp trên (bỏ trống = cấp tỉnh)"),
                              validators=[Optional(), Length(max=40)])
    valid_from = _date(lazy_gettext("Hoạt động từ ngày"))


class RenameForm(FlaskForm):
    name = StringField(lazy_gettext("Tên mới"), validators=[DataRequired(REQUIRED), Length(max=255)])
    on = _date(lazy_gettext("Tên mới có hiệu lực từ ngày"), InputRequired(lazy_gettext("Hãy chọn ngày.")))


class MoveForm(FlaskForm):
    parent_code = StringField(lazy_gettext("Mã đơn vị cấp trên mới"),
                              validators=[DataRequired(REQUIRED), Length(max=40)])


class MergeForm(FlaskForm):
    target_code = StringField(lazy_gettext("Sáp nhập vào đơn vị (mã)"),
                              validators=[DataRequired(REQUIRED), Length(max=40)])
    on = _date(lazy_gettext("Ngày sáp nhập (cán bộ thuộc đơn vị mới từ ngày này)"),
               InputRequired(lazy_gettext("Hãy chọn ngày.")))
    confirmed = BooleanField(lazy_gettext("Tôi hiểu việc sáp nhập không hoàn tác được"))


class DissolveForm(FlaskForm):
    on = _date(lazy_gettext("Ngày cuối cùng đơn vị hoạt động"), InputRequired(lazy_gettext("Hãy chọn ngày.")))
    confirmed = BooleanField(lazy_gettext("Tôi hiểu việc giải thể không hoàn tác được"))


class UploadForm(FlaskForm):
    """A staff or unit list to import."""

    file = FileField(lazy_gettext("Tệp danh sách (.xlsx hoặc .csv)"),
                     validators=[FileRequired(lazy_gettext("Hãy chọn tệp cần nhập."))])
