"""One PDF renderer for every printed document, locked to its template folder."""

import io
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from learning.core.pdf import DEFAULT_FOLDER, TEMPLATES, LocalOnlyFetcher, render_pdf

LEARNING = Path(__file__).resolve().parents[2] / "learning"


def test_the_template_cannot_fetch_anything_outside_its_folder():
    fetcher = LocalOnlyFetcher(TEMPLATES / "default")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch((TEMPLATES / "default" / "certificate.css").as_uri())


def test_render_pdf_keeps_the_text_and_loads_nothing_from_outside(caplog):
    html = ('<p>Báo cáo tuân thủ của đơn vị</p><img src="file:///etc/passwd">'
            '<img src="http://example.com/x.png"><img src="certificate.css">')
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = render_pdf(html)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Báo cáo tuân thủ của đơn vị" in text
    blocked = [r.getMessage() for r in caplog.records if "blocked" in r.getMessage()]
    assert len(blocked) == 2
    assert any("/etc/passwd" in m for m in blocked) and any("example.com" in m for m in blocked)
    assert not any("certificate.css" in m for m in blocked)  # a file of the folder is not refused


def test_only_the_shared_renderer_builds_weasyprint_documents():
    """Certificates, reports, evidence, transcripts and letters all go through ``core.pdf.render_pdf``;
    nobody copies the rendering or borrows the fetcher from certification."""
    offenders = []
    for path in LEARNING.rglob("*.py"):
        name = path.relative_to(LEARNING).as_posix()
        source = path.read_text(encoding="utf-8")
        if name != "core/pdf.py" and re.search(r"from weasyprint import [^\n]*\bHTML\b", source):
            offenders.append(name)
        if re.search(r"from learning\.certification\.pdf import [^\n]*(TEMPLATES|LocalOnlyFetcher)", source):
            offenders.append(name)
    assert offenders == []
    assert DEFAULT_FOLDER.is_dir()
