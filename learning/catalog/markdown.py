"""Lesson Markdown → HTML, with ``[[source#anchor]]`` citations rendered as library links.

Raw HTML in Markdown is not allowed (it is escaped), so lesson text can never inject markup.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markupsafe import escape

from learning.catalog.citations import citation_url

# Lesson bodies are rendered once, at load time, in the language of the lessons.
TABLE_LABEL = "Bảng trong bài học; trên màn hình hẹp, cuộn ngang để xem đủ các cột"


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    end = state.src.find("]]", state.pos + 2)
    if end < 0:
        return False
    key = state.src[state.pos + 2 : end]
    if not key or any(ch.isspace() or ch in "[]" for ch in key):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"key": key}
    state.pos = end + 2
    return True


def make_renderer(label: Callable[[str], str]) -> Callable[[str], str]:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.inline.ruler.before("link", "citation", _citation_rule)

    def render_citation(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it API
        key = tokens[idx].meta["key"]
        return (f'<a class="cite" href="{escape(citation_url(key))}">'
                f"[{escape(label(key))}]</a>")

    def render_table_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it API
        # A table wider than a phone scrolls inside its own focusable region (WCAG 1.4.10, 2.1.1): the
        # page itself never scrolls sideways, and a keyboard user can scroll the table with the arrows.
        return f'<div class="lesson-table" role="region" tabindex="0" aria-label="{TABLE_LABEL}">\n<table>\n'

    def render_table_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it API
        return "</table>\n</div>\n"

    md.add_render_rule("citation", render_citation)
    md.add_render_rule("table_open", render_table_open)
    md.add_render_rule("table_close", render_table_close)
    return md.render
