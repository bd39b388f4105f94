"""PDF rendering shared by every document (jury sheets, certificates, dossier summary)."""

import warnings

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string

LETTERHEAD = "Commission paritaire nationale de l'emploi des Industries Chimiques"
LETTERHEAD_SERVICE = "Secrétariat des CQP"
STYLESHEET = settings.BASE_DIR / "static" / "css" / "documents.css"
# Issued documents are archived as PDF/A-3b (WeasyPrint's archival variant; signable).
ARCHIVE_VARIANT = "pdf/a-3b"


def render_pdf(template, context, *, variant=None):
    """Render a `templates/documents/` template (extending `documents/base.html`) to PDF bytes;
    `variant`: a WeasyPrint `pdf_variant` such as `ARCHIVE_VARIANT` (PDF/A)."""
    html = render_to_string(
        template,
        {"letterhead": LETTERHEAD, "letterhead_service": LETTERHEAD_SERVICE, **context},
    )
    # Nothing is fetched from outside: the stylesheet is read here, images are inline `data:`.
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it (ResourceWarning).
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(stylesheets=[stylesheet], pdf_variant=variant)
