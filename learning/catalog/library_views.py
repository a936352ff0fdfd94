"""The regulation library: public, read-only, one stable URL per article/clause/point."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from learning.catalog.citations import LIBRARY_PATH
from learning.catalog.models import RegulationSource
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
    return render_template("library/document.html", source=source, toc=toc)
