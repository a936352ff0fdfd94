"""Lesson Markdown → HTML, with ``[[source#anchor]]`` citations rendered as library links.

Raw HTML in Markdown is not allowed (it is escaped), so lesson text can never inject markup.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markupsafe import escape

from learning.catalog.citations import citation_url


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

    md.add_render_rule("citation", render_citation)
    return md.render
