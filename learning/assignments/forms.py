from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learning.org.models import CATEGORY_LABELS

REQUIRED = "Vui lòng nhập trường này."


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AssignmentForm(FlaskForm):
    course_id = SelectField("Khóa học", coerce=int, validators=[InputRequired("Hãy chọn khóa học.")])
    unit_code = StringField("Mã đơn vị (áp dụng cả đơn vị trực thuộc)",
                            validators=[DataRequired(REQUIRED), Length(max=40)])
    categories = CheckboxList("Chỉ áp dụng cho loại (bỏ trống = tất cả)",
                              choices=list(CATEGORY_LABELS.items()), validators=[Optional()])
    positions = StringField("Chỉ áp dụng cho vị trí việc làm (phân cách bằng dấu chấm phẩy; bỏ trống = tất cả)",
                            validators=[Optional(), Length(max=1000)])
    period = IntegerField("Kỳ (năm)", validators=[InputRequired("Hãy nhập năm, ví dụ 2026."),
                                                  NumberRange(2000, 2100, "Năm phải trong khoảng 2000–2100.")])
    starts_on = DateField("Ngày bắt đầu", format="%Y-%m-%d", validators=[InputRequired("Hãy chọn ngày bắt đầu.")])
    due_on = DateField("Hạn hoàn thành", format="%Y-%m-%d", validators=[InputRequired("Hãy chọn hạn hoàn thành.")])
    recert_months = IntegerField(
        "Chứng nhận còn tính nếu cấp trong vòng (tháng) trước hạn; bỏ trống = chỉ tính từ ngày bắt đầu",
        validators=[Optional(), NumberRange(1, 120, "Từ 1 đến 120 tháng.")])
    note = TextAreaField("Ghi chú", validators=[Optional(), Length(max=1000)])

    def validate_due_on(self, field: DateField) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("Hạn hoàn thành phải sau ngày bắt đầu.")
