"""The PAR pages an assessor reads on a phone and a desktop (issue 18 item 14): every table caption stays in
view while its table scrolls sideways, the page fits the screen, and axe-core finds nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = pytest.mark.browser

# Each caption's text box against the visible part of its scroll box, before and after scrolling to the end.
CAPTIONS = """() => [...document.querySelectorAll('.table-wrap caption')]
  .filter(c => getComputedStyle(c).position !== 'absolute')
  .map(c => {
    const wrap = c.closest('.table-wrap'), text = c.firstElementChild || c;
    const fits = () => {
      const box = wrap.getBoundingClientRect(), r = text.getBoundingClientRect();
      return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    };
    const before = fits();
    wrap.scrollLeft = wrap.scrollWidth;
    const after = fits();
    wrap.scrollLeft = 0;
    return {text: c.textContent.trim(), scrolls: wrap.scrollWidth > wrap.clientWidth, before, after};
  })"""


@pytest.mark.parametrize("width", [390, 1366])
def test_par_pages_keep_captions_in_view_fit_the_screen_and_pass_axe(browser, site, width, tmp_path):
    app, base = site
    phone = width < 500
    context = browser.new_context(base_url=base, locale="vi-VN", viewport={"width": width, "height": 844},
                                  is_mobile=phone, has_touch=phone)
    page = context.new_page()
    log_in(page, "DEMO-CCHC")
    page.goto("/cchc")
    unit_url = page.locator("table.par-table tbody a").first.get_attribute("href")
    for name, url in (("index", "/cchc"), ("unit", unit_url), ("rubrics", "/cchc/bo-tieu-chi")):
        page.goto(url)
        page.screenshot(path=tmp_path / f"par-{name}-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        captions = page.evaluate(CAPTIONS)
        if name == "unit":
            assert captions and captions[0]["text"].startswith("Điểm theo tiêu chí")
            assert captions[0]["scrolls"] is phone  # on a phone the criteria table scrolls sideways
        cut = [c for c in captions if not (c["before"] and c["after"])]
        assert not cut, (name, cut)
        assert axe_violations(page) == [], name
    context.close()
