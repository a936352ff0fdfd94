"""Lesson Markdown rendering (learning/catalog/markdown.py)."""

from learning.catalog.markdown import TABLE_LABEL, make_renderer


def test_a_lesson_table_is_wrapped_in_a_labelled_focusable_scroll_region():
    html = make_renderer(lambda key: key)("| Khoản | Điều 16 |\n|---|---|\n| 1 | văn bản [[qd-05-2023-qn#d16-k1]] |\n")
    assert html.startswith(f'<div class="lesson-table" role="region" tabindex="0" aria-label="{TABLE_LABEL}">\n<table>')
    assert html.rstrip().endswith("</table>\n</div>")
    assert '<a class="cite" href="/thu-vien/qd-05-2023-qn#d16-k1">' in html


def test_raw_html_in_a_lesson_stays_escaped():
    html = make_renderer(lambda key: key)('<div tabindex="0">x</div>\n')
    assert "<div" not in html and "&lt;div" in html
