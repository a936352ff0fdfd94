"""What the audit log's codes mean to a person: event labels, detail keys and their values in Vietnamese.

Every event code written anywhere in the code base has a label here (tests/audit/test_log_labels.py
reads the source to check it); a code without one is shown as the code itself.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale, gettext

from learning.core.dates import format_date, format_datetime
from learning.core.i18n import N_
from learning.org.models import category_labels

EVENT_LABELS = {
    "account.disabled": N_("Vô hiệu hóa tài khoản"),
    "account.enabled": N_("Mở lại tài khoản"),
    "account.locked": N_("Tạm khóa tài khoản"),
    "account.unlocked": N_("Mở khóa tài khoản"),
    "api.people_read": N_("Hệ thống khác đọc danh sách cán bộ qua API"),
    "api.status_read": N_("Hệ thống khác đọc tình trạng học qua API"),
    "api.token_issued": N_("Cấp mã truy cập API"),
    "api.token_revoked": N_("Thu hồi mã truy cập API"),
    "assignment.closed": N_("Đóng đợt giao học"),
    "assignment.closed_batch": N_("Đóng nhiều đợt giao học"),
    "assignment.created": N_("Giao khóa học"),
    "assignment.reminders_changed": N_("Đổi lịch nhắc học"),
    "assignment.reopened": N_("Mở lại đợt giao học"),
    "audit.exported": N_("Xuất nhật ký hệ thống"),
    "auth.activated": N_("Kích hoạt tài khoản"),
    "auth.activation_failed": N_("Kích hoạt tài khoản không thành công"),
    "auth.invitations_queued": N_("Xếp lịch gửi thư mời"),
    "auth.invitations_sent": N_("Gửi thư mời"),
    "auth.ldap_no_person": N_("Tài khoản LDAP không khớp cán bộ nào"),
    "auth.letters_issued": N_("In thư kích hoạt"),
    "auth.login": N_("Đăng nhập"),
    "auth.login_failed": N_("Đăng nhập sai"),
    "auth.login_refused": N_("Từ chối đăng nhập"),
    "auth.logout": N_("Đăng xuất"),
    "auth.mfa_disabled": N_("Tắt xác thực hai bước"),
    "auth.mfa_enrolled": N_("Bật xác thực hai bước"),
    "auth.mfa_failed": N_("Nhập sai mã xác thực hai bước"),
    "auth.mfa_recovery_renewed": N_("Tạo lại mã khôi phục"),
    "auth.mfa_recovery_used": N_("Dùng mã khôi phục"),
    "auth.mfa_reset": N_("Đặt lại xác thực hai bước"),
    "auth.password_changed": N_("Đổi mật khẩu"),
    "auth.password_reset": N_("Đặt lại mật khẩu cho người khác"),
    "auth.password_reset_by_link": N_("Đặt lại mật khẩu qua liên kết"),
    "auth.reset_requested": N_("Yêu cầu đặt lại mật khẩu"),
    "auth.reset_sent": N_("Gửi liên kết đặt lại mật khẩu"),
    "auth.role_granted": N_("Cấp quyền"),
    "auth.role_revoked": N_("Thu hồi quyền"),
    "auth.sso_linked": N_("Liên kết đăng nhập một lần"),
    "auth.sso_unlinked": N_("Gỡ liên kết đăng nhập một lần"),
    "certificate.downloaded": N_("Tải chứng nhận"),
    "certificate.badge_downloaded": N_("Tải chứng nhận số Open Badges"),
    "certificate.export_downloaded": N_("Tải tệp chứng nhận đã xuất"),
    "certificate.export_requested": N_("Yêu cầu xuất chứng nhận"),
    "certificate.exported": N_("Xuất chứng nhận"),
    "certificate.issued": N_("Cấp chứng nhận"),
    "certificate.reissued": N_("Cấp lại chứng nhận"),
    "certificate.revoked": N_("Thu hồi chứng nhận"),
    "compliance.exported": N_("Xuất báo cáo tuân thủ"),
    "exemption.approved": N_("Duyệt miễn, hoãn học"),
    "exemption.refused": N_("Từ chối miễn, hoãn học"),
    "exemption.requested": N_("Đề nghị miễn, hoãn học"),
    "exemption.withdrawn": N_("Rút đề nghị miễn, hoãn học"),
    "notice.read": N_("Đọc thông báo"),
    "notice.read_all": N_("Đánh dấu đã đọc mọi thông báo"),
    "par.evidence_exported": N_("Xuất minh chứng CCHC"),
    "par.frozen": N_("Chốt số liệu CCHC"),
    "par.rubric_activated": N_("Áp dụng bộ tiêu chí CCHC"),
    "par.rubric_uploaded": N_("Tải lên bộ tiêu chí CCHC"),
    "par.unfrozen": N_("Mở chốt số liệu CCHC"),
    "par.verified": N_("Thẩm định tiêu chí CCHC"),
    "person.updated": N_("Sửa thông tin cán bộ"),
    "personal_data.self_export": N_("Tải dữ liệu của tôi"),
    "quiz.started": N_("Bắt đầu bài kiểm tra"),
    "quiz.submitted": N_("Nộp bài kiểm tra"),
    "reminder.sent_now": N_("Gửi nhắc học ngay"),
    "retention.policy_changed": N_("Đổi thời hạn lưu trữ dữ liệu"),
    "retention.purged": N_("Xóa dữ liệu quá hạn"),
    "staff.exported": N_("Xuất danh sách cán bộ"),
    "staff.imported": N_("Nhập danh sách cán bộ"),
    "textcheck.ran": N_("Kiểm tra văn bản"),
    "transcript.exported": N_("Xuất kết quả học tập"),
    "unit.created": N_("Tạo đơn vị"),
    "unit.dissolved": N_("Giải thể đơn vị"),
    "unit.merged": N_("Sáp nhập đơn vị"),
    "unit.moved": N_("Chuyển đơn vị"),
    "unit.renamed": N_("Đổi tên đơn vị"),
    "units.imported": N_("Nhập danh sách đơn vị"),
}

DETAIL_LABELS = {
    "after": N_("Sau"), "assignment": N_("Đợt giao học"), "assignment_id": N_("Đợt giao học"),
    "assignments": N_("Đợt giao học"), "audit_anonymised": N_("Sự kiện ẩn danh hóa"),
    "audit_cutoff": N_("Xóa nhật ký trước ngày"), "audit_deleted": N_("Sự kiện nhật ký đã xóa"),
    "attempt_cutoff": N_("Xóa bài làm trước ngày"), "attempts_deleted": N_("Bài làm đã xóa"),
    "attempts_stripped": N_("Bài làm đã xóa chi tiết"), "batch": N_("Lượt"), "before": N_("Trước"),
    "changed": N_("Thông tin đã sửa"), "chars": N_("Số ký tự"), "children": N_("Đơn vị trực thuộc"),
    "code": N_("Mã"), "codes": N_("Mã"), "count": N_("Số lượng"), "counts": N_("Số lượng"),
    "course": N_("Khóa học"), "created": N_("Thêm mới"), "criterion": N_("Tiêu chí"),
    "deactivated": N_("Chuyển sang nghỉ việc"), "dissolved": N_("Giải thể"), "due_on": N_("Hạn hoàn thành"),
    "error": N_("Lỗi"), "errors": N_("Lỗi"), "evidence": N_("Minh chứng"), "failed": N_("Không gửi được"),
    "file": N_("Tệp"), "filename": N_("Tên tệp"), "filters": N_("Bộ lọc"), "format": N_("Định dạng"),
    "frozen_at": N_("Chốt lúc"), "identifier": N_("Tên đăng nhập đã nhập"), "ids": N_("Mã số"),
    "imports_deleted": N_("Tệp nhập đã xóa"), "into": N_("Vào đơn vị"), "invite": N_("Thư mời"),
    "kind": N_("Loại"), "last_day": N_("Ngày cuối"), "left": N_("Mã khôi phục còn lại"), "merged": N_("Sáp nhập"),
    "method": N_("Cách thức"), "mfa": N_("Xác thực hai bước"), "moved": N_("Chuyển đơn vị"), "name": N_("Tên"),
    "new_due_on": N_("Hạn mới"), "new_serial": N_("Số hiệu mới"), "note": N_("Ghi chú"), "on": N_("Từ ngày"),
    "operator": N_("Người chạy lệnh"), "parent": N_("Đơn vị cấp trên"), "passed": N_("Đạt"),
    "people": N_("Cán bộ"), "period": N_("Kỳ"), "person": N_("Cán bộ"), "person_id": N_("Cán bộ"),
    "previous": N_("Trước đó"), "provider": N_("Nhà cung cấp"), "purpose": N_("Mục đích"),
    "purpose_code": N_("Mã mục đích"), "purpose_note": N_("Ghi rõ mục đích"), "reason": N_("Lý do"),
    "renamed": N_("Đổi tên"), "replaced_by": N_("Thay bằng"), "role": N_("Quyền"), "rows": N_("Số dòng"),
    "rubric": N_("Bộ tiêu chí"), "scope": N_("Phạm vi"), "score": N_("Điểm"), "sent": N_("Đã gửi"),
    "serial": N_("Số hiệu"), "source": N_("Nguồn"), "status": N_("Trạng thái"),
    "subject": N_("Định danh bên ngoài"), "token": N_("Mã truy cập"), "unchanged": N_("Không đổi"),
    "unit": N_("Đơn vị"), "unit_code": N_("Mã đơn vị"), "units": N_("Đơn vị"), "updated": N_("Cập nhật"),
    "valid_from": N_("Hiệu lực từ"), "value": N_("Giá trị"), "version": N_("Phiên bản"), "via": N_("Thực hiện qua"),
    "was_enrolled": N_("Đã bật trước đó"), "year": N_("Năm"),
    # the person record's fields (person.updated)
    "middle_name": N_("Họ đệm"), "given_name": N_("Tên"), "email": N_("Thư điện tử"), "position": N_("Chức vụ"),
    "category": N_("Loại cán bộ"), "joined_on": N_("Ngày vào làm"), "left_on": N_("Ngày nghỉ việc"),
    "active": N_("Đang làm việc"), "moved_on": N_("Ngày chuyển"),
}

# Values that are codes themselves: account states, roles, how something was done.
VALUE_LABELS = {
    "invited": N_("Chưa kích hoạt"), "active": N_("Đang hoạt động"), "locked": N_("Tạm khóa"),
    "disabled": N_("Đã vô hiệu hóa"), "learner": N_("Học viên"), "unit_head": N_("Thủ trưởng đơn vị"),
    "hr": N_("Tổ chức cán bộ"), "par_assessor": N_("Thẩm định CCHC"), "admin": N_("Quản trị hệ thống"),
    "password": N_("Mật khẩu"), "cli": N_("Dòng lệnh"), "sweep": N_("Rà soát tự động hằng đêm"),
    "web": N_("Giao diện web"), "letter": N_("Thư kích hoạt"), "email": N_("Thư điện tử"),
    "totp": N_("Ứng dụng xác thực"), "recovery": N_("Mã khôi phục"),
}

OBJECT_TYPE_LABELS = {
    "account": N_("Tài khoản"), "person": N_("Cán bộ"), "unit": N_("Đơn vị"), "certificate": N_("Chứng nhận"),
    "attempt": N_("Bài làm"), "assignment": N_("Đợt giao học"), "api_token": N_("Mã truy cập API"),
    "exemption": N_("Đề nghị miễn, hoãn"), "notice": N_("Thông báo"), "staff_import": N_("Lượt nhập danh sách"),
    "retention_policy": N_("Thời hạn lưu trữ"), "textcheck": N_("Kiểm tra văn bản"),
}

_ROLES = ("learner", "unit_head", "hr", "par_assessor", "admin")
MAX_ITEMS = 10  # a list longer than this (say 500 employee codes) shows its first items and how many more
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def event_label(code: str) -> str:
    label = EVENT_LABELS.get(code)
    return gettext(label) if label else code


def object_type_label(kind: str) -> str:
    label = OBJECT_TYPE_LABELS.get(kind)
    return gettext(label) if label else kind


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return gettext(label) if label else key.replace("_", " ")


def value_text(value: Any) -> str:
    """One detail value as a person reads it: dates dd/mm/yyyy, yes/no, labelled codes, short lists."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("có") if value else gettext("không")
    if isinstance(value, datetime):
        return format_datetime(value, language())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}" if language() == "en" else f"{value:g}".replace(".", ",")
    if isinstance(value, list | tuple):
        shown = ", ".join(value_text(v) for v in value[:MAX_ITEMS])
        more = len(value) - MAX_ITEMS
        return shown + (" " + gettext("… và %(n)s mục khác", n=more) if more > 0 else "") if value else "—"
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {value_text(v)}" for k, v in value.items()) or "—"
    text = str(value)
    if _ISO_DATETIME.match(text):
        try:
            return format_datetime(datetime.fromisoformat(text), language())
        except ValueError:
            return text
    if _ISO_DATE.match(text):
        try:
            return format_date(date.fromisoformat(text))
        except ValueError:
            return text
    role, at, scope = text.partition("@")
    if at and role in _ROLES:  # a role grant, "hr@STP" ("*" = the whole province)
        return f"{gettext(VALUE_LABELS[role])} ({gettext('toàn tỉnh') if scope == '*' else scope})"
    label = VALUE_LABELS.get(text)
    return gettext(label) if label else text


def keyed_value_text(key: str, value: Any) -> str:
    """A value whose meaning depends on its key: the names of changed fields, a staff category."""
    if key == "changed" and isinstance(value, list):
        return ", ".join(detail_label(str(v)) for v in value) or "—"
    if key == "category" and isinstance(value, str):
        return category_labels().get(value, value)
    if isinstance(value, dict):
        return "; ".join(f"{detail_label(str(k))}: {keyed_value_text(str(k), v)}" for k, v in value.items()) or "—"
    return value_text(value)


def detail_lines(detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The event's detail as (label, value) pairs, in the order written."""
    return [(detail_label(str(key)), keyed_value_text(str(key), value)) for key, value in (detail or {}).items()]


def detail_text(detail: dict[str, Any] | None) -> str:
    """The detail on one line, for the CSV export."""
    return "; ".join(f"{label}: {value}" for label, value in detail_lines(detail))
