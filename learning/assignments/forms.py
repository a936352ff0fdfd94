from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learning.org.models import category_labels

REQUIRED = lazy_gettext("Vui lòng nhập trường này.")


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentForm(FlaskForm):
    course_id = SelectField(lazy_gettext("Khóa học"), coerce=int,
                            validators=[InputRequired(lazy_gettext("Hãy chọn khóa học."))])
    unit_code = StringField(lazy_gettext("Mã đơn vị (áp dụng cả đơn vị trực thuộc)"),
                            validators=[DataRequired(REQUIRED), Length(max=40)])
    categories = CheckboxList(lazy_gettext("Chỉ áp dụng cho loại (bỏ trống = tất cả)"),
                              choices=lambda: list(category_labels().items()), validators=[Optional()])
    positions = StringField(lazy_gettext("Chỉ áp dụng cho vị trí việc làm (phân cách bằng dấu chấm phẩy; "
                                         "bỏ trống = tất cả)"),
                            validators=[Optional(), Length(max=1000)])
    period = IntegerField(lazy_gettext("Kỳ (năm)"), validators=[
        InputRequired(lazy_gettext("Hãy nhập năm, ví dụ 2026.")),
        NumberRange(2000, 2100, lazy_gettext("Năm phải trong khoảng 2000–2100."))])
    starts_on = DateField(lazy_gettext("Ngày bắt đầu"), format="%Y-%m-%d",
                          validators=[InputRequired(lazy_gettext("Hãy chọn ngày bắt đầu."))])
    due_on = DateField(lazy_gettext("Hạn hoàn thành"), format="%Y-%m-%d",
                       validators=[InputRequired(lazy_gettext("Hãy chọn hạn hoàn thành."))])
    recert_months = IntegerField(
        lazy_gettext("Chứng nhận còn tính nếu cấp trong vòng (tháng) trước hạn; bỏ trống = chỉ tính từ ngày bắt đầu"),
        validators=[Optional(), NumberRange(1, 120, lazy_gettext("Từ 1 đến 120 tháng."))])
    note = TextAreaField(lazy_gettext("Ghi chú"), validators=[Optional(), Length(max=1000)])

    def validate_due_on(self, field: DateField) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(gettext("Hạn hoàn thành phải sau ngày bắt đầu."))


class ExemptionForm(FlaskForm):
    """A unit head's request (or HR's entry) for one person × assignment."""

    kind = SelectField(lazy_gettext("Đề nghị"), validators=[InputRequired(lazy_gettext("Hãy chọn miễn hoặc gia hạn."))])
    reason = SelectField(lazy_gettext("Lý do"), validators=[InputRequired(lazy_gettext("Hãy chọn lý do."))])
    new_due_on = DateField(lazy_gettext("Hạn mới (chỉ khi gia hạn)"), format="%Y-%m-%d", validators=[Optional()])
    evidence = StringField(lazy_gettext("Minh chứng: số, ngày, nơi cấp giấy chứng nhận hoặc quyết định "
                                        "(bắt buộc khi đã học tương đương)"),
                           validators=[Optional(), Length(max=500)])
    note = TextAreaField(lazy_gettext("Ghi chú"), validators=[Optional(), Length(max=1000)])


class DecisionForm(FlaskForm):
    note = TextAreaField(lazy_gettext("Ghi chú quyết định (bắt buộc khi từ chối)"),
                         validators=[Optional(), Length(max=1000)])
