import pytest

from learning.par import rubric

EXAMPLE = rubric.shipped()[0][1]


@pytest.fixture
def parsed():
    return rubric.parse(EXAMPLE)


def test_shipped_rubric_is_valid_and_says_it_is_an_example(parsed):
    assert parsed.example is True and parsed.max_points == 4.5


@pytest.mark.parametrize(("rate", "points"), [(1.0, 2.0), (0.9, 2.0), (0.8999, 1.0), (0.7, 1.0),
                                              (0.6999, 0.0), (0.0, 0.0), (None, 0.0)])
def test_tier_edges_exactly_90_and_70_percent(parsed, rate, points):
    assert parsed.criteria[0].score(rate) == points


def test_proportional_and_lower_is_better_rules(parsed):
    assert parsed.criteria[1].score(0.555) == 0.56
    overdue = parsed.criteria[3]
    assert [overdue.score(v) for v in (0.0, 0.05, 0.0501, 1.0)] == [0.5, 0.25, 0.0, 0.0]


@pytest.mark.parametrize(("edit", "message"), [
    (("max_points: 2.0", "max_points: 0.5"), "vượt điểm tối đa"),
    (("indicator: on_time_rate", "indicator: luck"), "indicator"),
    (('code: "4.2"', 'code: "4.1"'), "mã tiêu chí bị trùng: 4.1"),
    (("type: proportional", "type: magic"), "rule"),
    (("criteria:", "criteria: [oops"), "YAML không hợp lệ"),
])
def test_invalid_rubrics_get_clear_errors(edit, message):
    with pytest.raises(rubric.RubricError) as error:
        rubric.parse(EXAMPLE.replace(*edit, 1))
    assert message in str(error.value)
