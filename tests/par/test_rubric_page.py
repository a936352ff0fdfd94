"""What the PAR pages say a value is, and in which unit (issue 18 item 14)."""

import re
from datetime import date, datetime

import pytest

from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.par import rubric, views

EXAMPLE = rubric.shipped()[0][1]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def stp(province, create_unit, create_person, create_completion, create_course_version):
    """Sở Tư pháp: 8 enrolments, 7 passed on time (87,5%)."""
    unit = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    for i in range(8):
        person = create_person(f"Nguyễn Văn Người{i:02d}", unit=unit)
        if i < 7:
            create_completion(person, version, score=90, completed_at=datetime(2026, 3, 1))
    return unit


def test_every_rate_criterion_of_the_example_says_it_counts_enrolments():
    parsed = rubric.parse(EXAMPLE)
    rates = [c for c in parsed.criteria if c.indicator in rubric.RATE_INDICATORS]
    assert rates and all(c.title.startswith("Tỷ lệ lượt") for c in rates)
    assert all("lượt" in rubric.INDICATORS[i] for i in rubric.RATE_INDICATORS)


def test_a_rate_threshold_written_as_a_percentage_is_refused():
    with pytest.raises(rubric.RubricError) as error:
        rubric.parse(EXAMPLE.replace("{min: 0.90, points: 2.0}", "{min: 90, points: 2.0}", 1))
    assert "tiêu chí 4.1: ngưỡng của chỉ số tỷ lệ ghi từ 0 đến 1 (90% ghi là 0.9)" in str(error.value)


@pytest.mark.parametrize(("value", "indicator", "shown"), [
    (0.9, "on_time_rate", "90%"), (0.05, "overdue_rate", "5%"), (0.125, "certified_rate", "12,5%"),
    (0.07, "on_time_rate", "7%"), (1.0, "overdue_rate", "100%"), (90, "average_score", "90"),
    (2.5, "training_hours", "2,5")])
def test_thresholds_are_shown_in_the_unit_of_their_value(app, value, indicator, shown):
    with app.test_request_context():
        assert views.par_threshold(value, indicator) == shown


def test_rubric_page_shows_rate_thresholds_in_percent(client, login, create_account):
    login(create_account((Role.PAR_ASSESSOR, None)))
    page = _text(client.get("/cchc/bo-tieu-chi").text)
    assert "≥ 90% → 2,00 điểm" in page and "≥ 70% → 1,00 điểm" in page
    assert "≤ 5% → 0,25 điểm" in page and "≥ 90 → 1,00 điểm" in page  # the average score is not a rate
    assert "0,90" not in page and "0,05" not in page


def test_unit_page_shows_value_and_thresholds_in_the_same_unit_and_names_the_computed_points(
        client, login, create_account, stp):
    login(create_account((Role.PAR_ASSESSOR, None)))
    page = _text(client.get(f"/cchc/2026/don-vi/{stp.id}").text)
    assert "4.1. Tỷ lệ lượt học bắt buộc hoàn thành đúng hạn ≥ 90% → 2,00 điểm" in page
    assert "87,5%" in page
    assert "Điểm tính từ số liệu" in page and "tự đánh giá" not in page.lower()
    table = _text(client.get("/cchc?nam=2026").text)
    assert "Tính từ số liệu" in table and "Tự đánh giá" not in table
