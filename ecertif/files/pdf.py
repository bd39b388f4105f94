"""PDF rendering shared by every document (jury sheets, certificates, dossier summary)."""

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string

LETTERHEAD = "Commission paritaire nationale de l'emploi des Industries Chimiques"
LETTERHEAD_SERVICE = "Secrétariat des CQP"
STYLESHEET = settings.BASE_DIR / "static" / "css" / "documents.css"


def render_pdf(template, context):
    """Render a `templates/documents/` template (extending `documents/base.html`) to PDF bytes."""
    html = render_to_string(
        template,
        {"letterhead": LETTERHEAD, "letterhead_service": LETTERHEAD_SERVICE, **context},
    )
    # Nothing is fetched from outside: the stylesheet is read here, documents embed no URL.
    fetcher = weasyprint.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"))
    return document.write_pdf(stylesheets=[stylesheet])
