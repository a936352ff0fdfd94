from __future__ import annotations

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from learning.core.forms import LocalDateField
from learning.org.models import category_labels

REQUIRED = lazy_gettext("Vui lòng nhập trường này.")


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_days(text: str | None) -> list[int]:
    """"7, 1" → [7, 1] (largest first, no repeats); ValueError on anything else."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    days = sorted({int(p) for p in parts if p.isascii() and p.isdigit()}, reverse=True)
    if len(days) != len(set(parts)) or len(days) > 10 or any(not 1 <= d <= 365 for d in days):
        raise ValueError(text)
    return days


class ReminderForm(FlaskForm):
    """When the people of an assignment are reminded and their lateness escalated (each from their own due
    date). Blank number fields mean "không"."""

    remind_days_before = StringField(lazy_gettext("Nhắc trước hạn (số ngày, phân cách bằng dấu phẩy)"),
                                     default="7", validators=[Optional(), Length(max=60)])
    remind_on_due = BooleanField(lazy_gettext("Nhắc vào ngày đến hạn"), default=True)
    remind_every_days = IntegerField(lazy_gettext("Sau hạn, nhắc lại mỗi (ngày)"), default=7, validators=[
        Optional(), NumberRange(0, 365, lazy_gettext("Từ 0 đến 365 ngày."))])
    remind_max_after = IntegerField(lazy_gettext("Dừng sau (số lần nhắc sau hạn)"), default=4, validators=[
        Optional(), NumberRange(0, 50, lazy_gettext("Từ 0 đến 50 lần."))])
    escalate_head_days = IntegerField(lazy_gettext("Báo thủ trưởng đơn vị khi quá hạn (ngày)"), default=7,
                                      validators=[Optional(), NumberRange(1, 365, lazy_gettext("Từ 1 đến 365 ngày."))])
    escalate_hr_days = IntegerField(lazy_gettext("Báo bộ phận tổ chức cán bộ của đơn vị cấp trên khi quá hạn (ngày)"),
                                    default=21,
                                    validators=[Optional(), NumberRange(1, 365, lazy_gettext("Từ 1 đến 365 ngày."))])

    def validate_remind_days_before(self, field: StringField) -> None:
        try:
            parse_days(field.data)
        except ValueError:
            raise ValidationError(gettext("Nhập các số ngày từ 1 đến 365, phân cách bằng dấu phẩy, ví dụ: 7, 1.")) \
                from None

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Here, not as a field validator: a blank or missing field stops its own validators (Optional).
        if self.remind_every_days.data and self.remind_max_after.data is None and not self.remind_max_after.errors:
            self.remind_max_after.errors = [gettext("Hãy nhập số lần nhắc tối đa sau hạn (0 = không nhắc sau hạn).")]
            return False
        return ok

    def validate_escalate_hr_days(self, field: IntegerField) -> None:
        head = self.escalate_head_days.data
        if field.data and head and field.data < head:
            raise ValidationError(gettext("Báo cấp trên phải cùng lúc hoặc sau khi báo thủ trưởng đơn vị."))

    def settings(self) -> dict:
        """The validated values as Assignment columns."""
        return {"remind_days_before": parse_days(self.remind_days_before.data),
                "remind_on_due": bool(self.remind_on_due.data),
                "remind_every_days": self.remind_every_days.data or 0,
                "remind_max_after": self.remind_max_after.data or 0,
                "escalate_head_days": self.escalate_head_days.data or 0,
                "escalate_hr_days": self.escalate_hr_days.data or 0}

    def show(self, assignment) -> None:
        """Fill the form from an assignment's settings."""
        self.remind_days_before.data = ", ".join(str(d) for d in assignment.remind_days_before or [])
        self.remind_on_due.data = assignment.remind_on_due
        self.remind_every_days.data = assignment.remind_every_days
        self.remind_max_after.data = assignment.remind_max_after
        self.escalate_head_days.data = assignment.escalate_head_days or None  # 0 (none) shows blank
        self.escalate_hr_days.data = assignment.escalate_hr_days or None


