"""The regulation library: public, read-only, one stable URL per article/clause/point."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from learning.catalog.citations import LIBRARY_PATH, anchor_label
from learning.catalog.models import RegulationSection, RegulationSource
from learning.extensions import db

bp = Blueprint("library", __name__, url_prefix=LIBRARY_PATH)


@bp.get("")
def index():
    sources = list(db.session.scalars(select(RegulationSource).order_by(RegulationSource.position)))
    return render_template("library/index.html", sources=sources)


@bp.get("/<source_id>")
def document(source_id: str):
    source = db.session.scalar(
        select(RegulationSource).where(RegulationSource.id == source_id)
        .options(selectinload(RegulationSource.sections))
    ) or abort(404)
    toc = [s for s in source.sections if s.depth == 0 or (s.depth == 1 and s.heading)]
    return render_template("library/document.html", source=source, toc=toc, labels=_labels(source.sections),
                           context=_context(source.sections), back=_back_link())


def _labels(sections: list[RegulationSection]) -> dict[str, str]:
    """What a reader calls each part (``khoản 3 Điều 5``); the anchor id itself stays a link target only."""
    return {s.anchor: label for s in sections if (label := anchor_label(s.anchor)) != s.anchor}


def _context(sections: list[RegulationSection]) -> dict[str, str]:
    """For a clause or point, the headed parts it belongs to ("Điều 5. …"), shown when a link lands on it."""
    by_anchor = {s.anchor: s for s in sections}
    context = {}
    for section in sections:
        titles, parent = [], by_anchor.get(section.parent_anchor or "")
        while parent is not None:
            if parent.heading:
                titles.append(parent.heading)
            parent = by_anchor.get(parent.parent_anchor or "")
        if titles:
            context[section.anchor] = " › ".join(reversed(titles))
    return context


def _back_link() -> str | None:
    """The page of this site the reader came from (a lesson, a quiz result), to go back to after reading."""
    if not request.referrer:
        return None
    came_from = urlsplit(request.referrer)
    if came_from.netloc != request.host or not came_from.path.startswith("/") or \
            came_from.path.startswith(LIBRARY_PATH):
        return None
    return came_from.path + (f"?{came_from.query}" if came_from.query else "")
