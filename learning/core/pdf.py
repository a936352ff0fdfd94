"""HTML to PDF with WeasyPrint, for every printed document: certificates, the compliance report, PAR evidence,
transcripts and activation letters.

A document only loads files inside its template folder (below ``certificates/``, which holds the bundled
fonts) and data: URIs (QR codes): nothing printed ever fetches from the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from learning.config import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "certificates"
DEFAULT_FOLDER = TEMPLATES / "default"


class LocalOnlyFetcher(URLFetcher):
    """Serve files below ``root`` and data: URIs; refuse everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.root = root.resolve()

    def fetch(self, url, headers=None):  # noqa: ANN001 - WeasyPrint's signature
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"blocked file outside the certificate template: {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"blocked non-local URL in a certificate: {url}")
        return super().fetch(url, headers)


def layout_pdf(html: str, folder: Path = DEFAULT_FOLDER):  # noqa: ANN201 - a weasyprint Document
    """``html`` laid out into pages (a weasyprint Document: ``.pages``, ``.write_pdf()``), under the same
    rules as ``render_pdf``; for a caller that checks the pages (the compliance report's tests)."""
    return HTML(string=html, base_url=str(folder) + "/", url_fetcher=LocalOnlyFetcher(folder)).render()


def render_pdf(html: str, folder: Path = DEFAULT_FOLDER, *, fetcher: LocalOnlyFetcher | None = None,
               stylesheets: list | None = None, font_config=None) -> bytes:  # noqa: ANN001
    """``html`` as a PDF; relative URLs resolve inside ``folder`` and nothing outside it can be loaded.

    A caller rendering many documents (certificates) passes its own ``fetcher`` for ``folder``, with the
    ``stylesheets`` and ``font_config`` it compiled once."""
    fetcher = fetcher or LocalOnlyFetcher(folder)
    document = HTML(string=html, base_url=str(folder) + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config)
