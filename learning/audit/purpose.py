"""Why personal data leaves the platform: every export names its purpose, and the audit log keeps it.

Web exports show a small form (a purpose from a short list, plus free text) before the file is sent;
the CLI takes ``--purpose``. The same three keys go into the audit event's detail.
"""

from __future__ import annotations

import getpass
from typing import Any

import click
from flask import render_template, request
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length

from learning.core.i18n import N_

MIN_NOTE = 5
OTHER = "khac"
# The audit log keeps the Vietnamese label; the form shows it in the reader's language.
PURPOSES = [
    ("bao-cao", N_("Báo cáo cấp trên, cơ quan quản lý")),
    ("cchc", N_("Minh chứng chấm điểm cải cách hành chính")),
    ("doi-chieu", N_("Rà soát, đối chiếu danh sách cán bộ")),
    ("don-doc", N_("Đôn đốc cán bộ hoàn thành khóa học")),
    ("ho-so", N_("Lưu hồ sơ, minh chứng của đơn vị")),
    (OTHER, N_("Khác (ghi rõ bên dưới)")),
]
LABELS = dict(PURPOSES)


def _purpose_choices() -> list[tuple[str, str]]:
    return [("", gettext("— Chọn mục đích —")), *((code, gettext(label)) for code, label in PURPOSES)]


class ExportPurposeForm(FlaskForm):
    purpose = SelectField(lazy_gettext("Mục đích xuất dữ liệu"), choices=_purpose_choices,
                          validators=[DataRequired(lazy_gettext("Hãy chọn mục đích xuất dữ liệu."))])
    note = StringField(lazy_gettext("Ghi rõ (ví dụ: số công văn, người nhận)"), validators=[
        Length(max=300, message=lazy_gettext("Ghi chú tối đa 300 ký tự."))])

    def validate_note(self, field: StringField) -> None:
        if self.purpose.data == OTHER and len((field.data or "").strip()) < MIN_NOTE:
            raise ValidationError(gettext("Chọn “Khác” thì hãy ghi rõ mục đích (ít nhất %(n)s ký tự).", n=MIN_NOTE))

    def detail(self) -> dict[str, str]:
        """The audit detail: purpose code, its label, and the free text."""
        code = self.purpose.data
        return {"purpose": LABELS[code], "purpose_code": code, "purpose_note": (self.note.data or "").strip()}


def ask(form: ExportPurposeForm, *, what: str, back: str, hidden: dict[str, Any] | None = None):
    """The page asking why, before a download; 400 when a posted form was incomplete."""
    status = 400 if request.method == "POST" else 200
    return render_template("audit/export_purpose.html", form=form, what=what, back=back,
                           hidden=hidden or {}), status


def cli_detail(purpose: str) -> dict[str, str]:
    """The audit detail for ``--purpose`` on a CLI export (free text, at least MIN_NOTE characters)."""
    text = " ".join(purpose.split())
    if len(text) < MIN_NOTE:
        raise click.BadParameter(f"hãy ghi rõ mục đích xuất dữ liệu (ít nhất {MIN_NOTE} ký tự)",
                                 param_hint="--purpose")
    return {"purpose": text, "purpose_code": "cli", "purpose_note": ""}


def operator() -> str:
    """Who ran a CLI export: the operating-system user (there is no web account behind a shell)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def purpose_option(fn):
    """``--purpose TEXT`` (required) for CLI commands that write personal data to a file."""
    return click.option("--purpose", required=True,
                        help="Why the data is exported (recorded in the audit log), e.g. \"Báo cáo Sở Nội vụ\".")(fn)
