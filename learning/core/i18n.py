"""Which text follows the reader's language (session["lang"]) and which stays Vietnamese.

Pages, flash messages and form errors are translated with Flask-Babel (msgids are Vietnamese).
Official documents and data files — the certificate, the PDF reports, Excel/CSV exports and the
PAR evidence frozen with a period — are Vietnamese whatever language the page is shown in.
"""

from __future__ import annotations

from flask_babel import force_locale


def N_(message: str) -> str:
    """Mark ``message`` for extraction (``N_`` is one of pybabel's default keywords) and return it as is.

    For words that are data as well as labels: unit kinds and staff categories are spelled this way in
    import files, exports and frozen PAR tables, so they stay Vietnamese there and are passed through
    ``gettext`` only where they are shown.
    """
    return message


def vietnamese():
    """A context in which ``gettext`` and ``.label`` give Vietnamese: for documents and data files."""
    return force_locale("vi")