class AssignmentForm(ReminderForm):
    course_id = SelectField(lazy_gettext("Khóa học"), coerce=int,
                            validators=[InputRequired(lazy_gettext("Hãy chọn khóa học."))])
    # A text box with the suggestions of learning/org/picker.py (the template's <datalist id="unit-choices">).
    unit_code = StringField(lazy_gettext("Đơn vị (áp dụng cả các đơn vị trực thuộc)"),
                            validators=[DataRequired(REQUIRED), Length(max=600)],
                            render_kw={"list": "unit-choices", "autocomplete": "off", "spellcheck": "false"})
    categories = CheckboxList(lazy_gettext("Chỉ áp dụng cho loại (bỏ trống = tất cả)"),
                              choices=lambda: list(category_labels().items()), validators=[Optional()])
    positions = StringField(lazy_gettext("Chỉ áp dụng cho vị trí việc làm (phân cách bằng dấu chấm phẩy; "
                                         "bỏ trống = tất cả)"),
                            validators=[Optional(), Length(max=1000)])
    period = IntegerField(lazy_gettext("Kỳ (năm)"), validators=[
        InputRequired(lazy_gettext("Hãy nhập năm, ví dụ 2026.")),
        NumberRange(2000, 2100, lazy_gettext("Năm phải trong khoảng 2000–2100."))])
    starts_on = LocalDateField(lazy_gettext("Ngày bắt đầu"),
                               validators=[InputRequired(lazy_gettext("Hãy chọn ngày bắt đầu."))])
    due_on = LocalDateField(lazy_gettext("Hạn hoàn thành"),
                            validators=[InputRequired(lazy_gettext("Hãy chọn hạn hoàn thành."))])
    recert_months = IntegerField(
        lazy_gettext("Công nhận chứng nhận đã có (số tháng)"),
        description=lazy_gettext(
            "Ai đã có chứng nhận khóa học này, cấp trong số tháng này tính ngược từ hạn hoàn thành, thì không phải "
            "học lại. Ví dụ: nhập 12, hạn 31/12/2026 thì chứng nhận cấp từ ngày 31/12/2025 được công nhận. "
            "Bỏ trống: chỉ tính người hoàn thành từ ngày bắt đầu."),
        validators=[Optional(), NumberRange(1, 120, lazy_gettext("Từ 1 đến 120 tháng."))])
    note = TextAreaField(lazy_gettext("Ghi chú"), validators=[Optional(), Length(max=1000)])

    def validate_due_on(self, field: LocalDateField) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(gettext("Hạn hoàn thành phải sau ngày bắt đầu."))


class ExemptionForm(FlaskForm):
    """A unit head's request (or HR's entry) for one person × assignment."""

    kind = SelectField(lazy_gettext("Đề nghị"), validators=[InputRequired(lazy_gettext("Hãy chọn miễn hoặc gia hạn."))])
    reason = SelectField(lazy_gettext("Lý do"), validators=[InputRequired(lazy_gettext("Hãy chọn lý do."))])
    new_due_on = LocalDateField(lazy_gettext("Hạn mới (chỉ khi gia hạn)"), validators=[Optional()])
    evidence = StringField(lazy_gettext("Minh chứng: số, ngày, nơi cấp giấy chứng nhận hoặc quyết định "
                                        "(bắt buộc khi đã học tương đương)"),
                           validators=[Optional(), Length(max=500)])
    note = TextAreaField(lazy_gettext("Ghi chú"), validators=[Optional(), Length(max=1000)])


class DecisionForm(FlaskForm):
    note = TextAreaField(lazy_gettext("Ghi chú quyết định (bắt buộc khi từ chối)"),
                         validators=[Optional(), Length(max=1000)])
