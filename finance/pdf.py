"""Beschikkingen as PDF letters, made with WeasyPrint from `finance/beschikking_pdf.html`.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) and a
font (fonts-dejavu-core). Rendering is serialised with a lock: Pango/fontconfig are not safe to
use from several threads at once.
"""

import threading

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

_LOCK = threading.Lock()


def render_beschikking(beschikking) -> bytes:
    from weasyprint import HTML

    from finance.selectors import beschikking_context

    with translation.override("nl"):
        html = render_to_string("finance/beschikking_pdf.html", beschikking_context(beschikking))
    with _LOCK:
        return HTML(string=html).write_pdf()


def store_beschikking_pdf(beschikking_id: int):
    """Render the letter and store it with the beschikking (idempotent)."""
    from finance.models import Beschikking

    beschikking = Beschikking.objects.select_related(
        "gemeente", "aanvraag__regeling", "aanvraag__organisatie", "aanvraag__gebied").get(
        pk=beschikking_id)
    if beschikking.pdf:
        return beschikking
    data = render_beschikking(beschikking)
    name = f"{beschikking.kenmerk}.pdf"
    stored = beschikking.pdf.storage.save(beschikking.pdf.field.generate_filename(
        beschikking, name), ContentFile(data))
    Beschikking.objects.filter(pk=beschikking.pk).update(pdf=stored)
    beschikking.pdf.name = stored
    return beschikking
