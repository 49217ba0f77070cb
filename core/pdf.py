"""PDF from a template with WeasyPrint, one render at a time.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) and a
font (fonts-dejavu-core). Pango/fontconfig are not safe to use from several threads at once, so
every render in the process takes the same lock."""

import threading

from django.template.loader import render_to_string
from django.utils import translation

LOCK = threading.Lock()


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string(template_name, context)
    with LOCK:
        return HTML(string=html).write_pdf()
