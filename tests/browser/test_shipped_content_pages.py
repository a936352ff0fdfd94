"""Every shipped lesson, every library document and a quiz review of each course, on a phone.

The pages must pass axe-core (WCAG 2.1 A/AA), fit a 390 px wide screen without sideways scrolling,
and every citation link must land on an anchor that exists on its library page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from learning.catalog.models import Course, RegulationSource
from learning.extensions import db
from tests.browser.conftest import axe_violations, log_in
from tests.browser.test_learning_journey import take_quiz

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(base_url=site[1], locale="vi-VN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, "DEMO-HV")
    yield page
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def anchors_on(page, url: str, cache: dict[str, set[str]]) -> set[str]:
    document = urlsplit(url).path
    if document not in cache:
        page.goto(document)
        cache[document] = set(page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)"))
    return cache[document]


def check_citations(page, hrefs: list[str], cache: dict[str, set[str]]) -> list[str]:
    return [href for href in hrefs if urlsplit(href).fragment not in anchors_on(page, href, cache)]


def test_every_library_document_reads_well_on_a_phone(phone, site):
    app, _ = site
    with app.app_context():
        sources = list(db.session.scalars(select(RegulationSource.id)))
    assert len(sources) == 5
    for source in sources:
        phone.goto(f"/thu-vien/{source}")
        assert axe_violations(phone) == [], source
        assert fits_the_screen(phone), source
        toc = phone.locator("nav.toc a").all()
        assert toc, source


def test_every_lesson_reads_well_on_a_phone_and_its_citations_resolve(phone, site):
    app, _ = site
    with app.app_context():
        lessons = [(c.code, lesson.slug, lesson.title) for c in db.session.scalars(select(Course))
                   for lesson in c.current_version.lessons]
    assert len(lessons) >= 24
    cache: dict[str, set[str]] = {}
    broken = []
    for code, slug, title in lessons:
        phone.goto(f"/khoa-hoc/{code}/bai/{slug}")
        assert phone.get_by_role("heading", level=1).inner_text() == title
        assert axe_violations(phone) == [], slug
        assert fits_the_screen(phone), slug
        hrefs = phone.eval_on_selector_all("a.cite", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs, slug
        broken += check_citations(phone, hrefs, cache)
    assert broken == []


def test_a_passed_quiz_of_every_course_reviews_with_working_citations(phone, site):
    app, _ = site
    with app.app_context():
        codes = list(db.session.scalars(select(Course.code)))
    cache: dict[str, set[str]] = {}
    for code in codes:
        phone.goto(f"/khoa-hoc/{code}")
        phone.get_by_role("button", name="Làm bài kiểm tra").click()
        take_quiz(phone, app, right=True)
        assert "Kết quả: 100%" in phone.get_by_role("heading", level=1).inner_text(), code
        assert axe_violations(phone) == [], code
        assert fits_the_screen(phone), code
        hrefs = phone.eval_on_selector_all("ol.review a[href^='/thu-vien/']",
                                           "links => links.map(a => a.getAttribute('href'))")
        labels = phone.locator("ol.review a[href^='/thu-vien/']").all_inner_texts()
        assert hrefs and not [label for label in labels if "#" in label], code  # "khoản 3 Điều 5, QĐ …"
        assert check_citations(phone, hrefs, cache) == [], code


def test_a_wide_lesson_table_scrolls_in_its_own_keyboard_region_on_a_phone(phone):
    phone.goto("/khoa-hoc/cong-thong-tin-dien-tu/bai/06-trang-xa-phuong-va-cong-tong-hop")
    assert fits_the_screen(phone)
    region = phone.get_by_role("region", name="Bảng trong bài học; trên màn hình hẹp, cuộn ngang để xem đủ các cột")
    assert region.get_attribute("tabindex") == "0"
    widths = region.evaluate("r => ({scroll: r.scrollWidth, client: r.clientWidth, "
                             "cell: Math.min(...[...r.querySelectorAll('th, td')].map(c => c.clientWidth))})")
    assert widths["scroll"] > widths["client"]  # four columns do not fit 390 px: the table scrolls, not the page
    assert widths["cell"] >= 100  # no column squeezed to a word per line
    region.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
