"""The quiz page on a phone (issue 18 item 5): how to answer is said once, and the legend sits inside its box."""

import pytest

from tests.browser.conftest import axe_violations, log_in, make_learner

pytestmark = pytest.mark.browser

LEGEND_INSIDE = """fieldset => {
  const box = fieldset.getBoundingClientRect(), legend = fieldset.querySelector('legend').getBoundingClientRect();
  const style = getComputedStyle(fieldset);
  return legend.top >= box.top + parseFloat(style.borderTopWidth) - 0.5;
}"""


def test_a_multiple_answer_question_says_how_to_answer_once_inside_its_box(browser, site, tmp_path):
    app, base = site
    context = browser.new_context(base_url=base, locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, make_learner(app, "HV-LEGEND"))
    page.goto("/khoa-hoc/ung-xu-mang-xa-hoi")
    page.get_by_role("button", name="Làm bài kiểm tra").click()
    multiple = page.locator("fieldset.question", has_text="Chọn tất cả đáp án đúng")
    while not multiple.count():
        page.get_by_role("button", name="Lưu và tiếp ›").click()
    legend = multiple.first.locator("legend").inner_text()
    page.screenshot(path=tmp_path / "multiple.png", full_page=True)
    assert legend.count("Chọn tất cả đáp án đúng") == 1, legend
    assert multiple.first.locator("legend").bounding_box()["height"] > 40  # several lines on a phone
    assert all(fieldset.evaluate(LEGEND_INSIDE) for fieldset in page.locator("fieldset.question").all())
    assert axe_violations(page) == []
    context.close()
